/* tls.h — the server's TLS certificate and key.
 *
 * On first start the emulator creates a self-signed certificate (RSA 2048,
 * SHA-256, valid 10 years, subject CN=localhost, subjectAltName DNS:localhost,
 * IP:127.0.0.1, IP:::1) with OpenSSL and writes it as PEM into the data dir
 * (cert.pem, key.pem mode 0600); later starts reuse the files. Users may
 * supply their own pair instead.
 */
#ifndef VSPC_TLS_H
#define VSPC_TLS_H

/* The GnuTLS priority string the HTTPS transport offers (libmicrohttpd is
 * built on GnuTLS): which protocol versions and cipher suites. TLS 1.3 and
 * 1.2 only; on 1.2 only ephemeral ECDHE key exchange (forward secrecy: a
 * stolen key.pem does not decrypt recorded sessions) with AEAD ciphers
 * (AES-GCM, ChaCha20-Poly1305), so no static RSA, no CBC, no SHA-1 MAC,
 * and no SHA-1 handshake signatures. NORMAL is the base so that groups and
 * the other signature algorithms keep GnuTLS's defaults.
 * `gnutls-cli --priority '<this>' --list` shows what it yields. */
#define TLS_PRIORITIES                                                         \
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"                               \
    ":-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA"                                         \
    ":-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM:+CHACHA20-POLY1305"                \
    ":-MAC-ALL:+AEAD:-SIGN-RSA-SHA1:-SIGN-ECDSA-SHA1"

#include <stdbool.h>
#include <stddef.h>

typedef struct tls_material {
    char *cert_pem; /* NUL-terminated PEM text, owned (free with tls_free) */
    char *key_pem;
} tls_material;

/* Loads cert_file/key_file if both are given; otherwise loads
 * data_dir/cert.pem and data_dir/key.pem, creating them first if either is
 * missing. On failure returns false and writes a one-line reason into err.
 * *created tells whether a new pair was written (may be NULL). */
bool tls_load_or_create(const char *data_dir, const char *cert_file,
                        const char *key_file, tls_material *out, bool *created,
                        char *err, size_t errlen);

/* Creates a new self-signed pair in PEM, in memory. */
bool tls_create_self_signed(tls_material *out, char *err, size_t errlen);

void tls_free(tls_material *m);

#endif
