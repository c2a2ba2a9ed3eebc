/* credentials.h — the secrets behind authentication, in two side tables of
 * the store (never in records, never in an answer):
 *
 *   auth_tokens  every JWT issued (jti, user, login identity, kind, expiry)
 *                and whether it is still good: revocation (DELETE
 *                /users/{uid}/tokens) and single-use refresh tokens flip it;
 *   auth_secrets what a user proves identity with, by kind:
 *                "password"  PBKDF2 hash text (password.h), per user;
 *                "apikey"    SHA-256 hex of an API key, per login identity;
 *                "totp"      base32 TOTP secret, per login identity;
 *                "publickey" SPKI PEM of an RSA public key, per identity;
 *                "code"      SHA-256 hex of a one-time code (public_key
 *                            grant, password reset), with an expiry.
 *
 * Plain SQL with bound values over store_exec; the semantics (who may do
 * what, caches) live in auth.c and the handlers.
 *
 * Lookups by value (credentials_find: WHERE value = ?) compare in SQLite,
 * not in constant time, and that is safe for what is looked up so: API
 * keys and codes are stored as SHA-256 digests of at least 128 random
 * bits, so how long a digest comparison takes tells nothing usable about the
 * secret (learning digest bytes does not help finding a preimage); public
 * keys are not secret. Passwords, TOTP secrets and other low-entropy or
 * stored-in-clear values are never looked up by value: they are read by
 * their owner (credentials_of) and checked in constant time by password.c
 * and totp.c.
 */
#ifndef VSPC_CREDENTIALS_H
#define VSPC_CREDENTIALS_H

#include <stdbool.h>

#include "store/store.h"

/* Creates the tables if missing. */
bool credentials_init(store *st);

/* A token issued: good until used or revoked. */
bool credentials_token_add(store *st, const char *jti, const char *user_uid, long login_id,
                           const char *kind, long long expires);
/* 1 if the token is known and still good, 0 if not, -1 on error. */
int credentials_token_good(store *st, const char *jti);
/* Spends a good token (refresh, mfa): true only for the one call that
 * spent it. */
bool credentials_token_spend(store *st, const char *jti);
/* Revokes every good token of the user, or of one login identity
 * (login_id >= 0); returns how many, -1 on error. */
long credentials_revoke(store *st, const char *user_uid, long login_id);

/* Adds a secret. expires: Unix seconds, 0 for never. */
bool credentials_put(store *st, const char *kind, const char *user_uid, long login_id,
                     const char *value, long long expires);
/* The owner of a secret value of that kind (not expired at now): true
 * with user_uid (40 bytes) and *login_id filled. */
bool credentials_find(store *st, const char *kind, const char *value, long long now,
                      char *user_uid, long *login_id);
/* The value of the user's secret of that kind (login_id < 0: any of the
 * user's), a malloc'd string, or NULL. */
char *credentials_of(store *st, const char *kind, const char *user_uid, long login_id);
/* Drops secrets of that kind: of the user (login_id < 0) or of one
 * identity; with value, only that one. */
bool credentials_drop(store *st, const char *kind, const char *user_uid, long login_id,
                      const char *value);

/* The tokens and secrets of users whose User record is gone (a company
 * deleted with its users): tokens revoked, secrets dropped. How many
 * tokens and secrets, -1 on error. */
long credentials_forget_removed(store *st);

/* n random bytes (OpenSSL's CSPRNG) as 2n hex digits into out (2n + 1
 * bytes): one-time codes. */
bool credentials_random_hex(char *out, size_t n);

/* SHA-256 of text as 64 hex digits (out: 65 bytes): how API keys and
 * codes are kept. */
void credentials_digest(const char *text, char out[65]);

#endif
