/* totp.h — RFC 4648 base32 and RFC 6238 time-based one-time passwords.
 *
 * Secrets travel as base32 text (upper case, no padding), as authenticator
 * apps expect. Codes are HOTP (RFC 4226) of floor(t / step) with HMAC-SHA-1,
 * -SHA-256 or -SHA-512 (OpenSSL), dynamically truncated to 6..8 decimal
 * digits. Nothing here allocates memory that outlives a call; key material
 * held on the way is wiped before returning.
 */
#ifndef VSPC_TOTP_H
#define VSPC_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Characters of the base32 text of n bytes (without the NUL). */
#define BASE32_ENCODED_LEN(n) ((n) / 5 * 8 + ((n) % 5 * 8 + 4) / 5)

/* Base32 (RFC 4648 alphabet, upper case, no '=' padding) of len bytes into
 * out, NUL-terminated. Returns the number of chars written (not counting the
 * NUL); 0 if out is too small (out needs BASE32_ENCODED_LEN(len) + 1 bytes),
 * in which case out holds "" when outlen > 0. Empty data gives "" and 0. */
size_t base32_encode(const unsigned char *data, size_t len, char *out, size_t outlen);

/* Decodes base32 ignoring case, ASCII white space and '=' padding (only
 * padding and white space may follow the first '='); bits of an incomplete
 * last byte are dropped. Returns bytes written or -1 on an invalid character,
 * NULL text, or if out is too small. */
long base32_decode(const char *text, unsigned char *out, size_t outlen);

typedef enum { TOTP_SHA1, TOTP_SHA256, TOTP_SHA512 } totp_hash;

/* RFC 6238 code for unix time t: HOTP(K, floor(t/step)) truncated to digits
 * (6..8) as a NUL-terminated decimal string with leading zeros. False on bad
 * arguments (NULL key or out, keylen 0, step 0, digits out of range, unknown
 * hash) or an OpenSSL failure; out then holds "" when not NULL. */
bool totp_code(const unsigned char *key, size_t keylen, totp_hash hash, uint64_t t,
               unsigned step, unsigned digits, char out[9]);

/* A new secret: 20 random bytes (RAND_bytes), base32 → 32 chars. False (and
 * "") if the random generator fails. */
bool totp_secret_new(char out[33]);

/* True if code (exactly 6 ASCII digits; SHA-1, 30 s steps) is valid for the
 * base32 secret at time now, allowing `drift` steps before and after. Every
 * step of the window is computed and compared in constant time. False for a
 * malformed code or secret (NULL, invalid base32, empty key) or now < 0. */
bool totp_verify(const char *secret_base32, const char *code, time_t now, unsigned drift);

#endif
