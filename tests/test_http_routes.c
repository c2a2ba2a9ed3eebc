/* test_http_routes.c — the whole contract over real HTTP.
 *
 * Starts the emulator (--tls off) and, for every operation of every contract
 * document, sends a valid request built from the contract (path parameters,
 * required query parameters and a body generated from its schema) and
 * checks that it is routed (never 404/405), answered 200, and that every
 * JSON answer validates against the operation's 200 response schema, with
 * nullability as that version's document states it.
 */
#include <check.h>
#include <stdarg.h>
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract/contract.h"
#include "contract/entities.h"
#include "contract/generate.h"
#include "httpclient.h"
#include "requests.h"
#include "base/rng.h"
#include "store/store.h"
#include "world/world.h"
#include "testutil.h"

static test_server server;
static entity_model *model;  /* the model of the contract under test */
static entity_model *latest; /* the newest one, from which the world is built */
static json_t *fixtures;      /* the default world's hand-written records */

/* The run deletes first records: the default administrator, its
 * organization, its tokens. So it signs in as a portal administrator of its
 * own, made in an organization that is first of no type (Beta). */
static void sign_in_sweeper(void)
{
    char url[256];
    snprintf(url, sizeof url, "%s/api/v3/users", server.base);
    const char *body =
        "{\"organizationUid\":\"279595ca-2027-4110-abc8-63619d14e25a\","
        "\"role\":\"PortalAdministrator\",\"profile\":{\"firstName\":\"Sweep\","
        "\"lastName\":\"Runner\",\"email\":\"sweep@example.com\"},"
        "\"credentials\":{\"userName\":\"sweep.runner\",\"password\":\"Sweep#2026\"}}";
    const char *headers[] = {"Content-Type: application/json", NULL};
    http_result r;
    ck_assert(http_call("POST", url, headers, body, strlen(body), NULL, &r));
    ck_assert_msg(r.status == 200, "creating the sweep user: %ld %s", r.status, r.body);
    http_result_free(&r);
    ck_assert(server_sign_in(&server, "sweep.runner", "Sweep#2026"));
}

/* A fresh server (and default world) for each version's run. */
static void setup(void)
{
    server_start(&server, NULL);
    sign_in_sweeper();
}
static void teardown(void) { server_stop(&server); }

/* Appends s to buf (bounded). */
static void append(char *buf, size_t len, const char *s)
{
    size_t used = strlen(buf);
    snprintf(buf + used, len - used, "%s", s);
}

/* Operations that check their input beyond its schema (a real container,
 * key, TOTP URL or reset code): the generated request is refused, with
 * this VSPC error code in the envelope. */
static const struct {
    const char *operation_id;
    long status, code;
} refusals[] = {
    {"DecryptPkcs12Container", 400, 400},
    {"CompleteResetPasswordRequest", 400, 400},
    {"AddAsymmetricAlgorithmLogin", 400, 1205},
    {"AddTotpLogin", 400, 400},
    {"DeleteLocation", 400, 1500}, /* the first location is its company's only one */
    /* no async action is generated (async/actions.h): an id of none is a 404 */
    {"GetAsyncActionInfo", 404, 404},
    {"GetAsyncActionResult", 404, 404},
    {"AttachRequestDataToAsyncAction", 404, 404},
    {"ClearAsyncActionResult", 404, 404},
    {"CancelAsyncAction", 404, 404},
    /* the user addressed (the administrator) has a portal role: no locations */
    {"SetUserToLocation", 400, 400},
    {"DeleteUserFromLocation", 400, 400},
};

/* Whether r is the refusal expected of op. */
static bool expected_refusal(const operation *op, const http_result *r)
{
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
        if (strcmp(refusals[i].operation_id, op->operation_id) != 0)
            continue;
        json_t *j = json_loadb(r->body, r->len, 0, NULL);
        long code = (long)json_integer_value(
            json_object_get(json_array_get(json_object_get(j, "errors"), 0), "code"));
        json_decref(j);
        return r->status == refusals[i].status && code == refusals[i].code;
    }
    return false;
}

typedef struct tally {
    size_t routed, ok, refused, json_checked, json_valid, binary;
    size_t record_checked, record_valid; /* answers built from stored records */
    char failures[8192];
    size_t nfail;
} tally;

