/* handler_token.c — POST /token, the OAuth 2.0 token endpoint, with every
 * grant VSPC has (the REST overview's OAuth 2.0, refresh, impersonation,
 * MFA and asymmetric-key sections):
 *
 *   password            username (a "domain\" prefix is ignored) and
 *                       password → a token pair; for a user with an enabled
 *                       TOTP identity, an mfa_token instead;
 *   mfa                 mfa_token + mfa_code (RFC 6238, one step of drift)
 *                       → a token pair; the mfa_token is single-use;
 *   refresh_token       a refresh token → a new pair; single-use;
 *   as                  refresh_token + userUid → a pair for that user, if
 *                       the caller may edit that user (roles.h);
 *   public_key          public_key (an RSA key registered with
 *                       /users/{uid}/logins/asymmetricalgorithm) → an
 *                       encrypted_code (RSA-OAEP, base64), valid 5 minutes;
 *   authorization_code  code (that code decrypted) → a token pair.
 *
 * readOnly (or read_only) = true asks for a read-only pair. Every failure
 * is 400 in the OAuth2Error shape, but one: a password or mfa grant that
 * the guard (login_guard.h) holds back after too many failures is 429 in
 * VSPC's envelope with retryAfter (the REST overview's throttling), the
 * right secret included, and without checking it.
 *
 * What the other grants take — refresh tokens and mfa tokens (RS256-signed
 * JWTs), codes of 256 random bits — cannot be guessed, so they are not
 * counted. Codes are found by their SHA-256 in SQL (credentials.h says why
 * that lookup is safe); no secret is compared with strcmp or memcmp here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth/accounts.h"
#include "auth/credentials.h"
#include "answer/errors.h"
#include "handlers/handlers.h"
#include "auth/login_guard.h"
#include "auth/roles.h"
#include "crypto/rsakeys.h"
#include "crypto/totp.h"

#define CODE_SECONDS 300
#define TOTP_PROVIDER "TOTP"

static const char *field(const request *req, const char *name)
{
    return json_string_value(json_object_get(req->json_body, name));
}

static bool read_only_asked(const request *req)
{
    const json_t *v = json_object_get(req->json_body, "readOnly");
    if (!v)
        v = json_object_get(req->json_body, "read_only");
    return json_is_true(v) || (json_is_string(v) && !strcasecmp(json_string_value(v), "true"));
}

static bool required(response *res, const char *value, const char *name)
{
    if (value && *value)
        return true;
    error_oauth(res, "invalid_request", "The %s field is required.", name);
    return false;
}

/* Answers a token result, or 500 if it could not be made. */
static void answer(response *res, json_t *result)
{
    if (result)
        response_json(res, 200, result);
    else
        error_internal(res, "The token could not be issued.");
}

/* The user's enabled TOTP identity: its id, and the secret in *secret. */
static long totp_identity(const app *a, const char *user_uid, char **secret)
{
    *secret = NULL;
    long id = accounts_login_id(a->store, user_uid, TOTP_PROVIDER);
    if (id && auth_login_enabled(a->auth, id, NULL))
        *secret = credentials_of(a->store, "totp", user_uid, id);
    return *secret ? id : 0;
}

static void grant_password(request *req, response *res)
{
    const char *login = field(req, "username"), *password = field(req, "password");
    if (!required(res, login, "username") || !required(res, password, "password"))
        return;
    login_guard *guard = req->app->guard;
    if (login_guard_refuse(guard, LOGIN_GUARD_PASSWORD, login, request_client_ip(req), res))
        return;
    store *st = req->app->store;
    json_t *user = accounts_sign_in(st, login, password);
    if (!user) {
        login_guard_failed(guard, LOGIN_GUARD_PASSWORD, login, request_client_ip(req));
        error_oauth(res, "invalid_grant", "The user name or password is incorrect.");
        return;
    }
    login_guard_succeeded(guard, LOGIN_GUARD_PASSWORD, login);
    const char *uid = json_string_value(json_object_get(user, "instanceUid"));
    long lid = accounts_login_id(st, uid, ACCOUNTS_PASSWORD_PROVIDER);
    char *secret = NULL;
    bool mfa = totp_identity(req->app, uid, &secret) != 0;
    free(secret);
    answer(res, mfa ? auth_issue_mfa(req->app->auth, user, lid, read_only_asked(req))
                    : auth_issue(req->app->auth, user, lid, read_only_asked(req), NULL, NULL));
    json_decref(user);
}

static void grant_mfa(request *req, response *res)
{
    const char *mfa_token = field(req, "mfa_token"), *code = field(req, "mfa_code");
    if (!required(res, mfa_token, "mfa_token") || !required(res, code, "mfa_code"))
        return;
    auth *a = req->app->auth;
    token_claims c;
    if (!auth_redeem(a, mfa_token, TOKEN_MFA, false, &c)) {
        error_oauth(res, "invalid_grant", "The MFA token is invalid or expired.");
        return;
    }
    /* counted per user, apart from passwords: a correct password (which
     * comes first) must not reset the count of guessed codes */
    login_guard *guard = req->app->guard;
    if (login_guard_refuse(guard, LOGIN_GUARD_MFA, c.sub, request_client_ip(req), res))
        return;
    char *secret = NULL;
    totp_identity(req->app, c.sub, &secret);
    bool good = secret && totp_verify(secret, code, time(NULL), 1);
    free(secret);
    if (!good) {
        login_guard_failed(guard, LOGIN_GUARD_MFA, c.sub, request_client_ip(req));
        error_oauth_row(res, "invalid_grant", E_TOTP_INVALID);
        return;
    }
    login_guard_succeeded(guard, LOGIN_GUARD_MFA, c.sub);
    json_t *user = auth_user(a, c.sub);
    if (!user || !auth_redeem(a, mfa_token, TOKEN_MFA, true, &c)) {
        json_decref(user);
        error_oauth(res, "invalid_grant", "The MFA token is invalid or expired.");
        return;
    }
    answer(res, auth_issue(a, user, c.lid, c.ro, NULL, c.ts));
    json_decref(user);
}

