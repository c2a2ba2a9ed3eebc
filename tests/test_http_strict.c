/* test_http_strict.c — what a client generated from one version's document
 * reads: every GET operation of 3.6.1, 3.6 and 3.5.1, answered by one
 * server with the default world and that version's X-Client-Version, is
 * validated against the operation's 200 schema with nullability exactly as
 * that document states it (a context without implicit nullability: 3.6 and
 * 3.5.1 mark nothing nullable, so no null may appear where their clients
 * would read one). The check is the suite's validator alone, not the code
 * that shapes answers, and the figure per version is asserted: every GET
 * with data valid (a read of what the default world holds none of is a
 * 404, counted apart).
 *
 * The envelope is checked as the REST overview shows it: meta only with
 * paging information, no "errors" on success unless the schema needs one.
 */
#include <check.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "contract/contract.h"
#include "contract/entities.h"
#include "httpclient.h"
#include "requests.h"
#include "testutil.h"

static test_server server;
static json_t *fixtures;

static void setup(void)
{
    server_start(&server, NULL);
    fixtures = test_load_fixtures();
}

static void teardown(void)
{
    json_decref(fixtures);
    server_stop(&server);
}

/* Reads that find nothing in the default world: async actions are made by
 * requests alone (async/actions.h), so reading one by an id of none is a
 * 404 — a GET without data, not counted (before async actions are kept,
 * they answer generated data, and are counted). */
static const char *const without_data[] = {"GetAsyncActionInfo", "GetAsyncActionResult"};

static bool may_have_no_data(const operation *op)
{
    for (size_t i = 0; i < sizeof without_data / sizeof without_data[0]; i++)
        if (!strcmp(op->operation_id, without_data[i]))
            return true;
    return false;
}

typedef struct tally {
    size_t gets, no_data, answered, valid;
    char failures[6000];
    size_t nfail;
} tally;

__attribute__((format(printf, 2, 3))) static void note(tally *t, const char *fmt, ...)
{
    char line[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fputs(line, stderr);
    if (t->nfail++ < 10) {
        size_t used = strlen(t->failures);
        snprintf(t->failures + used, sizeof t->failures - used, "%s", line);
    }
}

/* Whether the 200 schema of op (an envelope) lists `name` as required. */
static bool envelope_requires(const contract *c, const operation *op, const char *name)
{
    const json_t *env = schema_resolve(&c->schemas, op->response_schema);
    size_t i;
    const json_t *r;
    json_array_foreach(json_object_get(env, "required"), i, r)
        if (!strcmp(json_string_value(r), name))
            return true;
    return false;
}

/* The envelope of a success, as the REST overview shows it; NULL when it
 * holds, else what is wrong. */
static const char *envelope_fault(const contract *c, const operation *op, const json_t *body)
{
    const json_t *env = schema_resolve(&c->schemas, op->response_schema);
    if (!json_object_get(json_object_get(env, "properties"), "data") || !json_is_object(body))
        return NULL; /* not VSPC's envelope (OAuth results, bare values) */
    const json_t *meta = json_object_get(body, "meta");
    if (op->paginated && json_is_array(json_object_get(body, "data")) &&
        !json_is_object(json_object_get(meta, "pagingInfo")))
        return "a page without meta.pagingInfo";
    if (!op->paginated && meta)
        return "meta on an answer that is not a page";
    if (json_object_get(body, "errors") && !envelope_requires(c, op, "errors"))
        return "errors on a success";
    return NULL;
}

/* Every GET of c with its version header; strict: the context that
 * validates (nullability as the document states it). */
static void run_version(const contract *c, const entity_model *model,
                        const entity_model *latest, tally *t)
{
    schema_ctx strict;
    schema_ctx_init(&strict, c->doc, false);
    char version_header[64];
    snprintf(version_header, sizeof version_header, "X-Client-Version: %s", c->version);
    request_builder rb = {&server, model, latest, fixtures, NULL, NULL};
    for (size_t i = 0; i < c->nops; i++) {
        const operation *op = &c->ops[i];
        if (op->method != HTTP_GET || op->response_binary)
            continue;
        t->gets++;
        char url[4096];
        rq_url(&rb, op, rng_mix(42, op->operation_id), url, sizeof url);
        const char *headers[] = {version_header, NULL};
        http_result r;
        ck_assert_msg(http_call("GET", url, headers, NULL, 0, NULL, &r), "transport failure on %s",
                      url);
        json_t *body = r.status == 200 ? json_loadb(r.body, r.len, JSON_DECODE_ANY, NULL) : NULL;
        schema_error e = {{0}, {0}};
        const char *fault = body ? envelope_fault(c, op, body) : NULL;
        if (r.status == 404 && may_have_no_data(op))
            t->no_data++;
        else if (r.status != 200 || !body)
            note(t, "%s %s: %s -> %ld %.200s\n", c->version, op->operation_id, url, r.status,
                 r.body);
        else if (t->answered++, fault)
            note(t, "%s %s: %s\n", c->version, op->operation_id, fault);
        else if (!schema_validate(&strict, op->response_schema, body, &e))
            note(t, "%s %s: '%s': %s\n", c->version, op->operation_id, e.path, e.message);
        else
            t->valid++;
        json_decref(body);
        http_result_free(&r);
    }
}

/* The figures: GET operations with a JSON answer, those with data in the
 * default world, and how many of these validate strictly: all. */
static void check_version(const char *version, size_t expected_gets)
{
    contract *c = test_load_contract(version), *newest = test_load_contract("3.6.1");
    entity_model *model = test_model_of(c), *latest = test_model_of(newest);
    tally t = {0};
    run_version(c, model, latest, &t);
    size_t with_data = t.gets - t.no_data;
    printf("API %s: %zu of %zu GET operations with data answered valid for a strict client "
           "(%zu GETs, %zu answered 200, %zu without data)\n",
           version, t.valid, with_data, t.gets, t.answered, t.no_data);
    fflush(stdout);
    ck_assert_uint_eq(t.gets, expected_gets);
    ck_assert_msg(t.valid == with_data,
                  "API %s: %zu/%zu valid; first failures:\n%s", version, t.valid, with_data,
                  t.failures);
    entities_free(model);
    entities_free(latest);
    contract_free(c);
    contract_free(newest);
}

START_TEST(strict_3_6_1) { check_version("3.6.1", 568); }
END_TEST

START_TEST(strict_3_6) { check_version("3.6", 568); }
END_TEST

START_TEST(strict_3_5_1) { check_version("3.5.1", 556); }
END_TEST

/* The names of an object's members, in order, as "a,b". */
static void keys_of(const json_t *j, char *out, size_t len)
{
    out[0] = 0;
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)j, key, v) {
        size_t used = strlen(out);
        snprintf(out + used, len - used, "%s%s", used ? "," : "", key);
    }
}

