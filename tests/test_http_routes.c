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

/* Text form of a generated parameter value. */
static char *value_text(const json_t *v)
{
    if (json_is_string(v))
        return strdup(json_string_value(v));
    return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

/* Property prop of the first stored record of type, read from the
 * server's database. */
static char *first_record_value(const char *type, const char *prop)
{
    char db[512], err[256];
    snprintf(db, sizeof db, "%s/vspc.db", server.data_dir);
    store *st = store_open(db, err, sizeof err);
    ck_assert_msg(st != NULL, "%s", err);
    char *uid = NULL;
    json_t *body = NULL;
    ck_assert_int_eq(store_find(st, type, NULL, &uid, &body, NULL), STORE_OK);
    char *text = value_text(json_object_get(body, prop));
    free(uid);
    json_decref(body);
    store_close(st);
    return text;
}

/* The value of path parameter `name` of op: the id of the first record of
 * the entity it names in the default world (so nested routes agree: every
 * first record refers to first records), else a generated value. */
static char *path_value(const operation *op, const op_param *prm, const char *name, uint64_t seed)
{
    const binding *b = entities_binding(model, op);
    const entity *e = b->id_param && !strcmp(b->id_param, name) ? b->entity
                                                                 : entities_for_key(model, name);
    const entity *stored = e ? entities_find(latest, e->name) : NULL;
    if (e && e->id_param) {
        if (stored && e->id_prop && (!stored->id_prop || strcmp(e->id_prop, stored->id_prop)))
            return first_record_value(e->name, e->id_prop); /* an older id property */
        /* types the newest version lacks are built from their own version */
        world_options o = {WORLD_DEFAULT_SEED, WORLD_DEFAULT_COMPANIES, WORLD_DEFAULT_PER_ENTITY, 0, fixtures};
        char uid[128];
        world_uid(stored ? latest : model, stored ? stored : e, 0, &o, uid, sizeof uid);
        return strdup(uid);
    }
    json_t *v = generate_value(&op->contract->schemas, prm ? prm->schema : NULL, name,
                               rng_mix(seed, name));
    char *text = value_text(v);
    json_decref(v);
    return text;
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
        char *text = path_value(op, operation_param(op, PARAM_PATH, name), name, seed);
        char *escaped = curl_easy_escape(esc, text ? text : "x", 0);
        append(url, len, escaped);
        curl_free(escaped);
        free(text);
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

/* Names and logins must not clash with the default world's (409): the
 * ones in a generated body get the operation's name appended. */
static void make_names_unique(json_t *v, const char *suffix, int depth)
{
    const char *key;
    json_t *member;
    if (depth > 16)
        return;
    json_object_foreach(v, key, member) {
        if (json_is_object(member)) {
            make_names_unique(member, suffix, depth + 1);
        } else if (json_is_string(member) && (!strcmp(key, "name") || !strcmp(key, "userName"))) {
            char unique[512];
            snprintf(unique, sizeof unique, "%s %s", json_string_value(member), suffix);
            json_object_set_new(v, key, json_string(unique));
        }
    }
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
    if (op->method == HTTP_PATCH) { /* a valid patch that changes nothing */
        snprintf(ct, ctlen, "Content-Type: application/json");
        *blen = 2;
        return strdup("[]");
    }
    json_t *v = generate_value(ctx, op->body_schema, NULL, seed);
    make_names_unique(v, op->operation_id, 0);
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

/* The entity model of contract c. */
static entity_model *model_of(const contract *c)
{
    char mapping_file[1024], err[256];
    snprintf(mapping_file, sizeof mapping_file, "%s/entities.json", test_schema_dir());
    json_t *mapping = json_load_file(mapping_file, 0, NULL);
    entity_model *m = entities_build(c, mapping, err, sizeof err);
    json_decref(mapping);
    ck_assert_msg(m != NULL, "%s", err);
    return m;
}

static void check_version(const char *version, size_t expected_ops)
{
    contract *c = test_load_contract(version), *newest = test_load_contract("3.6.1");
    ck_assert_uint_eq(c->nops, expected_ops);
    model = model_of(c);
    latest = model_of(newest);
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
