/* auth.c — see auth.h. */
#include "auth/auth.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth/credentials.h"
#include "crypto/digest.h"
#include "answer/errors.h"
#include "auth/roles.h"
#include "base/uuid.h"

#define MFA_TOKEN_SECONDS 300
#define CACHE_SLOTS 64

struct auth {
    store *st;
    token_keys *keys;
    long access_ttl, refresh_ttl;
    atomic_ulong revocations; /* bumped by every revoke and spend */
};

auth *auth_open(store *st, token_keys *keys, long access_ttl, long refresh_ttl, char *err,
                size_t errlen)
{
    auth *a = keys ? calloc(1, sizeof *a) : NULL;
    if (!a) {
        snprintf(err, errlen, keys ? "out of memory" : "no token keys");
        token_keys_close(keys);
        return NULL;
    }
    a->keys = keys;
    a->st = st;
    a->access_ttl = access_ttl;
    a->refresh_ttl = refresh_ttl;
    atomic_init(&a->revocations, 0);
    if (!credentials_init(st)) {
        snprintf(err, errlen, "cannot create the credential tables: %s", store_errmsg(st));
        token_keys_close(keys);
        free(a);
        return NULL;
    }
    return a;
}

void auth_close(auth *a)
{
    if (!a)
        return;
    token_keys_close(a->keys);
    free(a);
}

