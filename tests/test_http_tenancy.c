/* test_http_tenancy.c — who may see what, over real HTTP (issue 11).
 *
 * The probe: as each of the 16 default users, every GET collection of
 * 3.6.1 (path parameters filled from the administrator's view) must answer
 * only records inside the caller's scope, and an item GET of a record
 * outside it must be 404 (or 403 where the role may not call the
 * operation at all). "Inside" is what tenancy/scope.h says of the owner
 * columns in the server's database (read from a copy); the owner columns
 * themselves are checked against the fixtures' own facts (which reseller
 * manages which company, which company owns which users) by the first
 * tests, so the probe does not take the implementation's word for them.
 */
#include <check.h>
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract/contract.h"
#include "contract/entities.h"
#include "httpclient.h"
#include "requests.h"
#include "store/store.h"
#include "tenancy/owners.h"
#include "tenancy/scope.h"
#include "testutil.h"

#define ALPHA "eb866e8f-a0f5-41f4-9dd9-8cc59266ff25"
#define BETA "279595ca-2027-4110-abc8-63619d14e25a"
#define NIMBUS "a1797b02-364e-4e31-b052-7d7db48edb4a"
#define FABRIKAM "f5b30ee7-720c-4680-8106-673253df19cf" /* a company of Harbor */

#define users test_default_users /* README "Default credentials" */
#define NUSERS test_ndefault_users

static test_server server;
static contract *contracts[3];
static entity_model *models[3];
static owner_rules *rules;
static store *copy;  /* a copy of the server's database */
static char copy_dir[64];
static json_t *fixtures;

static void setup(void)
{
    static const char *const versions[] = {"3.6.1", "3.6", "3.5.1"};
    for (size_t i = 0; i < 3; i++) {
        contracts[i] = test_load_contract(versions[i]);
        models[i] = test_model_of(contracts[i]);
    }
    char err[256];
    rules = owner_rules_load(test_schema_dir(), (const entity_model *const *)models, 3, err,
                             sizeof err);
    ck_assert_msg(rules != NULL, "%s", err);
    fixtures = test_load_fixtures();
    server_start(&server, NULL);
    copy = test_open_db_copy(server.data_dir, copy_dir, sizeof copy_dir);
}

static void teardown(void)
{
    test_close_db_copy(copy, copy_dir);
    server_stop(&server);
    owner_rules_free(rules);
    for (size_t i = 0; i < 3; i++) {
        entities_free(models[i]);
        contract_free(contracts[i]);
    }
    json_decref(fixtures);
}

static const json_t *fixture_user(const char *login)
{
    return test_fixture_user(fixtures, login);
}

static principal principal_of(const char *login)
{
    return test_principal_of(fixtures, login);
}

static void sign_in(const test_login *u)
{
    ck_assert_msg(server_sign_in(&server, u->login, u->password), "sign-in of %s", u->login);
}

/* GET path as the signed-in user: the parsed answer and its status. */
static json_t *get(const char *path, long *status)
{
    return http_get_json(&server, path, status);
}

/* The owner columns, as the server's database has them, agree with the
 * fixtures: a company and everything of its users belongs to it and to
 * its reseller; a reseller's companies are those whose resellerUid it is. */