static void grant_refresh(request *req, response *res)
{
    const char *refresh = field(req, "refresh_token");
    if (!required(res, refresh, "refresh_token"))
        return;
    auth *a = req->app->auth;
    token_claims c;
    json_t *user = NULL;
    if (!auth_redeem(a, refresh, TOKEN_REFRESH, true, &c) || !(user = auth_user(a, c.sub))) {
        error_oauth(res, "invalid_grant", "The refresh token is invalid, expired or used.");
        return;
    }
    answer(res, auth_issue(a, user, c.lid, c.ro, c.act[0] ? c.act : NULL, c.ts));
    json_decref(user);
}

static void grant_as(request *req, response *res)
{
    const char *refresh = field(req, "refresh_token"), *target_uid = field(req, "userUid");
    if (!required(res, refresh, "refresh_token") || !required(res, target_uid, "userUid"))
        return;
    auth *a = req->app->auth;
    token_claims c;
    json_t *actor = NULL;
    if (!auth_redeem(a, refresh, TOKEN_REFRESH, false, &c) || !(actor = auth_user(a, c.sub))) {
        error_oauth(res, "invalid_grant", "The refresh token is invalid, expired or used.");
        return;
    }
    json_t *target = auth_user(a, target_uid);
    if (!target) {
        error_oauth_row(res, "invalid_grant", E_USER_NOT_FOUND);
    } else if (!roles_may_manage(req->app->store, actor, target)) {
        error_oauth(res, "unauthorized_client",
                    "Impersonation requires the permissions to edit that user.");
    } else {
        answer(res, auth_issue(a, target, 0, c.ro, c.sub, NULL));
    }
    json_decref(actor);
    json_decref(target);
}

/* An enabled identity (by id) of an enabled user: the user record. */
static json_t *identity_user(request *req, const char *user_uid, long login_id, bool *ro)
{
    auth *a = req->app->auth;
    return auth_login_enabled(a, login_id, ro) ? auth_user(a, user_uid) : NULL;
}

static void grant_public_key(request *req, response *res)
{
    const char *key = field(req, "public_key");
    if (!required(res, key, "public_key"))
        return;
    char *pem = NULL, user_uid[40], code[65], digest[65];
    long lid = 0;
    bool ro = false;
    json_t *user = NULL;
    if (rsakeys_public_from((const unsigned char *)key, strlen(key), &pem) != RSAKEYS_OK ||
        !credentials_find(req->app->store, "publickey", pem, time(NULL), user_uid, &lid) ||
        !(user = identity_user(req, user_uid, lid, &ro))) {
        free(pem);
        error_oauth(res, "invalid_grant", "The public key is not assigned to an enabled user.");
        return;
    }
    json_decref(user);
    char *encrypted = NULL;
    bool ok = credentials_random_hex(code, 32);
    if (ok)
        credentials_digest(code, digest);
    ok = ok &&
         credentials_put(req->app->store, "code", user_uid, lid, digest,
                         (long long)time(NULL) + CODE_SECONDS) &&
         rsakeys_encrypt(pem, (const unsigned char *)code, strlen(code), &encrypted) ==
             RSAKEYS_OK;
    free(pem);
    answer(res, ok ? json_pack("{s:n, s:s, s:n, s:n, s:s, s:i}", "access_token", "token_type",
                               "bearer", "refresh_token", "mfa_token", "encrypted_code",
                               encrypted, "expires_in", CODE_SECONDS)
                   : NULL);
    free(encrypted);
}

static void grant_code(request *req, response *res)
{
    const char *code = field(req, "code");
    if (!required(res, code, "code"))
        return;
    char digest[65], user_uid[40];
    long lid = 0;
    bool ro = false;
    credentials_digest(code, digest);
    json_t *user = NULL;
    store *st = req->app->store;
    if (!credentials_find(st, "code", digest, time(NULL), user_uid, &lid) || lid < 0 ||
        !credentials_drop(st, "code", user_uid, lid, digest) ||
        !(user = identity_user(req, user_uid, lid, &ro))) {
        error_oauth(res, "invalid_grant", "The authorization code is invalid or expired.");
        return;
    }
    answer(res, auth_issue(req->app->auth, user, lid, ro || read_only_asked(req), NULL, NULL));
    json_decref(user);
}

static const struct {
    const char *grant;
    void (*fn)(request *, response *);
} grants[] = {
    {"password", grant_password},     {"mfa", grant_mfa},
    {"refresh_token", grant_refresh}, {"as", grant_as},
    {"public_key", grant_public_key}, {"authorization_code", grant_code},
};

void handle_token(request *req, response *res)
{
    const char *grant = field(req, "grant_type");
    for (size_t i = 0; grant && i < sizeof grants / sizeof grants[0]; i++) {
        if (!strcmp(grants[i].grant, grant)) {
            grants[i].fn(req, res);
            return;
        }
    }
    error_oauth(res, "unsupported_grant_type", "The grant type '%s' is not supported.",
                grant ? grant : "");
}
