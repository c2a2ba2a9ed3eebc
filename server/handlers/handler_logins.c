/* handler_logins.c — a user's login identities and tokens (the REST
 * overview's API key, MFA and token invalidation sections):
 *
 *   POST   /users/{userUid}/logins/apikey              an API key identity
 *   POST   /users/{userUid}/logins/totp                a TOTP (MFA) identity
 *   POST   /users/{userUid}/logins/asymmetricalgorithm an RSA public key
 *   DELETE /users/{userUid}/logins/{userLoginId}       an identity and its secrets
 *   DELETE /users/{userUid}/tokens[?userLoginId=]      revokes tokens at once
 *
 * A caller acts on itself, or on a user its role manages (roles.h); else
 * 403. The secrets go to the credential tables; an API key is shown once,
 * in the answer that creates it.
 */
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/accounts.h"
#include "auth/credentials.h"
#include "answer/errors.h"
#include "handlers/handlers.h"
#include "auth/roles.h"
#include "crypto/rsakeys.h"
#include "crypto/totp.h"

#define TOTP_PROVIDER "TOTP"
#define APIKEY_PROVIDER "AK"
#define PUBLIC_KEY_PROVIDER "RSA"

/* The user of the path if the caller may act on it (caller decrefs); NULL
 * with 404 (1100) or 403 in res. */
static json_t *logins_target_user(request *req, response *res)
{
    const char *uid = request_path_param(req, "userUid");
    json_t *user = NULL;
    if (!uid || !handlers_sees(req, "User", uid) ||
        store_get(req->app->store, "User", uid, &user, NULL) != STORE_OK) {
        error_answer(res, E_USER_NOT_FOUND, "userUid", NULL);
        return NULL;
    }
    if (!strcmp(req->who.user_uid, uid))
        return user;
    json_t *me = auth_user(req->app->auth, req->who.user_uid);
    bool may = me && roles_may_manage(req->app->store, me, user);
    json_decref(me);
    if (!may) {
        json_decref(user);
        error_answer(res, E_FORBIDDEN, NULL,
                     "Access to the requested resource is forbidden.");
        return NULL;
    }
    return user;
}

/* An API key like VSPC's: 16 hex digits, then 112 letters and digits. */
static bool new_api_key(char out[129])
{
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char r[128];
    if (RAND_bytes(r, sizeof r) != 1)
        return false;
    for (int i = 0; i < 8; i++)
        snprintf(out + 2 * i, 3, "%02x", r[i]);
    for (int i = 16; i < 128; i++)
        out[i] = alnum[r[i] % 62];
    out[128] = 0;
    return true;
}

static const char *param_text(const request *req, const char *name)
{
    return json_string_value(request_param(req, name));
}

void handle_add_api_key(request *req, response *res)
{
    json_t *user = logins_target_user(req, res);
    if (!user)
        return;
    const char *uid = json_string_value(json_object_get(user, "instanceUid"));
    char key[129], digest[65];
    bool ro = json_is_true(request_param(req, "isReadAccessOnly"));
    json_t *login = new_api_key(key)
                        ? accounts_add_login(req->app->store, user, APIKEY_PROVIDER,
                                             param_text(req, "description"),
                                             request_param(req, "scopes"), ro, "")
                        : NULL;
    credentials_digest(key, digest);
    long id = (long)json_integer_value(json_object_get(login, "id"));
    if (!login || !credentials_put(req->app->store, "apikey", uid, id, digest, 0)) {
        json_decref(login);
        json_decref(user);
        error_internal(res, "The API key could not be stored.");
        return;
    }
    json_decref(user);
    json_object_set_new(login, "parameters", json_string(key)); /* shown once */
    response_data(res, login);
}

/* The secret= value of an otpauth:// URL (percent-decoding not needed:
 * base32 has no reserved characters), into out. */
static bool secret_of_url(const char *url, char *out, size_t len)
{
    const char *q = url ? strchr(url, '?') : NULL;
    for (const char *p = q; p; p = strchr(p + 1, '&')) {
        if (!strncmp(p + 1, "secret=", 7)) {
            const char *v = p + 8;
            size_t n = strcspn(v, "&");
            if (n == 0 || n >= len)
                return false;
            memcpy(out, v, n);
            out[n] = 0;
            unsigned char bytes[128];
            return base32_decode(out, bytes, sizeof bytes) >= 10;
        }
    }
    return false;
}