START_TEST(owners_follow_the_fixtures)
{
    store_owner o;
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(fixtures, "Company"), i, c) {
        const char *uid = json_string_value(json_object_get(c, "instanceUid"));
        const char *reseller = json_string_value(json_object_get(c, "resellerUid"));
        ck_assert_int_eq(store_owner_get(copy, "Company", uid, &o), STORE_OK);
        ck_assert_str_eq(o.org, uid);
        ck_assert_str_eq(o.reseller, reseller ? reseller : "");
    }
    const json_t *u;
    json_array_foreach(json_object_get(fixtures, "User"), i, u) {
        const char *uid = json_string_value(json_object_get(u, "instanceUid"));
        ck_assert_int_eq(store_owner_get(copy, "User", uid, &o), STORE_OK);
        ck_assert_str_eq(o.org, json_string_value(json_object_get(u, "organizationUid")));
    }
    /* the records every caller sees are the shared reference data only */
    json_t *rows = NULL;
    ck_assert_int_eq(store_exec(copy, "SELECT DISTINCT type FROM records WHERE org IS NULL", NULL,
                                1000, &rows, NULL),
                     STORE_OK);
    json_t *row;
    json_array_foreach(rows, i, row)
        ck_assert_msg(owner_rules_shared(rules, json_string_value(json_array_get(row, 0))),
                      "%s records have no owner", json_string_value(json_array_get(row, 0)));
    json_decref(rows);
}
END_TEST

/* What each kind of caller sees of the companies, from the fixtures. */
START_TEST(companies_by_role)
{
    long status;
    sign_in(&users[4]); /* nimbus.owner */
    json_t *page = get("/api/v3/organizations/companies?limit=100", &status);
    ck_assert_int_eq(status, 200);
    size_t i;
    json_t *c;
    size_t nimbus = 0;
    const json_t *fc;
    json_array_foreach(json_object_get(fixtures, "Company"), i, fc) {
        const char *r = json_string_value(json_object_get(fc, "resellerUid"));
        nimbus += r && !strcmp(r, NIMBUS);
    }
    ck_assert_uint_eq(json_array_size(json_object_get(page, "data")), nimbus);
    json_array_foreach(json_object_get(page, "data"), i, c)
        ck_assert_str_eq(json_string_value(json_object_get(c, "resellerUid")), NIMBUS);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_object_get(json_object_get(page, "meta"), "pagingInfo"), "total")),
                     (json_int_t)nimbus);
    json_decref(page);
    /* another reseller's company is not there */
    json_decref(get("/api/v3/organizations/companies/" FABRIKAM, &status));
    ck_assert_int_eq(status, 404);

    sign_in(&users[9]); /* alphauser */
    page = get("/api/v3/organizations/companies", &status);
    ck_assert_int_eq(status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(page, "data")), 1);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(page, "data"), 0), "instanceUid")),
                     ALPHA);
    json_decref(page);
    json_decref(get("/api/v3/organizations/companies/" BETA, &status));
    ck_assert_int_eq(status, 404);
    /* admission (schema/admission.json): About is for the portal and reseller
     * administrators, in every version */
    json_t *refused = get("/api/v3/about", &status);
    ck_assert_int_eq(status, 403);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(refused, "errors"), 0), "type")),
                     "security");
    json_decref(refused);
    /* Alpha's users, and only them */
    page = get("/api/v3/users?limit=100", &status);
    ck_assert_int_eq(status, 200);
    json_t *usr;
    json_array_foreach(json_object_get(page, "data"), i, usr)
        ck_assert_str_eq(json_string_value(json_object_get(usr, "organizationUid")), ALPHA);
    ck_assert_uint_ge(json_array_size(json_object_get(page, "data")), 7);
    json_decref(page);
}
END_TEST

/* The id of item (its entity's id property), or NULL when synthetic. */
static const char *id_of(const entity *e, const json_t *item)
{
    return e->id_prop ? json_string_value(json_object_get(item, e->id_prop)) : NULL;
}

/* Whether record (type, uid) of the copy lies in scope s; a record the
 * copy does not have (made after the copy) counts as outside. */
static bool holds(const caller_scope *s, const char *type, const char *uid)
{
    store_owner o;
    return store_owner_get(copy, type, uid, &o) == STORE_OK &&
           scope_holds(s, rules, type, &o);
}

/* The stored UID of a listed item: its id, or where several records share
 * one id (a reseller's site resource is addressed by its siteUid, one per
 * reseller using the site: schema/entities.json sameAs) the UID of the
 * record of that id whose body is the item. NULL when synthetic. */
