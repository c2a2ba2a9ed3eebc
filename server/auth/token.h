/* token.h — VSPC's bearer tokens: JWTs signed RS256 (libjwt) with the
 * server's own RSA key, kept in the data dir as jwt-key.pem (made with
 * OpenSSL on first start, reused afterwards).
 *
 * Claims, as VSPC's own tokens carry them. Every value is a JSON string,
 * the numbers too (decimal digits):
 *   iat, exp  issued-at and expiry, Unix seconds
 *   sub       the user's UID
 *   jti       the token's own UID
 *   name      TOKEN_SERVER_NAME, a backslash, the userName
 *             ("VSPC\administrator"): the domain-qualified form a login
 *             may also use (accounts.c ignores the prefix)
 *   lid       the id of the login identity (UserLogin) used; "0" for a
 *             token of the `as` grant, which used none
 *   uid       the user's internal number. VSPC's own numbering is not
 *             published; ours is the rowid (seq) of the User record,
 *             assigned at its creation and kept by every update, so the
 *             same user always has the same uid
 *   ts        a UUID naming the token session: the access and refresh
 *             token issued together share it, and the pair issued for a
 *             spent refresh (or MFA) token keeps it
 *   scope     always TOKEN_SCOPE ("2"), the only value VSPC's examples
 *             show. We read it as the REST API among the services a
 *             credential may serve (ui, rest, integration), but VSPC does
 *             not document it: treat it as VSPC's constant
 *   kind      "3" access, "2" refresh (VSPC's values); "1" for our MFA
 *             token, a choice of ours (VSPC does not show one)
 * and two of our own, sent only when they apply (so a plain login's
 * tokens carry exactly VSPC's set): act, the impersonator's UID, on
 * tokens of the `as` grant; ro "1" on a read-only token.
 *
 * token_verify accepts a token only if its header says RS256, its signature
 * checks with the server's key, every claim is present and a string of the
 * expected form (decimal numbers without sign or leading zeros, a UUID
 * ts), its kind is the one asked for and it has not expired. It does not
 * say why a token fails: the caller answers one 401 for all of them.
 */
#ifndef VSPC_TOKEN_H
#define VSPC_TOKEN_H

#define TOKEN_KEY_FILE "jwt-key.pem" /* in the data dir */
#define TOKEN_SERVER_NAME "VSPC"     /* the domain part of the name claim */
#define TOKEN_SCOPE "2"              /* every token's scope claim */

#include <stdbool.h>
#include <stddef.h>

typedef enum token_kind { TOKEN_ACCESS, TOKEN_REFRESH, TOKEN_MFA } token_kind;

typedef struct token_claims {
    token_kind kind;
    char sub[40];   /* user UID */
    char jti[40];   /* token UID */
    char ts[40];    /* token session UUID */
    char act[40];   /* impersonator UID, or "" */
    char name[168]; /* the claim as signed: "VSPC\userName" */
    long long iat, exp;
    long lid;       /* login identity id, 0 if none */
    long uid;       /* the user's number (> 0) */
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

/* A signed JWT of c (a malloc'd string; scope is always TOKEN_SCOPE), or
 * NULL, also when c could not verify: an empty sub, jti or name, a ts
 * that is not a UUID, a negative iat, exp or lid, a uid below 1. */
char *token_sign(const token_keys *k, const token_claims *c);

/* True, with the claims in *out, if jwt is a valid token of that kind at
 * time now (Unix seconds). */
bool token_verify(const token_keys *k, const char *jwt, token_kind kind, long long now,
                  token_claims *out);

/* The name of a kind in the issued-token table: "access", "refresh",
 * "mfa". */
const char *token_kind_name(token_kind kind);
/* The value of a kind's `kind` claim: "3", "2", "1". */
const char *token_kind_claim(token_kind kind);

#endif
