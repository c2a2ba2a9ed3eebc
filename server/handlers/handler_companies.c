/* handler_companies.c — the business rules of companies and locations that
 * the store's create and delete do not know:
 *
 *   POST /organizations/companies      the company (the store's create),
 *                                      then its Company Owner — a user of
 *                                      that role made from ownerCredentials,
 *                                      whose login then works — and its
 *                                      default location (3.5.1's input has
 *                                      no ownerCredentials: no owner). A login already
 *                                      taken is a 409 naming
 *                                      ownerCredentials.userName, before
 *                                      anything is stored. A reseller's
 *                                      company is the reseller's unless the
 *                                      body says otherwise.
 *   DELETE /organizations/locations/{locationUid}
 *                                      refused with VSPC's 1500 when it is
 *                                      the last location of its company.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer/errors.h"
#include "auth/accounts.h"
#include "base/log.h"
#include "base/rng.h"
#include "base/uuid.h"
#include "handlers/handlers.h"
#include "store/records.h"
#include "world/new_records.h"

#define DEFAULT_LOCATION_NAME "Default location"

bool handlers_put_new(request *req, const char *name, const char *uid, json_t *input)
{
    /* records have the newest version's shape, whichever version asks */
    const entity_model *m = req->app->contracts.latest->entities;
    const entity *e = entities_find(m, name);
    json_t *record = e ? new_record_build(req->app->invariants, m, e, input, NULL, rng_mix(2, uid)) : NULL;
    if (!record)
        return false;
    json_object_update(record, input); /* what the rules say wins over generated values */
    if (e->id_prop)
        json_object_set_new(record, e->id_prop, json_string(uid));
    store_record rec = {.type = name, .uid = uid, .body = record};
    bool ok = store_put(req->app->store, &rec, false) == STORE_OK &&
              owners_derive_one(req->app->store, req->app->owners, name, uid);
    json_decref(record);
    return ok;
}

/* The Company Owner of a new company, from its ownerCredentials. */
static bool make_owner(request *req, const char *company, const json_t *credentials,
                       const json_t *organization)
{
    char uid[UUID_STR_LEN];
    const char *login = json_string_value(json_object_get(credentials, "userName"));
    const char *password = json_string_value(json_object_get(credentials, "password"));
    const char *email = json_string_value(json_object_get(organization, "email"));
    json_t *input = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:{s:s, s:n}, s:s}", "role",
                              "CompanyOwner", "organizationUid", company, "userName", login,
                              "profile", "firstName", "Company", "lastName", "Owner", "email",
                              email ? email : "", "credentials", "userName", login, "password",
                              "status", "Enabled");
    bool ok = input && uuid_random(uid) && handlers_put_new(req, "User", uid, input);
    json_decref(input);
    json_t *user = NULL;
    if (ok)
        ok = store_get(req->app->store, "User", uid, &user, NULL) == STORE_OK;
    json_t *identity = ok ? accounts_add_login(req->app->store, user, ACCOUNTS_PASSWORD_PROVIDER,
                                               "Password identity", NULL, false, "")
                          : NULL;
    ok = identity && (!password || accounts_set_password(req->app->store, uid, password));
    json_decref(identity);
    json_decref(user);
    return ok;
}

/* The default location of a new company. */
static bool make_location(request *req, const char *company)
{
    char uid[UUID_STR_LEN];
    json_t *input = json_pack("{s:s, s:s, s:s, s:i}", "organizationUid", company, "name",
                              DEFAULT_LOCATION_NAME, "type", "Default", "quotaGb", 0);
    bool ok = input && uuid_random(uid) &&
              handlers_put_new(req, owner_rules_location_type(req->app->owners), uid, input);
    json_decref(input);
    return ok;
}

void handle_create_company(request *req, response *res)
{
    const json_t *credentials = json_object_get(req->json_body, "ownerCredentials");
    const char *login = json_string_value(json_object_get(credentials, "userName"));
    json_t *taken = login ? accounts_find_user(req->app->store, login) : NULL;
    if (taken) {
        json_decref(taken);
        error_answer(res, E_CONFLICT, "ownerCredentials.userName",
                     "A user with the login '%s' already exists.", login);
        return;
    }
    /* a reseller's new company is its own */
    if (req->scope.kind == SCOPE_RESELLER && !json_is_string(json_object_get(req->json_body,
                                                                             "resellerUid")))
        json_object_set_new(req->json_body, "resellerUid", json_string(req->scope.org));
    handle_store(req, res);
    const json_t *company = response_data_of(res);
    const char *uid = res->status == 200 ? json_string_value(json_object_get(company, "instanceUid"))
                                         : NULL;
    if (!uid)
        return;
    store *st = req->app->store;
    /* an older version's input has no ownerCredentials: no owner then */
    bool ok = store_begin(st) &&
              (!login || make_owner(req, uid, credentials,
                                    json_object_get(req->json_body, "organizationInput"))) &&
              make_location(req, uid);
    if (ok && store_commit(st))
        return;
    store_rollback(st);
    /* the company without its owner would be half a company: undone */
    log_error("companies: the owner or location of company %s could not be made", uid);
    char *copy = strdup(uid);
    const entity *e = entities_find(req->app->contracts.latest->entities, "Company");
    if (copy && e) {
        store_delete(st, "Company", copy);
        if (e->root)
            store_delete(st, e->root->name, copy);
    }
    free(copy);
    error_internal(res, "The company's owner could not be created.");
}

void handle_delete_location(request *req, response *res)
{
    const char *type = owner_rules_location_type(req->app->owners);
    const char *uid = request_path_param(req, "locationUid");
    json_t *location = NULL;
    if (uid && handlers_sees(req, type, uid) &&
        store_get(req->app->store, type, uid, &location, NULL) == STORE_OK) {
        const char *org = json_string_value(json_object_get(location, "organizationUid"));
        store_filter f = {1, {"organizationUid"}, {org ? org : ""}};
        long total = 0;
        buf none;
        buf_init(&none);
        bool company = handlers_seen(req, "Company", org) == SEEN_INSIDE;
        bool last = company &&
                    store_list(req->app->store, type, &f, 0, 0, &total, &none) == STORE_OK &&
                    total <= 1;
        buf_free(&none);
        json_decref(location);
        if (last) {
            error_answer(res, E_LAST_LOCATION, NULL, NULL);
            return;
        }
    }
    handle_store(req, res);
}