static const char *stored_uid_of(const entity *e, const json_t *item, char out[STORE_OWNER_LEN])
{
    const char *id = id_of(e, item);
    store_owner o;
    if (!id || store_owner_get(copy, e->name, id, &o) == STORE_OK)
        return id;
    char path[128];
    snprintf(path, sizeof path, "$.%s", e->id_prop);
    json_t *args = json_pack("[sss]", e->name, path, id), *rows = NULL;
    ck_assert_int_eq(store_exec(copy, "SELECT uid, body FROM records WHERE type = ? AND "
                                      "json_extract(body, ?) = ?",
                                args, 1000, &rows, NULL),
                     STORE_OK);
    json_decref(args);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *body = json_loads(json_string_value(json_array_get(row, 1)), 0, NULL);
        bool same = json_equal(body, item);
        json_decref(body);
        if (same && strlen(json_string_value(json_array_get(row, 0))) < STORE_OWNER_LEN) {
            strcpy(out, json_string_value(json_array_get(row, 0)));
            id = out;
            break;
        }
    }
    json_decref(rows);
    return id;
}

/* The UID of the first record of type (insertion order) inside scope s,
 * or outside it, into out; false when there is none. */
static bool first_record(const caller_scope *s, const char *type, bool inside,
                         char out[STORE_OWNER_LEN])
{
    json_t *args = json_pack("[s]", type), *rows = NULL;
    ck_assert_int_eq(store_exec(copy, "SELECT uid FROM records WHERE type = ? ORDER BY seq", args,
                                100000, &rows, NULL),
                     STORE_OK);
    json_decref(args);
    bool found = false;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *uid = json_string_value(json_array_get(row, 0));
        if (uid && strlen(uid) < STORE_OWNER_LEN && holds(s, type, uid) == inside) {
            strcpy(out, uid);
            found = true;
            break;
        }
    }
    json_decref(rows);
    return found;
}

START_TEST(probe_every_collection_as_every_user)
{
    const entity_model *m = models[0];
    const contract *c = contracts[0];
    request_builder rb = {&server, m, m, fixtures, NULL, "limit=500"};
    long checked = 0, leaks = 0, lists = 0, items_404 = 0;
    for (size_t u = 0; u < NUSERS; u++) {
        principal who = principal_of(users[u].login);
        caller_scope scope;
        ck_assert(scope_of(copy, rules, &who, &scope));
        sign_in(&users[u]);
        for (size_t k = 0; k < c->nops; k++) {
            const operation *op = &c->ops[k];
            const binding *b = &m->bindings[k];
            if (op->method != HTTP_GET || (b->kind != BIND_LIST && b->kind != BIND_GET) ||
                !b->entity)
                continue;
            char url[4096];
            if (b->kind == BIND_LIST) {
                rq_url(&rb, op, 7, url, sizeof url);
                http_result r;
                ck_assert(http_call("GET", url, NULL, NULL, 0, NULL, &r));
                if (r.status == 200) {
                    lists++;
                    json_t *doc = json_loads(r.body, 0, NULL);
                    json_t *data = json_object_get(doc, "data");
                    size_t i;
                    json_t *item;
                    json_array_foreach(data, i, item) {
                        char stored[STORE_OWNER_LEN];
                        const char *id = stored_uid_of(b->entity, item, stored);
                        if (!id)
                            continue;
                        checked++;
                        if (!holds(&scope, b->entity->name, id)) {
                            leaks++;
                            fprintf(stderr, "leak: %s sees %s %s via %s\n", users[u].login,
                                    b->entity->name, id, op->operation_id);
                        }
                    }
                    json_decref(doc);
                } else {
                    ck_assert_msg(r.status == 403 || r.status == 404,
                                  "%s as %s: %ld %s", op->operation_id, users[u].login, r.status,
                                  r.body);
                }
                http_result_free(&r);
                continue;
            }
            /* an item GET addressed by its id alone: a record outside */
            if (op->nparams < 1 || !b->id_param || strstr(op->path, "}/") ||
                scope.kind == SCOPE_PROVIDER)
                continue;
            char outside[STORE_OWNER_LEN];
            if (first_record(&scope, b->entity->name, false, outside)) {
                json_t *over = json_pack("{s:s}", b->id_param, outside);
                request_builder ib = rb;
                ib.overrides = over;
                rq_url(&ib, op, 7, url, sizeof url);
                json_decref(over);
                http_result r;
                ck_assert(http_call("GET", url, NULL, NULL, 0, NULL, &r));
                ck_assert_msg(r.status == 404 || r.status == 403,
                              "%s of another tenant's %s as %s: %ld %s", op->operation_id,
                              outside, users[u].login, r.status, r.body);
                items_404 += r.status == 404;
                http_result_free(&r);
            }
        }
    }
    fprintf(stderr, "tenancy probe: %ld lists answered, %ld records checked, %ld leaks, "
                    "%ld item GETs of other tenants' records answered 404\n",
            lists, checked, leaks, items_404);
    ck_assert_int_eq(leaks, 0);
    /* the probe must have looked at something for every user */
    ck_assert_int_ge(checked, 1000);
    ck_assert_int_ge(items_404, 100);
}
END_TEST

