/* test_http_store.c — the stateful API over real HTTP: create, read,
 * patch, list and delete through the routes clients use; one record seen
 * through many routes; JSON Patch and its failures (error 1001, record
 * unchanged); actions; cascades; state across a restart and a kill -9;
 * over-long strings refused (400 naming the property), never stored. */
#include <check.h>
#include <stdbool.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpclient.h"
#include "requests.h"
#include "testutil.h"

static test_server server;

static void setup(void) { server_start(&server, NULL); }
static void teardown(void) { server_stop(&server); }

/* method path [json body] -> parsed answer; asserts the status. */
static json_t *api(const char *method, const char *path, const char *body, long status)
{
    char url[2048];
    snprintf(url, sizeof url, "%s/api/v3%s", server.base, path);
    const char *headers[] = {"Content-Type: application/json", NULL};
    http_result r;
    ck_assert(http_call(method, url, body ? headers : NULL, body, body ? strlen(body) : 0, NULL, &r));
    ck_assert_msg(r.status == status, "%s %s: expected %ld, got %ld: %s", method, path, status,
                  r.status, r.body);
    json_t *j = json_loadb(r.body, r.len, JSON_DECODE_ANY, NULL);
    http_result_free(&r);
    return j;
}

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* A path built printf-style. */
static const char *pathf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *pathf(const char *fmt, ...)
{
    static char path[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    return path;
}

/* Whether the list at path holds a record whose key is value. */
static bool listed(const char *path, const char *key, const char *value)
{
    json_t *j = api("GET", path, NULL, 200);
    bool found = false;
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(j, "data"), i, item)
        found |= str(item, key) && !strcmp(str(item, key), value);
    json_decref(j);
    return found;
}

/* Creates company `name`; returns its UID (static buffer). */
static const char *create_company(const char *name)
{
    static char uid[64];
    char body[1024];
    snprintf(body, sizeof body,
             "{\"organizationInput\":{\"name\":\"%s\",\"email\":\"it@example.com\"},"
             "\"ownerCredentials\":{\"userName\":\"%s-owner\",\"password\":\"Secret123!\"},"
             "\"isAlarmDetectEnabled\":true}",
             name, name);
    json_t *j = api("POST", "/organizations/companies", body, 200);
    json_t *data = json_object_get(j, "data");
    ck_assert_str_eq(str(data, "name"), name);
    ck_assert(json_is_true(json_object_get(data, "isAlarmDetectEnabled")));
    /* left out: the contract's default (CompanyInput.isRestAccessEnabled) */
    ck_assert(json_is_false(json_object_get(data, "isRestAccessEnabled")));
    /* what the client sent as a password is never sent back */
    ck_assert(json_is_null(json_object_get(json_object_get(data, "ownerCredentials"), "password")));
    snprintf(uid, sizeof uid, "%s", str(data, "instanceUid"));
    json_decref(j);
    return uid;
}

START_TEST(company_round_trip_and_views)
{
    const char *made = create_company("Acme Backup Test");
    char uid[64];
    snprintf(uid, sizeof uid, "%s", made);
    /* read back, in the list, and as an organization (its root) */
    json_t *j = api("GET", pathf("/organizations/companies/%s", uid), NULL, 200);
    ck_assert_str_eq(str(json_object_get(j, "data"), "name"), "Acme Backup Test");
    json_decref(j);
    ck_assert(listed("/organizations/companies?limit=500", "instanceUid", uid));
    j = api("GET", pathf("/organizations/%s", uid), NULL, 200);
    ck_assert_str_eq(str(json_object_get(j, "data"), "name"), "Acme Backup Test");
    ck_assert_str_eq(str(json_object_get(j, "data"), "type"), "Company");
    json_decref(j);
    /* a duplicate name is refused */
    json_decref(api("POST", "/organizations/companies",
                    "{\"organizationInput\":{\"name\":\"Acme Backup Test\"},"
                    "\"ownerCredentials\":{\"userName\":\"x\",\"password\":\"y\"}}",
                    409));
    /* delete: gone from every view */
    json_decref(api("DELETE", pathf("/organizations/companies/%s?removeAllAgents=true", uid), NULL, 200));
    j = api("GET", pathf("/organizations/companies/%s", uid), NULL, 404);
    ck_assert_ptr_nonnull(strstr(str(json_array_get(json_object_get(j, "errors"), 0), "message"), uid));
    json_decref(j);
    json_decref(api("GET", pathf("/organizations/%s", uid), NULL, 404));
    ck_assert(!listed("/organizations/companies?limit=500", "instanceUid", uid));
}
END_TEST

