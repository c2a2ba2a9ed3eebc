/* test_http_routes.c — the whole contract over real HTTP.
 *
 * Starts the emulator (--tls off) and, for every operation of every contract
 * document, sends a valid request built from the contract (path parameters,
 * required query parameters and a body generated from its schema) and
 * checks that it is routed (never 404/405), answered 200, and that every
 * JSON answer validates against the operation's 200 response schema.
 */
#include <check.h>
#include <stdarg.h>
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract.h"
#include "entities.h"
#include "generate.h"
#include "httpclient.h"
#include "requests.h"
#include "rng.h"
#include "store.h"
#include "world.h"
#include "testutil.h"

static test_server server;
static entity_model *model;  /* the model of the contract under test */
static entity_model *latest; /* the newest one, from which the world is built */
static json_t *fixtures;      /* the default world's hand-written records */

/* A fresh server (and default world) for each version's run: the run
 * deletes records. */
static void setup(void) { server_start(&server, NULL); }
static void teardown(void) { server_stop(&server); }

/* Appends s to buf (bounded). */
static void append(char *buf, size_t len, const char *s)
{
    size_t used = strlen(buf);
    snprintf(buf + used, len - used, "%s", s);
}

typedef struct tally {
    size_t routed, ok, json_checked, json_valid, binary;
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
    char version_header[64];
    snprintf(version_header, sizeof version_header, "X-Client-Version: %s", c->version);
    /* reads first, then writes, deletes last (they remove first records),
     * and the deletes that cascade (a company takes its locations) after
     * the others */
    const json_t *cascading = json_object_get(model->mapping, "cascade");
    for (size_t pass = 0; pass < 4 * c->nops; pass++) {
        const operation *op = &c->ops[pass % c->nops];
        const binding *b = entities_binding(model, op);
        int phase = op->method == HTTP_GET      ? 0
                    : op->method != HTTP_DELETE ? 1
                    : b->entity && json_object_get(cascading, b->entity->name) ? 3
                                                                               : 2;
        if (phase != (int)(pass / c->nops))
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
        if (r.status != 404 && r.status != 405)
            t->routed++;
        if (r.status != 200) {
            fail_note(t, "%s %s -> %ld %.300s\n", http_method_name(op->method), url, r.status, r.body);
        } else {
            t->ok++;
            if (op->response_binary) {
                t->binary += r.len > 0 && strncmp(r.content_type, "application/json", 16) != 0;
            } else {
                json_t *j = json_loadb(r.body, r.len, JSON_DECODE_ANY, NULL);
                schema_error e = {{0}, {0}};
                t->json_checked++;
                if (j && schema_validate(&c->schemas, op->response_schema, j, &e))
                    t->json_valid++;
                else
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
    printf("API %s: %zu/%zu operations routed, %zu answered 200, %zu/%zu JSON bodies "
           "schema-valid (%zu GET), %zu file downloads\n",
           version, t.routed, c->nops, t.ok, t.json_valid, t.json_checked, json_gets, t.binary);
    ck_assert_msg(t.nfail == 0, "%zu failures on %s, first ones:\n%s", t.nfail, version,
                  t.failures);
    ck_assert_uint_eq(t.routed, c->nops);
    ck_assert_uint_eq(t.ok, c->nops);
    ck_assert_uint_eq(t.json_valid, t.json_checked);
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
