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
#include "generate.h"
#include "httpclient.h"
#include "rng.h"
#include "testutil.h"

static test_server server;

static void setup(void) { server_start(&server, NULL); }
static void teardown(void) { server_stop(&server); }

/* Text form of a generated parameter value. */
static char *value_text(const json_t *v)
{
    if (json_is_string(v))
        return strdup(json_string_value(v));
    return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

/* Appends s to buf (bounded). */
static void append(char *buf, size_t len, const char *s)
{
    size_t used = strlen(buf);
    snprintf(buf + used, len - used, "%s", s);
}

/* The concrete URL of op: path parameters filled, required query
 * parameters given, and limit/offset on paginated operations. */
static void build_url(const operation *op, uint64_t seed, char *url, size_t len)
{
    const schema_ctx *ctx = &op->contract->schemas;
    CURL *esc = curl_easy_init();
    snprintf(url, len, "%s/api/v3", server.base);
    for (const char *p = op->path; *p;) {
        if (*p != '{') {
            size_t used = strlen(url);
            if (used + 1 < len) {
                url[used] = *p;
                url[used + 1] = 0;
            }
            p++;
            continue;
        }
        const char *end = strchr(p, '}');
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
        const op_param *prm = operation_param(op, PARAM_PATH, name);
        json_t *v = generate_value(ctx, prm ? prm->schema : NULL, name, rng_mix(seed, name));
        char *text = value_text(v);
        char *escaped = curl_easy_escape(esc, text ? text : "x", 0);
        append(url, len, escaped);
        curl_free(escaped);
        free(text);
        json_decref(v);
        p = end + 1;
    }
    char sep = '?';
    for (size_t i = 0; i < op->nparams; i++) {
        const op_param *prm = &op->params[i];
        if (prm->in != PARAM_QUERY || !prm->required)
            continue;
        json_t *v = generate_value(ctx, prm->schema, prm->name, rng_mix(seed, prm->name));
        char *text = value_text(v);
        char *escaped = curl_easy_escape(esc, text ? text : "", 0);
        size_t used = strlen(url);
        snprintf(url + used, len - used, "%c%s=%s", sep, prm->name, escaped);
        sep = '&';
        curl_free(escaped);
        free(text);
        json_decref(v);
    }
    if (op->paginated) {
        size_t used = strlen(url);
        snprintf(url + used, len - used, "%climit=3&offset=1", sep);
    }
    curl_easy_cleanup(esc);
}

/* The body of op as bytes of its media type; *ct receives the header. */
static char *build_body(const operation *op, uint64_t seed, size_t *blen, char *ct, size_t ctlen)
{
    const schema_ctx *ctx = &op->contract->schemas;
    if (!strcmp(op->operation_id, "OAuth2IssueToken")) {
        snprintf(ct, ctlen, "Content-Type: application/x-www-form-urlencoded");
        char *b = strdup("grant_type=password&username=administrator&password=Password1");
        *blen = strlen(b);
        return b;
    }
    if (op->body == BODY_BINARY) {
        snprintf(ct, ctlen, "Content-Type: application/octet-stream");
        char *b = strdup("\x01\x02patch-chunk");
        *blen = strlen(b);
        return b;
    }
    json_t *v = generate_value(ctx, op->body_schema, NULL, seed);
    char *out = NULL;
    if (op->body == BODY_JSON) {
        snprintf(ct, ctlen, "Content-Type: application/json");
        out = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    } else { /* multipart/form-data: one part per property */
        const char *boundary = "vspcTestBoundary7MA4YWxkTrZu0gW";
        snprintf(ct, ctlen, "Content-Type: multipart/form-data; boundary=%s", boundary);
        size_t cap = 65536, used = 0;
        out = calloc(1, cap);
        const char *key;
        json_t *val;
        json_object_foreach(v, key, val) {
            char *text = value_text(val);
            used += (size_t)snprintf(out + used, cap - used,
                                     "--%s\r\nContent-Disposition: form-data; name=\"%s\"%s\r\n\r\n%s\r\n",
                                     boundary, key, json_is_string(val) ? "; filename=\"x.lic\"" : "",
                                     text ? text : "");
            free(text);
        }
        snprintf(out + used, cap - used, "--%s--\r\n", boundary);
    }
    json_decref(v);
    *blen = out ? strlen(out) : 0;
    return out;
}

typedef struct tally {
    size_t routed, ok, json_checked, json_valid, binary;
    char failures[8192];
    size_t nfail;
} tally;

__attribute__((format(printf, 2, 3))) static void fail_note(tally *t, const char *fmt, ...)
{
    if (t->nfail++ >= 12)
        return;
    char line[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    append(t->failures, sizeof t->failures, line);
}

/* Exercises every operation of c, with X-Client-Version set to it. */
static void run_contract(const contract *c, tally *t)
{
    char version_header[64];
    snprintf(version_header, sizeof version_header, "X-Client-Version: %s", c->version);
    for (size_t i = 0; i < c->nops; i++) {
        const operation *op = &c->ops[i];
        uint64_t seed = rng_mix(42, op->operation_id);
        char url[4096], ct[160] = "";
        build_url(op, seed, url, sizeof url);
        size_t blen = 0;
        char *body = op->body != BODY_NONE ? build_body(op, seed, &blen, ct, sizeof ct) : NULL;
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
    contract *c = test_load_contract(version);
    ck_assert_uint_eq(c->nops, expected_ops);
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
    contract_free(c);
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
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, every_operation_of_3_6_1);
    tcase_add_test(tc, every_operation_of_3_6);
    tcase_add_test(tc, every_operation_of_3_5_1);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