/* Status of an admin GET of path (the record is still there: 200). */
static long admin_status(const char *path)
{
    const char *was = http_bearer();
    char *keep = strdup(was ? was : "");
    sign_in(&users[0]);
    long st;
    json_decref(get(path, &st));
    http_set_bearer(keep);
    free(keep);
    return st;
}

/* Every role against every PATCH and DELETE route of the store, on a
 * record inside its scope and one outside: outside is never accepted (404,
 * or 403 where the role may not call the operation) and the record stays;
 * inside, an admitted role's empty patch is accepted. Creates under another
 * tenant's path are refused and store nothing. */
START_TEST(write_matrix)
{
    const entity_model *m = models[0];
    const contract *c = contracts[0];
    request_builder rb = {&server, m, m, fixtures, NULL, NULL};
    long refused_outside = 0, accepted_outside = 0, accepted_inside = 0;
    const char *const *no_headers = NULL;
    const char *json_headers[] = {"Content-Type: application/json", NULL};
    for (size_t u = 0; u < NUSERS; u++) {
        principal who = principal_of(users[u].login);
        caller_scope scope;
        ck_assert(scope_of(copy, rules, &who, &scope));
        if (scope.kind == SCOPE_PROVIDER)
            continue; /* the whole provider is theirs: nothing is outside */
        for (size_t k = 0; k < c->nops; k++) {
            const operation *op = &c->ops[k];
            const binding *b = &m->bindings[k];
            if ((b->kind != BIND_PATCH && b->kind != BIND_DELETE) || !b->entity || !b->id_param ||
                strstr(op->path, "}/"))
                continue;
            char inside[STORE_OWNER_LEN], outside[STORE_OWNER_LEN];
            bool has_inside = first_record(&scope, b->entity->name, true, inside);
            bool has_outside = first_record(&scope, b->entity->name, false, outside);
            for (int side = 0; side < 2; side++) {
                const char *target = side ? inside : outside;
                if (!(side ? has_inside : has_outside) || (side && b->kind == BIND_DELETE))
                    continue; /* deletes inside would empty the world for the next role */
                json_t *over = json_pack("{s:s}", b->id_param, target);
                request_builder ib = rb;
                ib.overrides = over;
                char url[4096], path[4096];
                rq_url(&ib, op, 7, url, sizeof url);
                json_decref(over);
                sign_in(&users[u]);
                http_result r;
                bool patch = b->kind == BIND_PATCH;
                ck_assert(http_call(patch ? "PATCH" : "DELETE", url,
                                    patch ? json_headers : no_headers, patch ? "[]" : NULL,
                                    patch ? 2 : 0, NULL, &r));
                if (!side) {
                    if (r.status == 200) {
                        accepted_outside++;
                        fprintf(stderr, "accepted: %s %s of %s %s\n", users[u].login,
                                op->operation_id, b->entity->name, target);
                    } else {
                        ck_assert_msg(r.status == 404 || r.status == 403, "%s %s as %s: %ld %s",
                                      op->operation_id, target, users[u].login, r.status, r.body);
                        refused_outside++;
                    }
                } else if (r.status == 200) {
                    accepted_inside++;
                }
                http_result_free(&r);
                if (!side && b->kind == BIND_DELETE) {
                    /* the record another tenant tried to delete is still there */
                    const char *rest = strstr(url, "/api/v3");
                    snprintf(path, sizeof path, "%s", rest ? rest : url);
                    ck_assert_int_eq(admin_status(path), 200);
                }
            }
        }
    }
    /* a location made under another company's organization: refused, nothing stored */
    sign_in(&users[9]); /* alphauser */
    long before = 0, after = 0, st;
    json_t *page = get("/api/v3/organizations/" BETA "/locations", &st);
    ck_assert_int_eq(st, 404);
    json_decref(page);
    const char *body = "{\"organizationUid\":\"" BETA "\",\"name\":\"Sneaky\",\"quotaGb\":1}";
    char url[256];
    snprintf(url, sizeof url, "%s/api/v3/organizations/locations", server.base);
    sign_in(&users[0]);
    page = get("/api/v3/organizations/" BETA "/locations", &st);
    before = (long)json_array_size(json_object_get(page, "data"));
    json_decref(page);
    sign_in(&users[9]);
    http_result r;
    ck_assert(http_call("POST", url, json_headers, body, strlen(body), NULL, &r));
    /* the reference names a record it does not see: 400 naming it */
    ck_assert_msg(r.status == 400 && strstr(r.body, "\"propertyName\":\"organizationUid\""),
                  "%ld %s", r.status, r.body);
    http_result_free(&r);
    sign_in(&users[0]);
    page = get("/api/v3/organizations/" BETA "/locations", &st);
    after = (long)json_array_size(json_object_get(page, "data"));
    json_decref(page);
    ck_assert_int_eq(before, after);
    fprintf(stderr, "write matrix: %ld cross-tenant writes refused, %ld accepted; %ld in-scope "
                    "patches accepted\n",
            refused_outside, accepted_outside, accepted_inside);
    ck_assert_int_eq(accepted_outside, 0);
    ck_assert_int_ge(refused_outside, 200);
    ck_assert_int_ge(accepted_inside, 20);
}
END_TEST

