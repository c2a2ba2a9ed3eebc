/* rsakeys.h — RSA key material for the authentication endpoints.
 *
 * Makes RSA key pairs and PKCS#12 containers (GET /authentication/keys/rsa,
 * .../rsa-pkcs12), opens containers (POST .../rsa-pkcs12/decrypt), reads the
 * public keys users upload in the usual formats and writes them in one
 * canonical form, encrypts and decrypts the one-time codes of the OAuth
 * public_key grant (RSA-OAEP, SHA-1), and keeps the server's JWT signing key
 * in a file. Keys go in and out as PEM text, binary data as standard base64.
 *
 * Every string or buffer handed out is malloc'd and owned by the caller, who
 * frees it with free() (wiping private keys and plaintexts first, e.g. with
 * OPENSSL_cleanse); on any status but RSAKEYS_OK every output pointer is set
 * to NULL and nothing is owed. Inputs that are NULL count as bad input
 * (RSAKEYS_BAD_FORMAT); output pointers must not be NULL (RSAKEYS_FAILED).
 * No state is kept; every function is thread-safe and leaves this thread's
 * OpenSSL error queue empty.
 */
#ifndef VSPC_RSAKEYS_H
#define VSPC_RSAKEYS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    RSAKEYS_OK = 0,
    RSAKEYS_FAILED,          /* OpenSSL failed (out of memory...) */
    RSAKEYS_BAD_FORMAT,      /* not a key/container we can read (VSPC 1205;
                                for pkcs12: bad content) */
    RSAKEYS_NOT_RSA,         /* a key of another algorithm (VSPC 1204) */
    RSAKEYS_PROTECTED,       /* an encrypted private key (VSPC 1203) */
    RSAKEYS_BAD_PASSWORD,    /* pkcs12: wrong password */
    RSAKEYS_NO_PRIVATE_KEY,  /* pkcs12: no private key inside (VSPC 1210) */
} rsakeys_status;

/* A new RSA pair of `bits` bits (2048 unless 1024..8192 is given) as PEM:
 * the private key unencrypted PKCS#8 ("BEGIN PRIVATE KEY"), the public key
 * SubjectPublicKeyInfo ("BEGIN PUBLIC KEY"). */
rsakeys_status rsakeys_new_pair(int bits, char **private_pem,
                                char **public_pem);

/* A new PKCS#12 container holding an RSA 2048 key and a self-signed X.509
 * certificate for it (subject CN=common_name, also the friendly name; NULL
 * or "" means "vspc-emulator"; valid 10 years; SHA-256), protected by
 * password (NULL or "" = the empty password), as standard base64 without
 * newlines; also the public key as SPKI PEM. A common name that is not 1..64
 * characters of UTF-8 gives RSAKEYS_BAD_FORMAT. */
rsakeys_status rsakeys_new_pkcs12(const char *common_name,
                                  const char *password, char **p12_base64,
                                  char **public_pem);

/* Opens a base64 PKCS#12 container (whitespace in the base64 is tolerated)
 * with password (NULL or "" = none: both the empty and the absent password
 * are tried) and returns the first private key inside as PKCS#8 PEM and its
 * public key as SPKI PEM. Statuses: BAD_FORMAT (not base64, not PKCS#12, or
 * parts in algorithms we cannot read), BAD_PASSWORD (the MAC does not verify,
 * or the key does not decrypt), NO_PRIVATE_KEY (e.g. a container holding
 * only a certificate), NOT_RSA (the key is not RSA). */
rsakeys_status rsakeys_open_pkcs12(const char *p12_base64,
                                   const char *password, char **private_pem,
                                   char **public_pem);

/* Reads an uploaded public key, len bytes at `bytes` (need not be
 * NUL-terminated), in any of: PEM SPKI ("BEGIN PUBLIC KEY"), PEM PKCS#1
 * ("BEGIN RSA PUBLIC KEY"), an X.509 certificate PEM (its key), and the same
 * three as raw DER or as base64 of DER (whitespace tolerated). An unencrypted
 * private key (PEM or DER, PKCS#8 or traditional) is accepted too (its
 * public half). An encrypted private key gives PROTECTED, a key of another
 * algorithm (EC, DSA, RSA-PSS...) NOT_RSA, anything else (also NULL or
 * empty) BAD_FORMAT. Writes the key as SPKI PEM: the canonical form, so two
 * uploads of one key compare equal with strcmp. */
rsakeys_status rsakeys_public_from(const unsigned char *bytes, size_t len,
                                   char **public_pem);

/* Encrypts len bytes of data (at most the key's size in bytes - 42: 86 for
 * RSA 1024, 214 for RSA 2048) to an RSA public key given as SPKI PEM with
 * RSA-OAEP (SHA-1, MGF1-SHA-1: .NET's RSAEncryptionPadding.OaepSHA1 and most
 * clients' default) into standard base64 without newlines. A public_pem that
 * is not SPKI PEM gives BAD_FORMAT, a non-RSA key NOT_RSA; data too long for
 * the key gives FAILED. */
rsakeys_status rsakeys_encrypt(const char *public_pem,
                               const unsigned char *data, size_t len,
                               char **base64_out);

/* The inverse of rsakeys_encrypt with an unencrypted private key PEM
 * (PKCS#8 or traditional): *out gets the plaintext (malloc'd, and
 * NUL-terminated beyond *outlen for convenience), *outlen its length.
 * BAD_FORMAT when base64_in is not base64 or does not decrypt with this key
 * (wrong key, corrupted); PROTECTED for an encrypted private key. */
rsakeys_status rsakeys_decrypt(const char *private_pem, const char *base64_in,
                               unsigned char **out, size_t *outlen);

/* The server's signing key: loads path (an unencrypted PEM RSA private key)
 * or, if there is no such file, creates a 2048-bit key there (mode 0600,
 * written to a temp file, synced and renamed into place; the directory must
 * exist). Returns both PEMs as from rsakeys_new_pair. FAILED when the file
 * cannot be read or written, or path is NULL or ""; BAD_FORMAT, PROTECTED or
 * NOT_RSA when it holds anything but an unencrypted RSA private key. */
rsakeys_status rsakeys_load_or_create(const char *path, char **private_pem,
                                      char **public_pem);

/* A one-line message for a status, in VSPC's words where VSPC has them;
 * never NULL, never empty. */
const char *rsakeys_message(rsakeys_status st);

#endif