START_TEST(json_patch_over_http)
{
    char uid[64];
    snprintf(uid, sizeof uid, "%s", create_company("Patch Target Co"));
    const char *item = pathf("/organizations/companies/%s", uid);
    char path[256];
    snprintf(path, sizeof path, "%s", item);
    /* the REST overview's form: a bare operation, the value as text */
    json_t *j = api("PATCH", path,
                    "{\"op\":\"replace\",\"path\":\"/isAlarmDetectEnabled\",\"value\":\"false\"}", 200);
    ck_assert(json_is_false(json_object_get(json_object_get(j, "data"), "isAlarmDetectEnabled")));
    json_decref(j);
    /* every operation, in one atomic patch */
    j = api("PATCH", path,
            "[{\"op\":\"test\",\"path\":\"/name\",\"value\":\"Patch Target Co\"},"
            "{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Patched Co\"},"
            "{\"op\":\"add\",\"path\":\"/loginUrl\",\"value\":\"https://portal.example.com\"},"
            "{\"op\":\"copy\",\"from\":\"/loginUrl\",\"path\":\"/ownerCredentials/userName\"},"
            "{\"op\":\"move\",\"from\":\"/loginUrl\",\"path\":\"/loginUrl\"},"
            "{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"disabled\"},"
            "{\"op\":\"remove\",\"path\":\"/subscriptionPlanUid\"}]",
            200);
    json_t *data = json_object_get(j, "data");
    ck_assert_str_eq(str(data, "name"), "Patched Co");
    ck_assert_str_eq(str(data, "status"), "Disabled");
    ck_assert_str_eq(str(json_object_get(data, "ownerCredentials"), "userName"),
                     "https://portal.example.com");
    ck_assert_ptr_null(json_object_get(data, "subscriptionPlanUid"));
    json_decref(j);
    /* failures: 1001, and nothing changes */
    json_t *before = api("GET", path, NULL, 200);
    const char *bad[] = {
        "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"X\"},{\"op\":\"test\",\"path\":\"/status\",\"value\":\"Active\"}]",
        "[{\"op\":\"replace\",\"path\":\"/nosuch/deep\",\"value\":\"1\"}]",
        "[{\"op\":\"replace\",\"path\":\"/isRestAccessEnabled\",\"value\":\"maybe\"}]",
        "[{\"op\":\"remove\",\"path\":\"/ownerCredentials\"}]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        j = api("PATCH", path, bad[i], 400);
        json_t *e = json_array_get(json_object_get(j, "errors"), 0);
        ck_assert_int_eq(json_integer_value(json_object_get(e, "code")), 1001);
        ck_assert_str_eq(str(e, "type"), "logical");
        json_decref(j);
    }
    json_t *after = api("GET", path, NULL, 200);
    ck_assert(json_equal(before, after));
    json_decref(before);
    json_decref(after);
}
END_TEST