/* Every create route under a parent (a path key naming a record), as
 * every non-provider role, with the parent outside its scope: never
 * accepted — the parent does not exist for the caller (404), the role may
 * not create there (403), or a reference is not its own (400). */
START_TEST(create_matrix)
{
    const entity_model *m = models[0];
    const contract *c = contracts[0];
    request_builder rb = {&server, m, m, fixtures, NULL, NULL};
    long refused = 0, accepted = 0;
    for (size_t u = 0; u < NUSERS; u++) {
        principal who = principal_of(users[u].login);
        caller_scope scope;
        ck_assert(scope_of(copy, rules, &who, &scope));
        if (scope.kind == SCOPE_PROVIDER)
            continue;
        for (size_t k = 0; k < c->nops; k++) {
            const operation *op = &c->ops[k];
            const binding *b = &m->bindings[k];
            if (b->kind != BIND_CREATE || op->nparams == 0)
                continue;
            /* the first path key naming an entity: its parent */
            const char *key = NULL;
            const entity *parent = NULL;
            for (size_t j = 0; j < op->nparams && !parent; j++)
                if (op->params[j].in == PARAM_PATH &&
                    (parent = entities_for_key(m, op->params[j].name)) != NULL)
                    key = op->params[j].name;
            if (!parent)
                continue;
            char outside[STORE_OWNER_LEN];
            if (first_record(&scope, parent->name, false, outside)) {
                json_t *over = json_pack("{s:s}", key, outside);
                request_builder ib = rb;
                ib.overrides = over;
                char url[4096], ct[128];
                rq_url(&ib, op, 11, url, sizeof url);
                size_t blen = 0;
                char *body = rq_body(&ib, op, 11, &blen, ct, sizeof ct);
                json_decref(over);
                const char *headers[] = {ct, NULL};
                sign_in(&users[u]);
                http_result r;
                ck_assert(http_call("POST", url, headers, body, blen, NULL, &r));
                if (r.status >= 200 && r.status < 300) {
                    accepted++;
                    fprintf(stderr, "accepted: %s %s under %s %s\n", users[u].login,
                            op->operation_id, parent->name, outside);
                } else {
                    ck_assert_msg(r.status == 400 || r.status == 403 || r.status == 404,
                                  "%s under %s as %s: %ld %s", op->operation_id, outside,
                                  users[u].login, r.status, r.body);
                    refused++;
                }
                http_result_free(&r);
                free(body);
            }
        }
    }
    fprintf(stderr, "create matrix: %ld creates under another tenant's record refused, %ld accepted\n",
            refused, accepted);
    ck_assert_int_eq(accepted, 0);
    ck_assert_int_ge(refused, 50);
}
END_TEST

