/* password.h — salted PBKDF2-HMAC-SHA256 password hashes.
 *
 * One self-describing text form, safe to store and compare later:
 *     pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>
 * (decimal iterations without sign or leading zeros; standard base64 with
 * padding; 16 random salt bytes from RAND_bytes; a 32-byte hash). Strings
 * handed out are malloc'd and owned by the caller; verification compares in
 * constant time and rejects any malformed text without crashing.
 *
 * password_verify_dummy gives a login that has no hash (unknown user, no
 * password set) the same cost as one that has: a check against a hash of a
 * random password made once, with PASSWORD_ITERATIONS — so the time of an
 * answer does not tell which logins exist.
 */
#ifndef VSPC_PASSWORD_H
#define VSPC_PASSWORD_H

#include <stdbool.h>

#define PASSWORD_ITERATIONS 20000
#define PASSWORD_MAX_ITERATIONS 10000000u

/* The hash text of password with PASSWORD_ITERATIONS (a malloc'd string the
 * caller frees); NULL on failure or a NULL password. */
char *password_hash(const char *password);

/* Same with a given iteration count, 1..PASSWORD_MAX_ITERATIONS (tests,
 * tools); NULL outside that range. */
char *password_hash_iter(const char *password, unsigned iterations);

/* True if password matches stored (any iteration count between 1 and
 * PASSWORD_MAX_ITERATIONS in the text; salt of 1..64 bytes; hash of exactly
 * 32 bytes; canonical base64 only); constant-time comparison
 * (CRYPTO_memcmp); false for a malformed stored text, never crashes on any
 * input (NULL included). */
bool password_verify(const char *password, const char *stored);

/* Makes the dummy hash now (at start) rather than at the first dummy check;
 * idempotent and thread-safe. */
void password_init(void);

/* password_verify of password against the dummy hash: always false, at
 * the cost of one real check (one PBKDF2 of PASSWORD_ITERATIONS). */
bool password_verify_dummy(const char *password);

/* How many PBKDF2 derivations this process has run so far (tests: "this
 * path ran one"). */
unsigned long password_derivations(void);

#endif
