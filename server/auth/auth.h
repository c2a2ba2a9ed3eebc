/* auth.h — who is calling. Checks the credential of a request
 * (Authorization: Bearer <access token | API key>) and issues tokens.
 *
 * An access token is good when token_verify accepts it (signature, kind,
 * expiry), it is still good in the issued-token table (not revoked) and its
 * user exists and is enabled. An API key is good when its digest names a
 * login identity whose status is "enabled" and whose user is enabled.
 * Read-only credentials (a read_only token, an isReadAccessOnly key, a
 * read-only role) may only GET: anything else is 403. Every other failure is
 * one 401 with a `security` error that does not say what failed.
 *
 * Checked credentials are remembered per thread (by SHA-256), until the
 * next write of records or of the token table, so that a client repeating
 * its token costs one hash, not an RSA verification and two reads.
 */
#ifndef VSPC_AUTH_H
#define VSPC_AUTH_H

#include <jansson.h>
#include <stdbool.h>

#include "store/store.h"
#include "auth/token.h"

typedef struct principal {
    bool known;            /* false until authenticated */
    char user_uid[40];
    char user_name[128];
    char role[40];
    char org_uid[40];
    char impersonator[40]; /* "" unless the token came from the `as` grant */
    long login_id;         /* the identity used: password, API key... (0: none) */
    bool read_only;
    bool api_key;
} principal;

typedef struct auth auth;

/* The side tables in st, the token keys (token_keys_open; auth owns them
 * from here, closed on failure too), the lifetimes in seconds. */
auth *auth_open(store *st, token_keys *keys, long access_ttl, long refresh_ttl, char *err,
                size_t errlen);
void auth_close(auth *a);

/* What auth_authenticate decides; the pipeline answers it (401 for
 * AUTH_UNAUTHENTICATED whatever failed, 403 for AUTH_READ_ONLY). */
typedef enum auth_verdict {
    AUTH_OK,
    AUTH_UNAUTHENTICATED, /* missing, malformed, expired, revoked or forged */
    AUTH_READ_ONLY,       /* a read-only credential asking for more than GET */
} auth_verdict;

/* Authenticates `authorization` (the header's value, may be NULL) for a
 * request with that method; *who is filled when the verdict is AUTH_OK. */
auth_verdict auth_authenticate(auth *a, const char *authorization, const char *method,
                               principal *who);

/* A new access + refresh pair for user (a User record) → the OAuth2Result
 * object; NULL on failure. act: impersonator UID or NULL. ts: the token
 * session (the ts claim) the pair continues — a refresh's, an MFA login's
 * — or NULL for a new one. */
json_t *auth_issue(auth *a, const json_t *user, long login_id, bool read_only, const char *act,
                   const char *ts);
/* The first step of an MFA login: an OAuth2Result with only an mfa_token
 * (5 minutes, single use). */
json_t *auth_issue_mfa(auth *a, const json_t *user, long login_id, bool read_only);
/* Checks a token of that kind and that it is still good; with spend, also
 * uses it up (refresh and mfa tokens are single-use). */
bool auth_redeem(auth *a, const char *jwt, token_kind kind, bool spend, token_claims *out);
/* Revokes the user's tokens (of one identity when login_id >= 0): how many,
 * -1 on error. Takes effect at once, cached credentials included. */
long auth_revoke(auth *a, const char *user_uid, long login_id);
/* Revokes the tokens and drops the secrets of users no longer stored
 * (credentials_forget_removed), at once as auth_revoke does. */
long auth_forget_removed(auth *a);
/* Whether login identity login_id exists with status "enabled";
 * *read_only (may be NULL) gets its isReadAccessOnly. */
bool auth_login_enabled(auth *a, long login_id, bool *read_only);
/* The user record of uid if it exists and is enabled (caller decrefs). */
json_t *auth_user(auth *a, const char *uid);

#endif
