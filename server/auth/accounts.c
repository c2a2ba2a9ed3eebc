/* accounts.c — see accounts.h. */
#include "auth/accounts.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/credentials.h"
#include "base/log.h"
#include "crypto/password.h"
#include <openssl/rand.h>
#include <time.h>

json_t *accounts_find_user(store *st, const char *login)
{
    if (!login)
        return NULL;
    const char *slash = strrchr(login, '\\');
    const char *name = slash ? slash + 1 : login;
    json_t *args = json_pack("[s]", name), *rows = NULL;
    store_status s = store_exec(st,
                                "SELECT body FROM records WHERE type = 'User'"
                                " AND json_extract(body, '$.userName') = ? COLLATE NOCASE"
                                " ORDER BY seq LIMIT 1",
                                args, 1, &rows, NULL);
    json_decref(args);
    const char *body = s == STORE_OK ? json_string_value(json_array_get(json_array_get(rows, 0), 0))
                                     : NULL;
    json_t *user = body ? json_loads(body, 0, NULL) : NULL;
    json_decref(rows);
    return user;
}

long accounts_login_id(store *st, const char *user_uid, const char *provider)
{
    store_filter f = {2, {"userUid", "identityProviderName"}, {user_uid, provider}};
    char *uid = NULL;
    json_t *body = NULL;
    long id = 0;
    if (store_find(st, "UserLogin", &f, &uid, &body, NULL) == STORE_OK)
        id = (long)json_integer_value(json_object_get(body, "id"));
    free(uid);
    json_decref(body);
    return id;
}

bool accounts_set_password(store *st, const char *user_uid, const char *password)
{
    char *hash = password_hash(password);
    bool ok = hash && credentials_drop(st, "password", user_uid, -1, NULL) &&
              credentials_put(st, "password", user_uid,
                              accounts_login_id(st, user_uid, ACCOUNTS_PASSWORD_PROVIDER), hash, 0);
    free(hash);
    return ok;
}

bool accounts_check_password(store *st, const char *user_uid, const char *password)
{
    char *hash = credentials_of(st, "password", user_uid, -1);
    bool ok = hash && password_verify(password, hash);
    free(hash);
    return ok;
}

json_t *accounts_sign_in(store *st, const char *login, const char *password)
{
    json_t *user = accounts_find_user(st, login);
    const char *uid = json_string_value(json_object_get(user, "instanceUid"));
    /* the lookup runs for an unknown login too (no user has the UID ""):
     * the same queries on both paths */
    char *hash = credentials_of(st, "password", uid ? uid : "", -1);
    bool ok = hash ? password_verify(password, hash) : password_verify_dummy(password);
    free(hash);
    const char *status = json_string_value(json_object_get(user, "status"));
    if (!ok || !uid || (status && strcasecmp(status, "Enabled"))) {
        json_decref(user);
        return NULL;
    }
    return user;
}

/* The default users' hashes, where a user has none yet. */
static bool seed_fixture_passwords(store *st, const char *fixtures_dir, char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/passwords.json", fixtures_dir);
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    if (!doc)
        return true; /* a fixtures folder of one's own may have none */
    const char *uid;
    json_t *hash;
    bool ok = true;
    json_object_foreach(json_object_get(doc, "_passwords"), uid, hash) {
        char *have = credentials_of(st, "password", uid, -1);
        json_t *user = NULL;
        if (!have && json_is_string(hash) &&
            store_get(st, "User", uid, &user, NULL) == STORE_OK)
            ok = ok && credentials_put(st, "password", uid,
                                       accounts_login_id(st, uid,
                                                         ACCOUNTS_PASSWORD_PROVIDER),
                                       json_string_value(hash), 0);
        json_decref(user);
        free(have);
    }
    json_decref(doc);
    if (!ok)
        snprintf(err, errlen, "cannot store the default passwords: %s", store_errmsg(st));
    return ok;
}

/* --admin-user names the first portal administrator; --admin-password is
 * its password. */
static bool seed_admin(store *st, const char *admin_user, const char *admin_password, char *err,
                       size_t errlen)
{
    json_t *admin = accounts_find_user(st, admin_user);
    if (!admin) {
        /* rename the first portal administrator */
        store_filter f = {1, {"role"}, {"PortalAdministrator"}};
        char *uid = NULL;
        if (store_find(st, "User", &f, &uid, &admin, NULL) != STORE_OK) {
            free(uid);
            log_warn("accounts: no portal administrator to give --admin-user to");
            return true;
        }
        free(uid);
        json_object_set_new(admin, "userName", json_string(admin_user));
        json_t *cred = json_object_get(admin, "credentials");
        if (json_is_object(cred))
            json_object_set_new(cred, "userName", json_string(admin_user));
        store_update(st, "User", json_string_value(json_object_get(admin, "instanceUid")),
                     admin);
    }
    const char *uid = json_string_value(json_object_get(admin, "instanceUid"));
    bool ok = uid && (accounts_check_password(st, uid, admin_password) ||
                      accounts_set_password(st, uid, admin_password));
    if (!ok)
        snprintf(err, errlen, "cannot set the administrator's password: %s",
                 store_errmsg(st));
    json_decref(admin);
    return ok;
}