/* Users: a Company Administrator cannot touch the Company Owner, nobody
 * creates a user of a role above its own or in another organization, and
 * a company has one owner. */
START_TEST(user_rules)
{
    const char *json_headers[] = {"Content-Type: application/json", NULL};
    const char *owner_uid = json_string_value(json_object_get(fixture_user("alphauser"), "instanceUid"));
    char url[512];
    http_result r;
    sign_in(&users[10]); /* alpha_admin */
    snprintf(url, sizeof url, "%s/api/v3/users/%s", server.base, owner_uid);
    const char *rename = "[{\"op\":\"replace\",\"path\":\"/profile/firstName\",\"value\":\"X\"}]";
    ck_assert(http_call("PATCH", url, json_headers, rename, strlen(rename), NULL, &r));
    ck_assert_msg(r.status == 403, "%ld %s", r.status, r.body);
    http_result_free(&r);
    ck_assert(http_call("DELETE", url, NULL, NULL, 0, NULL, &r));
    ck_assert_int_eq(r.status, 403);
    http_result_free(&r);
    ck_assert_int_eq(admin_status(strstr(url, "/api/v3")), 200);
    /* a portal administrator made by a company administrator: refused */
    snprintf(url, sizeof url, "%s/api/v3/users", server.base);
    const char *up = "{\"organizationUid\":\"" ALPHA "\",\"role\":\"PortalAdministrator\","
                     "\"profile\":{\"firstName\":\"A\",\"lastName\":\"B\",\"email\":\"a@b.c\"},"
                     "\"credentials\":{\"userName\":\"climber\",\"password\":\"Climb#2026x\"}}";
    ck_assert(http_call("POST", url, json_headers, up, strlen(up), NULL, &r));
    ck_assert_int_eq(r.status, 403);
    http_result_free(&r);
    ck_assert(!server_sign_in(&server, "climber", "Climb#2026x"));
    /* a user in another company: refused */
    sign_in(&users[10]);
    const char *across = "{\"organizationUid\":\"" BETA "\",\"role\":\"CompanyLocationUser\","
                         "\"profile\":{\"firstName\":\"A\",\"lastName\":\"B\",\"email\":\"a@b.c\"},"
                         "\"credentials\":{\"userName\":\"crosser\",\"password\":\"Cross#2026x\"}}";
    ck_assert(http_call("POST", url, json_headers, across, strlen(across), NULL, &r));
    ck_assert_int_eq(r.status, 403);
    http_result_free(&r);
    /* a second Company Owner: 409 naming role */
    sign_in(&users[4]); /* nimbus.owner manages Alpha */
    const char *second = "{\"organizationUid\":\"" ALPHA "\",\"role\":\"CompanyOwner\","
                         "\"profile\":{\"firstName\":\"A\",\"lastName\":\"B\",\"email\":\"a@b.c\"},"
                         "\"credentials\":{\"userName\":\"owner2\",\"password\":\"Owner#2026x\"}}";
    ck_assert(http_call("POST", url, json_headers, second, strlen(second), NULL, &r));
    ck_assert_int_eq(r.status, 409);
    ck_assert_ptr_nonnull(strstr(r.body, "\"propertyName\":\"role\""));
    http_result_free(&r);
    /* a reseller cannot reach the provider's users */
    const char *admin_uid = json_string_value(json_object_get(fixture_user("administrator"), "instanceUid"));
    snprintf(url, sizeof url, "%s/api/v3/users/%s", server.base, admin_uid);
    const char *pw = "[{\"op\":\"replace\",\"path\":\"/credentials/password\",\"value\":\"Hijack#2026\"}]";
    ck_assert(http_call("PATCH", url, json_headers, pw, strlen(pw), NULL, &r));
    ck_assert_int_eq(r.status, 404);
    http_result_free(&r);
    ck_assert(server_sign_in(&server, "administrator", "Password1"));
    ck_assert(!server_sign_in(&server, "administrator", "Hijack#2026"));
}
END_TEST