START_TEST(one_job_many_views)
{
    json_t *jobs = api("GET", "/infrastructure/backupServers/jobs?limit=1", NULL, 200);
    json_t *job = json_array_get(json_object_get(jobs, "data"), 0);
    char uid[64], server_uid[64];
    snprintf(uid, sizeof uid, "%s", str(job, "instanceUid"));
    snprintf(server_uid, sizeof server_uid, "%s", str(job, "backupServerUid"));
    json_decref(jobs);
    char item[256], by_server[256];
    snprintf(item, sizeof item, "/infrastructure/backupServers/jobs/%s", uid);
    snprintf(by_server, sizeof by_server, "/infrastructure/backupServers/%s/jobs?limit=500", server_uid);
    ck_assert(listed(by_server, "instanceUid", uid));
    /* a change through one view shows in all */
    json_decref(api("PATCH", item, "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Nightly SQL\"}]", 200));
    json_t *j = api("GET", item, NULL, 200);
    ck_assert_str_eq(str(json_object_get(j, "data"), "name"), "Nightly SQL");
    json_decref(j);
    ck_assert(listed(by_server, "name", "Nightly SQL"));
    ck_assert(listed("/infrastructure/backupServers/jobs?limit=500", "name", "Nightly SQL"));
    /* an action changes the record's state */
    json_decref(api("POST", pathf("/infrastructure/backupServers/jobs/%s/start", uid), NULL, 200));
    j = api("GET", item, NULL, 200);
    ck_assert_str_eq(str(json_object_get(j, "data"), "status"), "Running");
    json_decref(j);
    json_decref(api("POST", pathf("/infrastructure/backupServers/jobs/%s/stop", uid), NULL, 200));
    j = api("GET", item, NULL, 200);
    ck_assert_str_eq(str(json_object_get(j, "data"), "status"), "Idle");
    json_decref(j);
    /* a job under another backup server is not found there */
    json_decref(api("GET", pathf("/infrastructure/backupServers/5d7e2c1a-0000-4000-8000-00000000000a/jobs/%s", uid),
                    NULL, 404));
}
END_TEST

START_TEST(locations_and_users_go_with_their_company)
{
    char uid[64], body[512];
    snprintf(uid, sizeof uid, "%s", create_company("Cascade Co"));
    snprintf(body, sizeof body, "{\"organizationUid\":\"%s\",\"name\":\"Branch office\",\"quotaGb\":50}", uid);
    json_t *j = api("POST", "/organizations/locations", body, 200);
    char location[64];
    snprintf(location, sizeof location, "%s", str(json_object_get(j, "data"), "instanceUid"));
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "data"), "quotaGb")), 50);
    json_decref(j);
    snprintf(body, sizeof body,
             "{\"organizationUid\":\"%s\",\"role\":\"CompanyAdministrator\",\"profile\":{\"firstName\":\"Ada\"},"
             "\"credentials\":{\"userName\":\"ada.cascade\",\"password\":\"Pa55word!\"}}",
             uid);
    j = api("POST", "/users", body, 200);
    char user[64];
    snprintf(user, sizeof user, "%s", str(json_object_get(j, "data"), "instanceUid"));
    ck_assert_str_eq(str(json_object_get(j, "data"), "userName"), "ada.cascade");
    json_decref(j);
    json_decref(api("POST", "/users", body, 409)); /* the login is taken */
    json_decref(api("GET", pathf("/organizations/locations/%s", location), NULL, 200));
    json_decref(api("GET", pathf("/users/%s", user), NULL, 200));
    char *token = server_token(&server, "ada.cascade", "Pa55word!");
    json_decref(api("DELETE", pathf("/organizations/companies/%s?removeAllAgents=true", uid), NULL, 200));
    json_decref(api("GET", pathf("/organizations/locations/%s", location), NULL, 404));
    json_decref(api("GET", pathf("/users/%s", user), NULL, 404));
    /* the user went with its company: its token and password are no good,
     * and nothing of its secrets is kept */
    long status;
    json_decref(http_call_as(&server, token, "GET", "/about", NULL, NULL, &status));
    ck_assert_int_eq(status, 401);
    free(token);
    char *was = strdup(http_bearer());
    ck_assert(!server_sign_in(&server, "ada.cascade", "Pa55word!"));
    http_set_bearer(was);
    free(was);
    char dir[64];
    store *st = test_open_db_copy(server.data_dir, dir, sizeof dir);
    json_t *rows = NULL, *args = json_pack("[s]", user);
    ck_assert_int_eq(store_exec(st, "SELECT kind FROM auth_secrets WHERE user_uid = ?", args, 10,
                                &rows, NULL),
                     STORE_OK);
    json_decref(args);
    ck_assert_msg(json_array_size(rows) == 0, "%zu secrets kept", json_array_size(rows));
    json_decref(rows);
    test_close_db_copy(st, dir);
}
END_TEST