/* Calls path with the version header; the answer parsed (caller decrefs). */
static json_t *call(const char *method, const char *version, const char *path, long *status)
{
    char url[512], header[64];
    snprintf(url, sizeof url, "%s/api/v3%s", server.base, path);
    snprintf(header, sizeof header, "X-Client-Version: %s", version);
    const char *headers[] = {header, NULL};
    http_result r;
    ck_assert(http_call(method, url, headers, NULL, 0, NULL, &r));
    *status = r.status;
    json_t *j = json_loadb(r.body, r.len, 0, NULL);
    http_result_free(&r);
    return j;
}

/* The REST overview's envelope, in every version: one resource is
 * {"data"}, a page {"meta": {"pagingInfo"}, "data"}, a success without
 * data the contract's EmptyResponse {"errors": []}, an error {"errors"}. */
START_TEST(envelope_as_the_overview_shows)
{
    static const char *const versions[] = {"3.6.1", "3.6", "3.5.1"};
    for (size_t v = 0; v < 3; v++) {
        char keys[256];
        long status;
        json_t *j = call("GET", versions[v], "/about", &status);
        keys_of(j, keys, sizeof keys);
        ck_assert_int_eq(status, 200);
        ck_assert_str_eq(keys, "data");
        json_decref(j);

        j = call("GET", versions[v], "/alarms/active?limit=1", &status);
        keys_of(j, keys, sizeof keys);
        ck_assert_int_eq(status, 200);
        ck_assert_str_eq(keys, "meta,data");
        keys_of(json_object_get(j, "meta"), keys, sizeof keys);
        ck_assert_str_eq(keys, "pagingInfo");
        keys_of(json_object_get(json_object_get(j, "meta"), "pagingInfo"), keys, sizeof keys);
        ck_assert_str_eq(keys, "total,count,offset");
        const char *uid = json_string_value(
            json_object_get(json_array_get(json_object_get(j, "data"), 0), "instanceUid"));
        ck_assert_ptr_nonnull(uid);
        char path[128];
        snprintf(path, sizeof path, "/alarms/active/%s", uid);
        json_decref(j);

        j = call("DELETE", versions[v], path, &status);
        ck_assert_int_eq(status, 200);
        json_t *empty = json_pack("{s:[]}", "errors");
        ck_assert_msg(json_equal(j, empty), "a delete under %s answers other than {\"errors\":[]}",
                      versions[v]);
        json_decref(empty);
        json_decref(j);

        j = call("GET", versions[v], path, &status);
        keys_of(j, keys, sizeof keys);
        ck_assert_int_eq(status, 404);
        ck_assert_str_eq(keys, "errors");
        json_decref(j);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_strict");
    TCase *tc = tcase_create("versions");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, strict_3_6_1);
    tcase_add_test(tc, strict_3_6);
    tcase_add_test(tc, strict_3_5_1);
    tcase_add_test(tc, envelope_as_the_overview_shows); /* last: it deletes */
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
