/* handler_accounts.c — users as accounts: what the store handler does for
 * users, plus what passwords need.
 *
 *   GET  /users/me             the signed-in user (the impersonated one
 *                              under an `as` token)
 *   POST /users                the store's create; credentials.password
 *                              becomes a PBKDF2 hash and a password identity;
 *                              a backupResource makes a Subtenant user's
 *                              subtenant (handler_subtenants.c)
 *   PATCH /users/{userUid}     the store's patch; operations on
 *                              /credentials/password set the password
 *                              instead of the record; disabling a user ends
 *                              its sessions (auth.h checks status)
 *   DELETE /users/{userUid}    the store's delete, then the user's secrets
 *                              and tokens
 *   POST /users/resetpassword  anonymous: a reset code for userName+email,
 *                              valid one hour (VSPC mails it; the emulator
 *                              writes it to the log); always answers true
 *   PUT  /users/resetpassword  anonymous: code + newPassword; wrong codes
 *                              count against the client's address
 *                              (login_guard.h), and past its budget the
 *                              PUT is 429 until the window passes
 *
 * A reset code is found by its SHA-256 in SQL, not compared here
 * (credentials.h says why that is safe).
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
#include "base/log.h"
#include "auth/login_guard.h"
#include "auth/roles.h"

#define RESET_SECONDS 3600

void handle_current_user(request *req, response *res)
{
    json_t *user = NULL;
    if (store_get(req->app->store, "User", req->who.user_uid, &user, NULL) != STORE_OK) {
        error_answer(res, E_USER_NOT_FOUND, NULL, NULL);
        return;
    }
    response_data(res, user);
}

/* The data of the answer the store handler made (caller decrefs). */
static json_t *answered_data(const response *res)
{
    return res->status == 200 ? json_incref((json_t *)response_data_of(res)) : NULL;
}

bool handlers_manages(request *req, response *res, const json_t *target)
{
    json_t *me = auth_user(req->app->auth, req->who.user_uid);
    bool may = me && roles_may_manage(req->app->store, me, target);
    json_decref(me);
    if (!may) {
        const char *role = json_string_value(json_object_get(target, "role"));
        error_answer(res, E_FORBIDDEN, NULL,
                     "The %s role cannot manage a user of the %s role in that organization.",
                     req->who.role, role ? role : "given");
    }
    return may;
}

/* A company has one Company Owner, made with the company: another is a
 * 409 naming role. */
static bool owner_is_unique(request *req, response *res, const json_t *user)
{
    const char *role = json_string_value(json_object_get(user, "role"));
    const char *org = json_string_value(json_object_get(user, "organizationUid"));
    if (!role || strcmp(role, "CompanyOwner") || !org)
        return true;
    store_filter f = {2, {"organizationUid", "role"}, {org, "CompanyOwner"}};
    char *uid = NULL;
    json_t *body = NULL;
    store_status st = store_find(req->app->store, "User", &f, &uid, &body, NULL);
    bool taken = st == STORE_OK &&
                 strcmp(uid, json_string_value(json_object_get(user, "instanceUid"))
                                 ? json_string_value(json_object_get(user, "instanceUid"))
                                 : "");
    free(uid);
    json_decref(body);
    if (taken)
        error_answer(res, E_CONFLICT, "role",
                     "The company already has a Company Owner; a company has exactly one.");
    return !taken;
}

/* The user a path addresses if the caller sees it (caller decrefs), else
 * NULL: the store handler then answers its 404. */
static json_t *seen_user(request *req)
{
    const char *uid = request_path_param(req, "userUid");
    json_t *user = NULL;
    if (!uid || !handlers_sees(req, "User", uid) ||
        store_get(req->app->store, "User", uid, &user, NULL) != STORE_OK)
        return NULL;
    return user;
}

/* The value a JSON Patch gives path (the last one), or NULL. */
static const json_t *patched_value(const json_t *patch, const char *path)
{
    const json_t *found = NULL;
    size_t i;
    const json_t *op;
    json_array_foreach(patch, i, op) {
        const char *p = json_string_value(json_object_get(op, "path"));
        if (p && (!strcasecmp(p, path) || (p[0] != '/' && !strcasecmp(p, path + 1))))
            found = json_object_get(op, "value");
    }
    return found;
}

void handle_create_user(request *req, response *res)
{
    /* the user to be: its role and organization, not yet a UID of its own */
    json_t *to_be = json_deep_copy(req->json_body);
    if (to_be)
        json_object_set_new(to_be, "instanceUid", json_string(""));
    json_t *resource = NULL;
    bool ok = to_be && handlers_manages(req, res, to_be) &&
              owner_is_unique(req, res, req->json_body) && subtenant_check(req, res, &resource);
    json_decref(to_be);
    if (!ok)
        return;
    const char *given =
        json_string_value(json_object_get(json_object_get(req->json_body, "credentials"),
                                          "password"));
    char *password = given ? strdup(given) : NULL;
    handle_store(req, res);
    json_t *user = answered_data(res);
    const char *uid = json_string_value(json_object_get(user, "instanceUid"));
    if (uid) {
        store *st = req->app->store;
        json_t *login = accounts_add_login(st, user, ACCOUNTS_PASSWORD_PROVIDER,
                                           "Password identity", NULL, false, "");
        if (!login || (password && !accounts_set_password(st, uid, password)))
            log_error("accounts: the password of new user %s could not be stored", uid);
        json_decref(login);
        if (!subtenant_make(req, user, resource))
            log_error("accounts: the subtenant of new user %s could not be stored", uid);
    }
    json_decref(resource);
    json_decref(user);
    free(password);
}

