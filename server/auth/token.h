/* token.h — VSPC's bearer tokens: JWTs signed RS256 (libjwt) with the
 * server's own RSA key, kept in the data dir as jwt-key.pem (made with
 * OpenSSL on first start, reused afterwards).
 *
 * Claims: sub (user UID), jti (token UID), iat and exp (Unix seconds), name
 * (user name), role, lid (the login identity's id), ro (read-only), kind
 * ("access", "refresh" or "mfa") and act (the impersonator's UID, when a
 * token was issued by the `as` grant).
 *
 * token_verify accepts a token only if its header says RS256, its signature
 * checks with the server's key, every claim is present and well typed, its
 * kind is the one asked for and it has not expired. It does not say why a
 * token fails: the caller answers one 401 for all of them.
 */
#ifndef VSPC_TOKEN_H
#define VSPC_TOKEN_H

#define TOKEN_KEY_FILE "jwt-key.pem" /* in the data dir */

#include <stdbool.h>
#include <stddef.h>

typedef enum token_kind { TOKEN_ACCESS, TOKEN_REFRESH, TOKEN_MFA } token_kind;

typedef struct token_claims {
    token_kind kind;
    char sub[40];   /* user UID */
    char jti[40];   /* token UID */
    char act[40];   /* impersonator UID, or "" */
    char name[128]; /* user name */
    char role[40];
    long long iat, exp;
    long lid;       /* login identity id, 0 if none */
    bool ro;        /* read-only */
} token_claims;

typedef struct token_keys token_keys;

/* Loads data_dir/jwt-key.pem (NULL with err when it is unreadable or not
 * an RSA key); a missing one is made by a thread of its own, and the first
 * token_sign/token_verify/token_public_pem waits for it (NULL/false if its
 * making failed, which is logged). */
token_keys *token_keys_open(const char *data_dir, char *err, size_t errlen);
void token_keys_close(token_keys *k);

/* The server's public key (SPKI PEM): for clients that verify tokens. */
const char *token_public_pem(const token_keys *k);

/* A signed JWT of c (a malloc'd string), or NULL. */
char *token_sign(const token_keys *k, const token_claims *c);

/* True, with the claims in *out, if jwt is a valid token of that kind at
 * time now (Unix seconds). */
bool token_verify(const token_keys *k, const char *jwt, token_kind kind, long long now,
                  token_claims *out);

/* The name of a kind in the `kind` claim. */
const char *token_kind_name(token_kind kind);

#endif