static const char *text(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Copies src into a fixed field; false if it does not fit. */
static bool copy(char *dst, size_t len, const char *src)
{
    if (!src || strlen(src) >= len)
        return false;
    strcpy(dst, src);
    return true;
}

json_t *auth_user(auth *a, const char *uid)
{
    json_t *user = NULL;
    if (!uid || store_get(a->st, "User", uid, &user, NULL) != STORE_OK)
        return NULL;
    const char *status = text(user, "status");
    if (status && strcasecmp(status, "Enabled") != 0) {
        json_decref(user);
        return NULL;
    }
    return user;
}

bool auth_login_enabled(auth *a, long login_id, bool *read_only)
{
    char uid[32];
    snprintf(uid, sizeof uid, "%ld", login_id);
    json_t *login = NULL;
    if (store_get(a->st, "UserLogin", uid, &login, NULL) != STORE_OK)
        return false;
    const char *status = text(login, "status");
    bool enabled = status && !strcmp(status, "enabled");
    if (read_only)
        *read_only = json_is_true(json_object_get(login, "isReadAccessOnly"));
    json_decref(login);
    return enabled;
}

/* The principal of an enabled user record. */
static bool principal_of(const json_t *user, long login_id, bool read_only, const char *act,
                         principal *who)
{
    memset(who, 0, sizeof *who);
    const char *org = text(user, "organizationUid");
    bool ok = copy(who->user_uid, sizeof who->user_uid, text(user, "instanceUid")) &&
              copy(who->user_name, sizeof who->user_name, text(user, "userName")) &&
              copy(who->role, sizeof who->role, text(user, "role")) &&
              copy(who->org_uid, sizeof who->org_uid, org ? org : "") &&
              copy(who->impersonator, sizeof who->impersonator, act ? act : "");
    who->login_id = login_id;
    who->read_only = read_only || roles_read_only(who->role);
    who->known = ok;
    return ok;
}

/* --- checked credentials, per thread ------------------------------------ */

typedef struct cached {
    const auth *owner;
    unsigned char digest[SHA256_DIGEST_LENGTH];
    unsigned long generation, revocations;
    long long expires; /* 0: an API key */
    principal who;
    bool signed_ok;      /* a JWT whose signature and claims checked */
    token_claims claims; /* its claims, when signed_ok */
} cached;

static _Thread_local cached cache[CACHE_SLOTS];

static cached *cache_slot(const unsigned char *digest)
{
    return &cache[digest[0] % CACHE_SLOTS];
}

/* The slot of this credential, or NULL (constant-time comparison, as every
 * comparison of credential material). */
static cached *cache_find(auth *a, const unsigned char *digest)
{
    cached *c = cache_slot(digest);
    return c->owner == a && CRYPTO_memcmp(c->digest, digest, sizeof c->digest) == 0 ? c : NULL;
}

static bool cache_get(auth *a, const unsigned char *digest, long long now, principal *who)
{
    cached *c = cache_find(a, digest);
    if (!c || c->revocations != atomic_load(&a->revocations) ||
        c->generation != store_generation(a->st) || (c->expires && c->expires <= now))
        return false;
    *who = c->who;
    return true;
}

/* The verified claims of a JWT seen before: a write (any write) makes the
 * principal stale, not the signature, so the re-check after a write is the
 * database's part only. An RS256 check and the PEM decode it needs were a
 * third of the cost of a create. */
static bool cache_claims(auth *a, const unsigned char *digest, long long now, token_claims *out)
{
    const cached *c = cache_find(a, digest);
    if (!c || !c->signed_ok || c->claims.exp <= now)
        return false;
    *out = c->claims;
    return true;
}

static void cache_put(auth *a, const unsigned char *digest, unsigned long generation,
                      unsigned long revocations, long long expires, const principal *who,
                      const token_claims *claims)
{
    cached *c = cache_slot(digest);
    c->owner = a;
    memcpy(c->digest, digest, sizeof c->digest);
    c->generation = generation;
    c->revocations = revocations;
    c->expires = expires;
    c->who = *who;
    c->signed_ok = claims != NULL;
    if (claims)
        c->claims = *claims;
}

/* --- the two kinds of credential ---------------------------------------- */

/* The database's part of a JWT's check: not revoked, its user enabled. */
static bool admit_jwt(auth *a, const token_claims *c, principal *who)
{
    if (credentials_token_good(a->st, c->jti) != 1)
        return false;
    json_t *user = auth_user(a, c->sub);
    bool ok = user && principal_of(user, c->lid, c->ro, c->act, who);
    json_decref(user);
    return ok;
}

static bool check_jwt(auth *a, const char *credential, long long now, principal *who,
                      token_claims *c)
{
    return token_verify(a->keys, credential, TOKEN_ACCESS, now, c) && admit_jwt(a, c, who);
}

static bool check_api_key(auth *a, const char *credential, long long now, principal *who)
{
    char digest[65], user_uid[40];
    long login_id;
    bool ro = false;
    credentials_digest(credential, digest);
    if (!credentials_find(a->st, "apikey", digest, now, user_uid, &login_id) ||
        !auth_login_enabled(a, login_id, &ro))
        return false;
    json_t *user = auth_user(a, user_uid);
    bool ok = user && principal_of(user, login_id, ro, NULL, who);
    who->api_key = ok;
    json_decref(user);
    return ok;
}

auth_verdict auth_authenticate(auth *a, const char *authorization, const char *method,
                               principal *who)
{
    memset(who, 0, sizeof *who);
    if (!authorization)
        return AUTH_UNAUTHENTICATED;
    while (*authorization == ' ')
        authorization++;
    if (strncasecmp(authorization, "Bearer ", 7) != 0)
        return AUTH_UNAUTHENTICATED;
    const char *credential = authorization + 7;
    while (*credential == ' ')
        credential++;
    size_t len = strlen(credential);
    while (len && credential[len - 1] == ' ')
        len--;
    if (len == 0 || len > 8192)
        return AUTH_UNAUTHENTICATED;
    long long now = (long long)time(NULL);
    unsigned char digest[SHA256_DIGEST_LENGTH];
    if (!digest_sha256(credential, len, digest))
        SHA256((const unsigned char *)credential, len, digest); /* the slow way */
    bool ok = cache_get(a, digest, now, who);
    if (!ok) {
        /* read the counters first: a write during the check makes the
         * entry stale rather than wrongly fresh */
        unsigned long gen = store_generation(a->st), rev = atomic_load(&a->revocations);
        token_claims claims;
        bool jwt = memchr(credential, '.', len) != NULL;
        if (jwt && cache_claims(a, digest, now, &claims)) {
            ok = admit_jwt(a, &claims, who);
        } else {
            char *cred = strndup(credential, len); /* without trailing blanks */
            if (cred && jwt)
                ok = check_jwt(a, cred, now, who, &claims);
            else if (cred)
                ok = check_api_key(a, cred, now, who);
            free(cred);
        }
        if (ok)
            cache_put(a, digest, gen, rev, jwt ? claims.exp : 0, who, jwt ? &claims : NULL);
    }
    if (!ok) {
        memset(who, 0, sizeof *who);
        return AUTH_UNAUTHENTICATED;
    }
    return who->read_only && strcmp(method, "GET") != 0 ? AUTH_READ_ONLY : AUTH_OK;
}

/* --- issuing ------------------------------------------------------------ */

/* What the tokens issued together share: the user's number (uid claim)
 * and the token session (ts claim). */
typedef struct session {
    long uid;
    char ts[40];
} session;

/* The user's number: the rowid of its record, which an update keeps (see
 * token.h); 0 if there is none. */
static long user_number(auth *a, const char *user_uid)
{
    json_t *args = json_pack("[s]", user_uid ? user_uid : ""), *rows = NULL;
    long n = 0;
    if (args && store_exec(a->st, "SELECT seq FROM records WHERE type = 'User' AND uid = ?", args,
                           1, &rows, NULL) == STORE_OK)
        n = (long)json_integer_value(json_array_get(json_array_get(rows, 0), 0));
    json_decref(args);
    json_decref(rows);
    return n;
}

/* The session of a new issue for user: the session ts continues (a
 * refresh, the second step of an MFA login), or a new one when NULL. */
static bool session_for(auth *a, const json_t *user, const char *ts, session *s)
{
    s->uid = user_number(a, text(user, "instanceUid"));
    if (ts && strlen(ts) < sizeof s->ts) {
        strcpy(s->ts, ts);
        return s->uid > 0;
    }
    return s->uid > 0 && uuid_random(s->ts);
}

/* Claims of a new token of kind for user. */
static bool claims_for(const json_t *user, token_kind kind, long login_id, bool ro,
                       const char *act, const session *s, long long now, long ttl,
                       token_claims *c)
{
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->iat = now;
    c->exp = now + ttl;
    c->lid = login_id;
    c->uid = s->uid;
    c->ro = ro;
    memcpy(c->ts, s->ts, sizeof c->ts);
    const char *name = text(user, "userName");
    int n = name ? snprintf(c->name, sizeof c->name, "%s\\%s", TOKEN_SERVER_NAME, name) : -1;
    return uuid_random(c->jti) && n > 0 && (size_t)n < sizeof c->name &&
           copy(c->sub, sizeof c->sub, text(user, "instanceUid")) &&
           copy(c->act, sizeof c->act, act ? act : "");
}

/* A signed token, recorded in the issued-token table. */
static char *issue_one(auth *a, const json_t *user, token_kind kind, long login_id, bool ro,
                       const char *act, const session *s, long long now, long ttl)
{
    token_claims c;
    if (!claims_for(user, kind, login_id, ro, act, s, now, ttl, &c))
        return NULL;
    char *jwt = token_sign(a->keys, &c);
    if (jwt && !credentials_token_add(a->st, c.jti, c.sub, login_id, token_kind_name(kind), c.exp)) {
        free(jwt);
        return NULL;
    }
    return jwt;
}

json_t *auth_issue(auth *a, const json_t *user, long login_id, bool read_only, const char *act,
                   const char *ts)
{
    long long now = (long long)time(NULL);
    session s;
    if (!session_for(a, user, ts && ts[0] ? ts : NULL, &s))
        return NULL;
    char *access =
        issue_one(a, user, TOKEN_ACCESS, login_id, read_only, act, &s, now, a->access_ttl);
    char *refresh =
        access ? issue_one(a, user, TOKEN_REFRESH, login_id, read_only, act, &s, now, a->refresh_ttl)
               : NULL;
    json_t *out = access && refresh
                      ? json_pack("{s:s, s:s, s:s, s:n, s:n, s:I}", "access_token", access,
                                  "token_type", "bearer", "refresh_token", refresh, "mfa_token",
                                  "encrypted_code", "expires_in", (json_int_t)a->access_ttl)
                      : NULL;
    free(access);
    free(refresh);
    return out;
}

json_t *auth_issue_mfa(auth *a, const json_t *user, long login_id, bool read_only)
{
    long long now = (long long)time(NULL);
    session s;
    char *mfa = session_for(a, user, NULL, &s)
                    ? issue_one(a, user, TOKEN_MFA, login_id, read_only, NULL, &s, now,
                                MFA_TOKEN_SECONDS)
                    : NULL;
    json_t *out = mfa ? json_pack("{s:n, s:s, s:n, s:s, s:n, s:i}", "access_token", "token_type",
                                  "bearer", "refresh_token", "mfa_token", mfa, "encrypted_code",
                                  "expires_in", MFA_TOKEN_SECONDS)
                      : NULL;
    free(mfa);
    return out;
}

bool auth_redeem(auth *a, const char *jwt, token_kind kind, bool spend, token_claims *out)
{
    if (!token_verify(a->keys, jwt, kind, (long long)time(NULL), out))
        return false;
    bool ok = spend ? credentials_token_spend(a->st, out->jti)
                    : credentials_token_good(a->st, out->jti) == 1;
    if (spend && ok)
        atomic_fetch_add(&a->revocations, 1);
    return ok;
}

long auth_forget_removed(auth *a)
{
    long n = credentials_forget_removed(a->st);
    atomic_fetch_add(&a->revocations, 1);
    return n;
}

long auth_revoke(auth *a, const char *user_uid, long login_id)
{
    long n = credentials_revoke(a->st, user_uid, login_id);
    atomic_fetch_add(&a->revocations, 1);
    return n;
}