/* Takes the operations on /credentials/password out of a JSON Patch: the
 * last value given is the new password (malloc'd), or NULL. */
static char *take_password_ops(json_t *patch)
{
    char *password = NULL;
    for (size_t i = 0; json_is_array(patch) && i < json_array_size(patch);) {
        json_t *op = json_array_get(patch, i);
        const char *path = json_string_value(json_object_get(op, "path"));
        if (path && (!strcasecmp(path, "/credentials/password") ||
                     !strcasecmp(path, "credentials/password"))) {
            const char *v = json_string_value(json_object_get(op, "value"));
            if (v) {
                free(password);
                password = strdup(v);
            }
            json_array_remove(patch, i);
        } else {
            i++;
        }
    }
    return password;
}

void handle_patch_user(request *req, response *res)
{
    json_t *target = seen_user(req);
    if (target) {
        /* oneself: profile and password, not one's role or organization */
        bool self = !strcmp(req->who.user_uid, json_string_value(json_object_get(target, "instanceUid")));
        const json_t *role = patched_value(req->json_body, "/role");
        const json_t *org = patched_value(req->json_body, "/organizationUid");
        bool ok = true;
        if (self && (role || org)) {
            error_answer(res, E_FORBIDDEN, NULL, "A user cannot change its own role or organization.");
            ok = false;
        } else if (!self) {
            ok = handlers_manages(req, res, target);
            json_t *after = ok && (role || org) ? json_deep_copy(target) : NULL;
            if (after) {
                if (role)
                    json_object_set(after, "role", (json_t *)role);
                if (org)
                    json_object_set(after, "organizationUid", (json_t *)org);
                ok = handlers_manages(req, res, after) && owner_is_unique(req, res, after);
                json_decref(after);
            }
        }
        json_decref(target);
        if (!ok)
            return;
    }
    char *password = take_password_ops(req->json_body);
    handle_store(req, res);
    json_t *user = answered_data(res);
    const char *uid = json_string_value(json_object_get(user, "instanceUid"));
    if (uid && password) {
        if (!accounts_set_password(req->app->store, uid, password))
            error_internal(res, "The password could not be stored.");
    }
    json_decref(user);
    free(password);
}

void handle_delete_user(request *req, response *res)
{
    json_t *target = seen_user(req);
    if (target) {
        bool self = !strcmp(req->who.user_uid, json_string_value(json_object_get(target, "instanceUid")));
        bool ok = !self && handlers_manages(req, res, target);
        if (self)
            error_answer(res, E_FORBIDDEN, NULL, "A user cannot delete itself.");
        json_decref(target);
        if (!ok)
            return;
    }
    const char *uid = request_path_param(req, "userUid");
    char *copy = uid ? strdup(uid) : NULL;
    handle_store(req, res);
    if (res->status == 200 && copy && !accounts_forget(req->app->store, req->app->auth, copy, -1))
        log_error("accounts: the secrets of deleted user %s could not be dropped", copy);
    free(copy);
}

void handle_reset_request(request *req, response *res)
{
    const char *name = json_string_value(json_object_get(req->json_body, "userName"));
    const char *email = json_string_value(json_object_get(req->json_body, "email"));
    json_t *user = accounts_find_user(req->app->store, name);
    const char *uid = json_string_value(json_object_get(user, "instanceUid"));
    const char *has = json_string_value(
        json_object_get(json_object_get(user, "profile"), "email"));
    if (uid && has && email && !strcasecmp(has, email)) {
        char code[33], digest[65];
        if (credentials_random_hex(code, 16)) {
            credentials_digest(code, digest);
            if (credentials_put(req->app->store, "code", uid, -1, digest,
                                (long long)time(NULL) + RESET_SECONDS))
                log_info("accounts: password reset code for %s <%s>: %s", name, email, code);
        }
    }
    json_decref(user);
    response_data(res, json_true()); /* whoever asks learns nothing about who exists */
}

void handle_reset_complete(request *req, response *res)
{
    const char *code = json_string_value(json_object_get(req->json_body, "code"));
    const char *password = json_string_value(json_object_get(req->json_body, "newPassword"));
    char digest[65], uid[40];
    long lid;
    /* the codes are 128 random bits: the guard is for the address that
     * keeps trying, there is no login to count against */
    login_guard *guard = req->app->guard;
    if (login_guard_refuse(guard, LOGIN_GUARD_RESET, NULL, request_client_ip(req), res))
        return;
    credentials_digest(code ? code : "", digest);
    store *st = req->app->store;
    if (!credentials_find(st, "code", digest, (long long)time(NULL), uid, &lid) || lid != -1) {
        login_guard_failed(guard, LOGIN_GUARD_RESET, NULL, request_client_ip(req));
        error_bad_property(res, "code", "The password reset code is invalid or expired.");
        return;
    }
    if (!password || !*password) {
        error_bad_property(res, "newPassword", "The new password must not be empty.");
        return;
    }
    if (!credentials_drop(st, "code", uid, -1, digest) ||
        !accounts_set_password(st, uid, password) || auth_revoke(req->app->auth, uid, -1) < 0) {
        error_internal(res, "The password could not be reset.");
        return;
    }
    response_data(res, json_true());
}