void handle_add_totp(request *req, response *res)
{
    char secret[129];
    if (!secret_of_url(param_text(req, "secretUrl"), secret, sizeof secret)) {
        error_bad_parameter(res, "secretUrl",
                            "The secretUrl must be an otpauth:// URL with a base32 secret.");
        return;
    }
    if (!totp_verify(secret, param_text(req, "code"), time(NULL), 1)) {
        error_answer(res, E_TOTP_INVALID, "code", NULL);
        return;
    }
    json_t *user = logins_target_user(req, res);
    if (!user)
        return;
    store *st = req->app->store;
    const char *uid = json_string_value(json_object_get(user, "instanceUid"));
    json_t *login = accounts_add_login(st, user, TOTP_PROVIDER, param_text(req, "description"),
                                       request_param(req, "scopes"), false, "");
    long id = (long)json_integer_value(json_object_get(login, "id"));
    bool ok = login && credentials_put(st, "totp", uid, id, secret, 0);
    if (ok) {
        json_object_set_new(user, "mfaPolicyConfigurationStatus", json_string("Configured"));
        ok = store_update(st, "User", uid, user) == STORE_OK;
    }
    json_decref(user);
    if (!ok) {
        json_decref(login);
        error_internal(res, "The TOTP identity could not be stored.");
        return;
    }
    response_data(res, login);
}

void handle_add_public_key(request *req, response *res)
{
    char *pem = NULL;
    rsakeys_status rs = rsakeys_public_from((const unsigned char *)req->body, req->body_len, &pem);
    if (rs != RSAKEYS_OK) {
        vspc_error e = rs == RSAKEYS_NOT_RSA     ? E_KEY_NOT_RSA
                       : rs == RSAKEYS_PROTECTED ? E_KEY_PROTECTED
                                                 : E_KEY_FORMAT;
        error_answer(res, e, NULL, NULL);
        return;
    }
    char owner[40];
    long owner_login;
    if (credentials_find(req->app->store, "publickey", pem, time(NULL), owner, &owner_login)) {
        free(pem);
        error_answer(res, E_KEY_TAKEN, NULL, NULL);
        return;
    }
    json_t *user = logins_target_user(req, res);
    if (!user) {
        free(pem);
        return;
    }
    const char *uid = json_string_value(json_object_get(user, "instanceUid"));
    json_t *login = accounts_add_login(req->app->store, user, PUBLIC_KEY_PROVIDER,
                                       param_text(req, "description"), request_param(req, "scopes"),
                                       json_is_true(request_param(req, "isReadAccessOnly")), "");
    long id = (long)json_integer_value(json_object_get(login, "id"));
    bool ok = login && credentials_put(req->app->store, "publickey", uid, id, pem, 0);
    free(pem);
    json_decref(user);
    if (!ok) {
        json_decref(login);
        error_internal(res, "The public key identity could not be stored.");
        return;
    }
    response_data(res, login);
}

void handle_delete_login(request *req, response *res)
{
    json_t *user = logins_target_user(req, res);
    if (!user)
        return;
    const char *uid = json_string_value(json_object_get(user, "instanceUid"));
    const char *id_text = request_path_param(req, "userLoginId");
    json_t *login = NULL;
    store *st = req->app->store;
    const char *owner = NULL;
    if (store_get(st, "UserLogin", id_text, &login, NULL) == STORE_OK)
        owner = json_string_value(json_object_get(login, "userUid"));
    if (!owner || strcmp(owner, uid) != 0) {
        json_decref(login);
        json_decref(user);
        error_not_found(res, "User identity '%s' of user '%s' does not exist.", id_text, uid);
        return;
    }
    long id = (long)json_integer_value(json_object_get(login, "id"));
    bool ok = store_delete(st, "UserLogin", id_text) == STORE_OK &&
              accounts_forget(req->app->store, req->app->auth, uid, id);
    if (ok && !strcmp(json_string_value(json_object_get(login, "identityProviderName")),
                      TOTP_PROVIDER)) {
        json_object_set_new(user, "mfaPolicyConfigurationStatus", json_string("NotConfigured"));
        ok = store_update(st, "User", uid, user) == STORE_OK;
    }
    json_decref(login);
    json_decref(user);
    if (!ok) {
        error_internal(res, "The user identity could not be deleted.");
        return;
    }
    response_data(res, json_true());
}

void handle_revoke_tokens(request *req, response *res)
{
    json_t *user = logins_target_user(req, res);
    if (!user)
        return;
    const char *uid = json_string_value(json_object_get(user, "instanceUid"));
    const json_t *lid = request_param(req, "userLoginId");
    long n = auth_revoke(req->app->auth, uid, lid ? (long)json_integer_value(lid) : -1);
    json_decref(user);
    if (n < 0) {
        error_internal(res, "The tokens could not be revoked.");
        return;
    }
    response_data(res, json_true());
}