static void *make_dummy_hash(void *unused)
{
    (void)unused;
    password_init();
    return NULL;
}

bool accounts_seed(store *st, const char *fixtures_dir, const char *admin_user,
                   const char *admin_password, char *err, size_t errlen)
{
    /* the first unknown login must not pay for the dummy hash, nor the
     * start wait for it: a thread makes it (a login arriving first waits
     * in password_init's pthread_once) */
    pthread_t t;
    if (pthread_create(&t, NULL, make_dummy_hash, NULL) == 0)
        pthread_detach(t);
    else
        password_init();
    return seed_fixture_passwords(st, fixtures_dir, err, errlen) &&
           seed_admin(st, admin_user, admin_password, err, errlen);
}

/* The next free identity id. */
static long next_login_id(store *st)
{
    json_t *rows = NULL;
    long next = 0;
    if (store_exec(st, "SELECT COALESCE(MAX(CAST(uid AS INTEGER)), 0) + 1 FROM records"
                       " WHERE type = 'UserLogin'",
                   NULL, 1, &rows, NULL) == STORE_OK)
        next = (long)json_integer_value(json_array_get(json_array_get(rows, 0), 0));
    json_decref(rows);
    return next;
}

/* Now as VSPC writes dates: 2020-08-18T16:02:26.0136931+00:00. */
static void now_text(char out[40])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 40, "%Y-%m-%dT%H:%M:%S.0000000+00:00", &tm);
}

json_t *accounts_add_login(store *st, const json_t *user, const char *provider,
                           const char *description, const json_t *scopes, bool read_only,
                           const char *parameters)
{
    const char *user_uid = json_string_value(json_object_get(user, "instanceUid"));
    const char *org = json_string_value(json_object_get(user, "organizationUid"));
    const char *name = json_string_value(json_object_get(user, "userName"));
    long id = next_login_id(st);
    if (!user_uid || id <= 0)
        return NULL;
    json_t *organization = NULL;
    if (org)
        store_get(st, "Organization", org, &organization, NULL);
    char created[40], uid[32], ident[32];
    now_text(created);
    snprintf(uid, sizeof uid, "%ld", id);
    unsigned char r[8] = {0};
    if (RAND_bytes(r, sizeof r) != 1)
        return NULL;
    unsigned long long n = 0;
    for (size_t i = 0; i < sizeof r; i++)
        n = n << 8 | r[i];
    snprintf(ident, sizeof ident, "%llu", n);
    json_t *login = json_pack(
        "{s:I, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:o, s:s, s:s}", "id", (json_int_t)id,
        "userUid", user_uid, "identityProviderName", provider, "description",
        description ? description : "", "isReadAccessOnly", read_only, "status", "enabled",
        "identifierInProvider", ident, "userName",
        name ? name : "", "scopes", scopes ? json_deep_copy(scopes) : json_array(), "parameters", parameters ? parameters : "",
        "creationDate", created);
    if (login && org) {
        json_object_set_new(login, "companyId", json_string(org));
        const char *oname = json_string_value(json_object_get(organization, "name"));
        json_object_set_new(login, "companyName", json_string(oname ? oname : ""));
    }
    json_decref(organization);
    json_t *scope = json_pack("{s:s}", "organizationUid", org ? org : user_uid);
    /* an identity belongs to whoever its user belongs to (the owner columns
     * of store.h, for tenant scoping) */
    store_owner owner;
    bool owned = store_owner_get(st, "User", user_uid, &owner) == STORE_OK && owner.org[0];
    store_record rec = {.type = "UserLogin", .uid = uid, .scope = scope, .body = login,
                        .org = owned ? owner.org : NULL,
                        .reseller = owned && owner.reseller[0] ? owner.reseller : NULL,
                        .loc = owned && owner.loc[0] ? owner.loc : NULL,
                        .sub = owned && owner.sub[0] ? owner.sub : NULL};
    bool ok = login && store_put(st, &rec, false) == STORE_OK;
    json_decref(scope);
    if (!ok) {
        json_decref(login);
        return NULL;
    }
    return login;
}

bool accounts_forget(store *st, auth *au, const char *user_uid, long login_id)
{
    static const char *const kinds[] = {"password", "apikey", "totp", "publickey", "code"};
    bool ok = true;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        ok = credentials_drop(st, kinds[i], user_uid, login_id, NULL) && ok;
    return auth_revoke(au, user_uid, login_id) >= 0 && ok;
}