START_TEST(state_survives_restart_and_kill)
{
    char uid[64];
    snprintf(uid, sizeof uid, "%s", create_company("Durable Co"));
    char dir[256];
    snprintf(dir, sizeof dir, "%s", server.data_dir);
    ck_assert_int_eq(server_halt(&server, SIGTERM), 0);
    server_start_at(&server, dir, NULL);
    json_decref(api("GET", pathf("/organizations/companies/%s", uid), NULL, 200));
    /* acknowledged writes survive kill -9 */
    json_decref(api("PATCH", pathf("/organizations/companies/%s", uid),
                    "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Durable Co II\"}]", 200));
    char second[64];
    snprintf(second, sizeof second, "%s", create_company("Killed Co"));
    server_halt(&server, SIGKILL);
    server_start_at(&server, dir, NULL);
    json_t *j = api("GET", pathf("/organizations/companies/%s", uid), NULL, 200);
    ck_assert_str_eq(str(json_object_get(j, "data"), "name"), "Durable Co II");
    json_decref(j);
    json_decref(api("GET", pathf("/organizations/companies/%s", second), NULL, 200));
    /* --reset starts again from the default world */
    server_halt(&server, SIGTERM);
    const char *reset[] = {"--reset", NULL};
    server_start_at(&server, dir, reset);
    json_decref(api("GET", pathf("/organizations/companies/%s", uid), NULL, 404));
}
END_TEST

/* The first operation of model bound as `kind` to entity e, or NULL. */
static const operation *bound_op(const entity_model *m, const entity *e, binding_kind kind)
{
    for (size_t i = 0; i < m->contract->nops; i++)
        if (m->bindings[i].kind == kind && m->bindings[i].entity == e)
            return &m->contract->ops[i];
    return NULL;
}

/* Sends op as the builder makes it; returns the parsed answer. */
static json_t *send_op(const request_builder *rb, const operation *op, long *status)
{
    char url[4096], ct[160] = "";
    size_t blen = 0;
    rq_url(rb, op, 7, url, sizeof url);
    char *body = op->body != BODY_NONE ? rq_body(rb, op, 7, &blen, ct, sizeof ct) : NULL;
    const char *headers[] = {ct[0] ? ct : NULL, NULL};
    http_result r;
    ck_assert(http_call(http_method_name(op->method), url, headers, body, blen, NULL, &r));
    free(body);
    *status = r.status;
    json_t *j = json_loadb(r.body, r.len, JSON_DECODE_ANY, NULL);
    http_result_free(&r);
    return j;
}

/* Every create of the contract, each family: POST, read back through its
 * item route, delete where the API can, and see it gone. */
START_TEST(every_family_round_trips)
{
    contract *c = test_load_contract("3.6.1");
    entity_model *m = test_model_of(c);
    json_t *fixtures = test_load_fixtures();
    size_t created = 0, read_back = 0, deleted = 0;
    for (size_t i = 0; i < c->nops; i++) {
        const binding *b = &m->bindings[i];
        if (b->kind != BIND_CREATE)
            continue;
        const entity *e = b->entity;
        request_builder rb = {&server, m, m, fixtures, NULL, NULL};
        long status;
        json_t *made = send_op(&rb, &c->ops[i], &status);
        ck_assert_msg(status == 200, "%s: %ld", c->ops[i].operation_id, status);
        created++;
        json_t *data = json_object_get(made, "data");
        const json_t *id = e->id_prop ? json_object_get(data, e->id_prop) : NULL;
        const operation *get = bound_op(m, e, BIND_GET), *del = bound_op(m, e, BIND_DELETE);
        if (!id || !get) {
            json_decref(made);
            continue;
        }
        char *id_text = rq_value_text(id);
        json_t *overrides = json_pack("{s:s}", entities_binding(m, get)->id_param, id_text);
        rb.overrides = overrides;
        json_t *got = send_op(&rb, get, &status);
        ck_assert_msg(status == 200, "%s after %s: %ld", get->operation_id, c->ops[i].operation_id,
                      status);
        ck_assert_msg(json_equal(json_object_get(got, "data"), data), "%s reads back otherwise",
                      e->name);
        read_back++;
        json_decref(got);
        if (del) {
            json_object_set_new(overrides, entities_binding(m, del)->id_param, json_string(id_text));
            json_decref(send_op(&rb, del, &status));
            ck_assert_msg(status == 200, "%s: %ld", del->operation_id, status);
            json_decref(send_op(&rb, get, &status));
            ck_assert_msg(status == 404, "%s after delete: %ld", get->operation_id, status);
            deleted++;
        }
        json_decref(overrides);
        free(id_text);
        json_decref(made);
    }
    printf("3.6.1: %zu entity families created, %zu read back, %zu deleted and gone\n", created,
           read_back, deleted);
    /* the README's figures, as floors: a change that loses one fails here */
    ck_assert_uint_ge(created, 39);
    ck_assert_uint_ge(read_back, 38);
    ck_assert_uint_ge(deleted, 29);
    json_decref(fixtures);
    entities_free(m);
    contract_free(c);
}
END_TEST