/* The total of a list as the signed-in user sees it. */
static long total_of(const char *path)
{
    long st;
    json_t *page = get(path, &st);
    ck_assert_int_eq(st, 200);
    long n = (long)json_integer_value(
        json_object_get(json_object_get(json_object_get(page, "meta"), "pagingInfo"), "total"));
    json_decref(page);
    return n;
}

/* A POST of body to path as the signed-in user. */
static long post(const char *path, const char *body, char **answer)
{
    const char *json_headers[] = {"Content-Type: application/json", NULL};
    char url[512];
    snprintf(url, sizeof url, "%s%s", server.base, path);
    http_result r;
    ck_assert(http_call("POST", url, json_headers, body, strlen(body), NULL, &r));
    long st = r.status;
    if (answer)
        *answer = strdup(r.body ? r.body : "");
    http_result_free(&r);
    return st;
}

/* The rules of writes VSPC keeps, each a clear error that stores nothing. */
START_TEST(business_rules)
{
    sign_in(&users[0]);
    long companies = total_of("/api/v3/organizations/companies");
    char *answer = NULL;
    /* a company brings its owner (whose login works) and a default location */
    ck_assert_int_eq(post("/api/v3/organizations/companies",
                          "{\"organizationInput\":{\"name\":\"Zeta Corp\"},"
                          "\"ownerCredentials\":{\"userName\":\"zeta.owner\","
                          "\"password\":\"Zeta#2026pass\"}}",
                          &answer),
                     200);
    json_t *made = json_loads(answer, 0, NULL);
    free(answer);
    const json_t *company = json_object_get(made, "data");
    ck_assert(json_is_null(json_object_get(company, "resellerUid"))); /* none given: none */
    char uid[64];
    snprintf(uid, sizeof uid, "%s", json_string_value(json_object_get(company, "instanceUid")));
    json_decref(made);
    ck_assert_int_eq(total_of("/api/v3/organizations/companies"), companies + 1);
    ck_assert(server_sign_in(&server, "zeta.owner", "Zeta%232026pass"));
    long st;
    json_t *me = get("/api/v3/users/me", &st);
    ck_assert_int_eq(st, 200);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(me, "data"), "role")),
                     "CompanyOwner");
    json_decref(me);
    json_t *locations = get("/api/v3/organizations/locations", &st);
    ck_assert_int_eq(st, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(locations, "data")), 1);
    char location[64];
    snprintf(location, sizeof location, "%s",
             json_string_value(json_object_get(json_array_get(json_object_get(locations, "data"), 0),
                                               "instanceUid")));
    json_decref(locations);
    /* the owner's login is taken: 409, and no second company */
    sign_in(&users[0]);
    ck_assert_int_eq(post("/api/v3/organizations/companies",
                          "{\"organizationInput\":{\"name\":\"Zeta Again\"},"
                          "\"ownerCredentials\":{\"userName\":\"zeta.owner\"}}",
                          &answer),
                     409);
    ck_assert_ptr_nonnull(strstr(answer, "\"propertyName\":\"ownerCredentials.userName\""));
    free(answer);
    ck_assert_int_eq(total_of("/api/v3/organizations/companies"), companies + 1);
    /* the last location of a company stays: VSPC's 1500 */
    char url[512];
    snprintf(url, sizeof url, "%s/api/v3/organizations/locations/%s", server.base, location);
    http_result r;
    ck_assert(http_call("DELETE", url, NULL, NULL, 0, NULL, &r));
    ck_assert_int_eq(r.status, 400);
    ck_assert_ptr_nonnull(strstr(r.body, "\"code\":1500"));
    http_result_free(&r);
    char path[256];
    snprintf(path, sizeof path, "/api/v3/organizations/locations/%s", location);
    ck_assert_int_eq(admin_status(path), 200);
    /* a reference to nothing: 400 naming it, nothing stored */
    long all_locations = total_of("/api/v3/organizations/locations");
    ck_assert_int_eq(post("/api/v3/organizations/locations",
                          "{\"organizationUid\":\"00000000-0000-4000-8000-000000000000\","
                          "\"name\":\"Nowhere\",\"quotaGb\":1}",
                          &answer),
                     400);
    ck_assert_ptr_nonnull(strstr(answer, "\"propertyName\":\"organizationUid\""));
    free(answer);
    ck_assert_int_eq(total_of("/api/v3/organizations/locations"), all_locations);
    /* the id cannot be patched: 1001 naming it, the record unchanged */
    const char *json_headers[] = {"Content-Type: application/json", NULL};
    snprintf(url, sizeof url, "%s/api/v3/organizations/companies/%s", server.base, uid);
    const char *move = "[{\"op\":\"replace\",\"path\":\"/instanceUid\","
                       "\"value\":\"11111111-1111-4111-8111-111111111111\"}]";
    ck_assert(http_call("PATCH", url, json_headers, move, strlen(move), NULL, &r));
    ck_assert_int_eq(r.status, 400);
    ck_assert_ptr_nonnull(strstr(r.body, "\"code\":1001"));
    ck_assert_ptr_nonnull(strstr(r.body, "\"propertyName\":\"/instanceUid\""));
    http_result_free(&r);
    snprintf(path, sizeof path, "/api/v3/organizations/companies/%s", uid);
    ck_assert_int_eq(admin_status(path), 200);
    /* a 100,000-character name is refused */
    size_t n = 100000;
    char *big = malloc(n + 200);
    int used = snprintf(big, n + 200, "{\"organizationInput\":{\"name\":\"");
    memset(big + used, 'a', n);
    snprintf(big + used + n, 200, "\"},\"ownerCredentials\":{\"userName\":\"long.owner\"}}");
    ck_assert_int_eq(post("/api/v3/organizations/companies", big, NULL), 400);
    free(big);
    ck_assert_int_eq(total_of("/api/v3/organizations/companies"), companies + 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_tenancy");
    TCase *tc = tcase_create("scope");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, owners_follow_the_fixtures);
    tcase_add_test(tc, companies_by_role);
    tcase_add_test(tc, probe_every_collection_as_every_user);
    tcase_add_test(tc, write_matrix);
    tcase_add_test(tc, create_matrix);
    tcase_add_test(tc, user_rules);
    tcase_add_test(tc, business_rules);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
