/* x509.h — what the TLS certificate (http/tls.h) and the RSA/PKCS#12
 * helpers (crypto/rsakeys.h) share, with OpenSSL: a random serial number
 * and v3 extensions from a table (each false when OpenSSL refuses), the
 * text of a memory BIO (PEM output), and freeing text that holds a key. */
#ifndef VSPC_X509_H
#define VSPC_X509_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/bio.h>
#include <openssl/x509.h>

#define X509_SERIAL_BYTES 16 /* 127 random bits, positive and of full length */

/* One extension: its NID and OpenSSL's text for its value
 * ({NID_key_usage, "critical,digitalSignature"}). */
typedef struct x509_ext {
    int nid;
    const char *value;
} x509_ext;

/* A random serial number of X509_SERIAL_BYTES. */
bool x509_random_serial(X509 *x);

/* Adds the n extensions of exts, x being its own issuer. */
bool x509_add_extensions(X509 *x, const x509_ext *exts, size_t n);

/* The contents of a memory BIO as a new NUL-terminated string (caller
 * frees), or NULL. */
char *x509_bio_text(BIO *b);

/* Wipes and frees a string that may hold a private key (NULL is fine). */
void x509_free_secret(char *s);

#endif