/* The longest company name in the list, in bytes. */
static size_t longest_listed_name(void)
{
    json_t *j = api("GET", "/organizations/companies?limit=500", NULL, 200);
    size_t longest = 0, i;
    json_t *item;
    json_array_foreach(json_object_get(j, "data"), i, item) {
        size_t n = json_string_length(json_object_get(item, "name"));
        longest = n > longest ? n : longest;
    }
    json_decref(j);
    return longest;
}

START_TEST(over_long_strings_are_refused)
{
    /* a name of 100,000 characters: 400 naming it, and nothing stored */
    size_t len = 100000;
    char *name = malloc(len + 1);
    ck_assert_ptr_nonnull(name);
    memset(name, 'n', len);
    name[len] = '\0';
    json_t *input = json_pack("{s:{s:s}, s:{s:s, s:s}}", "organizationInput", "name", name,
                              "ownerCredentials", "userName", "long.owner", "password", "Secret123!");
    char *body = json_dumps(input, JSON_COMPACT);
    json_t *j = api("POST", "/organizations/companies", body, 400);
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    ck_assert_str_eq(str(e, "propertyName"), "organizationInput.name");
    ck_assert_str_eq(str(e, "type"), "logical");
    ck_assert_ptr_nonnull(strstr(str(e, "message"), "256 characters"));
    json_decref(j);
    ck_assert_uint_le(longest_listed_name(), 256 * 2);
    /* the same name by JSON Patch: refused as a patch (1001), record unchanged */
    char uid[64];
    snprintf(uid, sizeof uid, "%s", create_company("Short Name Co"));
    json_t *patch = json_pack("[{s:s, s:s, s:s}]", "op", "replace", "path", "/name", "value", name);
    char *patch_text = json_dumps(patch, JSON_COMPACT);
    j = api("PATCH", pathf("/organizations/companies/%s", uid), patch_text, 400);
    e = json_array_get(json_object_get(j, "errors"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(e, "code")), 1001);
    json_decref(j);
    ck_assert_uint_le(longest_listed_name(), 256 * 2);
    /* 256 characters of two bytes each are a name that fits */
    char wide[256 * 2 + 1];
    for (int i = 0; i < 256; i++)
        memcpy(wide + 2 * i, "\xc3\xa9", 2);
    wide[512] = '\0';
    json_object_set_new(json_object_get(input, "organizationInput"), "name", json_string(wide));
    free(body);
    body = json_dumps(input, JSON_COMPACT);
    j = api("POST", "/organizations/companies", body, 200);
    ck_assert_str_eq(str(json_object_get(j, "data"), "name"), wide);
    json_decref(j);
    free(patch_text);
    json_decref(patch);
    free(body);
    json_decref(input);
    free(name);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_store");
    TCase *tc = tcase_create("store");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, company_round_trip_and_views);
    tcase_add_test(tc, every_family_round_trips);
    tcase_add_test(tc, json_patch_over_http);
    tcase_add_test(tc, one_job_many_views);
    tcase_add_test(tc, locations_and_users_go_with_their_company);
    tcase_add_test(tc, state_survives_restart_and_kill);
    tcase_add_test(tc, over_long_strings_are_refused);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
