/* x509.h — the pieces of a self-signed X.509 certificate that the TLS
 * certificate (http/tls.h) and the RSA/PKCS#12 helpers (crypto/rsakeys.h)
 * share, with OpenSSL: a random serial number and v3 extensions from a
 * table. Each returns false when OpenSSL refuses. */
#ifndef VSPC_X509_H
#define VSPC_X509_H

#include <stdbool.h>
#include <stddef.h>

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

#endif
