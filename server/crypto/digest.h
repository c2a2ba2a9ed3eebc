/* digest.h — SHA-256 of a byte string, as every credential cache and
 * store of secrets here keys on. The algorithm is fetched from OpenSSL's
 * provider once per process rather than per call (SHA256() fetches it
 * every time, a measurable part of an authenticated request). */
#ifndef VSPC_DIGEST_H
#define VSPC_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#define DIGEST_SHA256_LEN 32

/* SHA-256 of len bytes at data into out; false only if OpenSSL fails. */
bool digest_sha256(const void *data, size_t len, unsigned char out[DIGEST_SHA256_LEN]);

#endif