__attribute__((format(printf, 2, 3))) static void fail_note(tally *t, const char *fmt, ...)
{
    char line[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fputs(line, stderr); /* all of them on stderr, the first ones in the assertion */
    if (t->nfail++ < 12)
        append(t->failures, sizeof t->failures, line);
}

/* Exercises every operation of c, with X-Client-Version set to it. */
static void run_contract(const contract *c, tally *t)
{
    /* nullability as the version's document states it: what a client
     * generated from it reads (3.6 and 3.5.1 mark nothing nullable) */
    schema_ctx strict;
    schema_ctx_init(&strict, c->doc, false);
    char version_header[64];
    snprintf(version_header, sizeof version_header, "X-Client-Version: %s", c->version);
    /* reads first, then writes, deletes last (they remove first records):
     * nested records before the records they hang off (3.5.1 finds a backup
     * resource through the site resource it is under), and the deletes that
     * cascade (a company takes its locations) after the others */
    const json_t *cascading = json_object_get(model->mapping, "cascade");
    const size_t depths = ROUTER_MAX_SEGMENTS + 1;
    for (size_t pass = 0; pass < (3 + depths) * c->nops; pass++) {
        const operation *op = &c->ops[pass % c->nops];
        const binding *b = entities_binding(model, op);
        size_t depth = 0;
        for (const char *p = op->path; *p; p++)
            depth += *p == '/';
        if (depth >= depths)
            depth = depths - 1;
        size_t phase = op->method == HTTP_GET      ? 0
                       : op->method != HTTP_DELETE ? 1
                       : b->entity && json_object_get(cascading, b->entity->name)
                           ? 2 + depths
                           : 2 + (depths - 1 - depth);
        if (phase != pass / c->nops)
            continue;
        uint64_t seed = rng_mix(42, op->operation_id);
        char url[4096], ct[160] = "";
        request_builder rb = {&server, model, latest, fixtures, NULL, "limit=3&offset=1"};
        rq_url(&rb, op, seed, url, sizeof url);
        size_t blen = 0;
        char *body = op->body != BODY_NONE ? rq_body(&rb, op, seed, &blen, ct, sizeof ct) : NULL;
        const char *headers[] = {version_header, ct[0] ? ct : NULL, NULL};
        http_result r;
        ck_assert_msg(http_call(http_method_name(op->method), url, headers, body, blen, NULL, &r),
                      "transport failure on %s", url);
        free(body);
        bool refusal = r.status != 200 && expected_refusal(op, &r);
        if ((r.status != 404 && r.status != 405) || refusal) /* a 404 of no such action is routed */
            t->routed++;
        if (refusal) {
            t->ok++;
            t->refused++;
        } else if (r.status != 200) {
            fail_note(t, "%s %s -> %ld %.300s\n", http_method_name(op->method), url, r.status, r.body);
        } else {
            t->ok++;
            if (op->response_binary) {
                t->binary += r.len > 0 && strncmp(r.content_type, "application/json", 16) != 0;
            } else {
                json_t *j = json_loadb(r.body, r.len, JSON_DECODE_ANY, NULL);
                schema_error e = {{0}, {0}};
                /* an answer generated from the schema is valid by construction:
                 * checking it tests the generator, not the answer, so answers
                 * built from records are counted apart */
                binding_kind kind = entities_binding(model, op)->kind;
                bool from_records =
                    kind != BIND_NONE && kind != BIND_ACTION && kind != BIND_DELETE;
                t->json_checked++;
                t->record_checked += from_records;
                if (j && schema_validate(&strict, op->response_schema, j, &e)) {
                    t->json_valid++;
                    t->record_valid += from_records;
                } else
                    fail_note(t, "%s: invalid body at '%s': %s\n", op->operation_id, e.path,
                              e.message);
                json_decref(j);
            }
        }
        http_result_free(&r);
    }
}

static void check_version(const char *version, size_t expected_ops)
{
    contract *c = test_load_contract(version), *newest = test_load_contract("3.6.1");
    ck_assert_uint_eq(c->nops, expected_ops);
    model = test_model_of(c);
    latest = test_model_of(newest);
    fixtures = test_load_fixtures();
    tally t = {0};
    run_contract(c, &t);
    size_t gets = 0, json_gets = 0;
    for (size_t i = 0; i < c->nops; i++) {
        gets += c->ops[i].method == HTTP_GET;
        json_gets += c->ops[i].method == HTTP_GET && !c->ops[i].response_binary;
    }
    printf("API %s: %zu/%zu operations routed, %zu answered 200 and %zu with the expected "
           "refusal; %zu/%zu answers built from records schema-valid, %zu generated answers "
           "(valid by construction, %zu/%zu); %zu JSON GETs, %zu file downloads\n",
           version, t.routed, c->nops, t.ok - t.refused, t.refused, t.record_valid,
           t.record_checked, t.json_checked - t.record_checked, t.json_valid - t.record_valid,
           t.json_checked - t.record_checked, json_gets, t.binary);
    ck_assert_msg(t.nfail == 0, "%zu failures on %s, first ones:\n%s", t.nfail, version,
                  t.failures);
    ck_assert_uint_eq(t.routed, c->nops);
    ck_assert_uint_eq(t.ok, c->nops);
    ck_assert_uint_eq(t.json_valid, t.json_checked);
    ck_assert_uint_eq(t.record_valid, t.record_checked);
    ck_assert_uint_gt(t.record_checked, 0);
    json_decref(fixtures);
    entities_free(model);
    entities_free(latest);
    contract_free(c);
    contract_free(newest);
}

START_TEST(every_operation_of_3_6_1) { check_version("3.6.1", 942); }
END_TEST

START_TEST(every_operation_of_3_6) { check_version("3.6", 939); }
END_TEST

START_TEST(every_operation_of_3_5_1) { check_version("3.5.1", 910); }
END_TEST

int main(void)
{
    Suite *s = suite_create("http_routes");
    TCase *tc = tcase_create("contract");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, every_operation_of_3_6_1);
    tcase_add_test(tc, every_operation_of_3_6);
    tcase_add_test(tc, every_operation_of_3_5_1);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
