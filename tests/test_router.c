/* test_router.c — the route index: literals, parameters, precedence,
 * backtracking, trailing slashes, case, 405, malformed templates, literals
 * in UUID positions (of this index or another's), and the whole 3.6.1
 * contract indexed and matched. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "contract/contract.h"
#include "contract/router.h"
#include "testutil.h"

static int P[16]; /* payload addresses */

static router *sample(void)
{
    router *r = router_new();
    ck_assert_ptr_nonnull(r);
    ck_assert(router_add(r, "/about", HTTP_GET, &P[0]));
    ck_assert(router_add(r, "/organizations/companies", HTTP_GET, &P[1]));
    ck_assert(router_add(r, "/organizations/companies", HTTP_POST, &P[2]));
    ck_assert(router_add(r, "/organizations/companies/{companyUid}", HTTP_GET, &P[3]));
    ck_assert(router_add(r, "/organizations/companies/{companyUid}", HTTP_PATCH, &P[4]));
    ck_assert(router_add(r, "/organizations/companies/billing", HTTP_GET, &P[5]));
    ck_assert(router_add(r, "/organizations/companies/{companyUid}/sites/{siteUid}", HTTP_GET, &P[6]));
    ck_assert(router_add(r, "/plugins/", HTTP_GET, &P[7]));
    ck_assert(router_add(r, "/a/b/c", HTTP_GET, &P[8]));
    ck_assert(router_add(r, "/a/{x}/d", HTTP_GET, &P[9]));
    return r;
}

START_TEST(literal_and_parameters)
{
    router *r = sample();
    route_match m;
    ck_assert_int_eq(router_match(r, HTTP_GET, "/about", &m), ROUTE_FOUND);
    ck_assert_ptr_eq(m.payload, &P[0]);
    ck_assert_uint_eq(m.nparams, 0);
    ck_assert_int_eq(router_match(r, HTTP_GET, "/organizations/companies/abc-1/sites/S2", &m), ROUTE_FOUND);
    ck_assert_ptr_eq(m.payload, &P[6]);
    ck_assert_uint_eq(m.nparams, 2);
    ck_assert_str_eq(m.names[0], "companyUid");
    ck_assert_str_eq(m.values[0], "abc-1");
    ck_assert_str_eq(m.names[1], "siteUid");
    ck_assert_str_eq(m.values[1], "S2");
    ck_assert_str_eq(m.path_template, "/organizations/companies/{companyUid}/sites/{siteUid}");
    router_free(r);
}
END_TEST

START_TEST(literal_wins_then_parameter_for_other_methods)
{
    router *r = sample();
    route_match m;
    ck_assert_int_eq(router_match(r, HTTP_GET, "/organizations/companies/billing", &m), ROUTE_FOUND);
    ck_assert_ptr_eq(m.payload, &P[5]);
    /* PATCH exists only behind the parameter */
    ck_assert_int_eq(router_match(r, HTTP_PATCH, "/organizations/companies/billing", &m), ROUTE_FOUND);
    ck_assert_ptr_eq(m.payload, &P[4]);
    ck_assert_str_eq(m.values[0], "billing");
    router_free(r);
}
END_TEST

START_TEST(backtracks_from_a_dead_literal)
{
    router *r = sample();
    route_match m;
    ck_assert_int_eq(router_match(r, HTTP_GET, "/a/b/d", &m), ROUTE_FOUND);
    ck_assert_ptr_eq(m.payload, &P[9]);
    ck_assert_str_eq(m.values[0], "b");
    ck_assert_int_eq(router_match(r, HTTP_GET, "/a/b/c", &m), ROUTE_FOUND);
    ck_assert_ptr_eq(m.payload, &P[8]);
    ck_assert_uint_eq(m.nparams, 0);
    router_free(r);
}
END_TEST

START_TEST(not_found_and_method_not_allowed)
{
    router *r = sample();
    route_match m;
    ck_assert_int_eq(router_match(r, HTTP_GET, "/nothing", &m), ROUTE_NOT_FOUND);
    ck_assert_int_eq(router_match(r, HTTP_GET, "/organizations", &m), ROUTE_NOT_FOUND);
    ck_assert_int_eq(router_match(r, HTTP_GET, "/organizations/companies/x/sites", &m), ROUTE_NOT_FOUND);
    ck_assert_int_eq(router_match(r, HTTP_GET, "", &m), ROUTE_NOT_FOUND);
    ck_assert_int_eq(router_match(r, HTTP_GET, "about", &m), ROUTE_NOT_FOUND);
    ck_assert_int_eq(router_match(r, HTTP_GET, NULL, &m), ROUTE_NOT_FOUND);
    /* an empty segment never fills a parameter */
    ck_assert_int_eq(router_match(r, HTTP_GET, "/organizations/companies//sites/x", &m), ROUTE_NOT_FOUND);
    ck_assert_int_eq(router_match(r, HTTP_DELETE, "/about", &m), ROUTE_METHOD_NOT_ALLOWED);
    ck_assert_uint_eq(m.allowed, 1u << HTTP_GET);
    ck_assert_int_eq(router_match(r, HTTP_PUT, "/organizations/companies", &m), ROUTE_METHOD_NOT_ALLOWED);
    char allow[64];
    router_allowed_text(m.allowed, allow, sizeof allow);
    ck_assert_str_eq(allow, "GET, POST");
    ck_assert_int_eq(router_match(r, HTTP_METHOD_OTHER, "/about", &m), ROUTE_METHOD_NOT_ALLOWED);
    ck_assert_int_eq(router_match(r, HTTP_METHOD_OTHER, "/nope", &m), ROUTE_NOT_FOUND);
    router_free(r);
}
END_TEST

START_TEST(trailing_slash_and_case)
{
    router *r = sample();
    route_match m;
    ck_assert_int_eq(router_match(r, HTTP_GET, "/plugins/", &m), ROUTE_FOUND);
    ck_assert_ptr_eq(m.payload, &P[7]);
    ck_assert_int_eq(router_match(r, HTTP_GET, "/plugins", &m), ROUTE_FOUND);
    ck_assert_ptr_eq(m.payload, &P[7]);
    ck_assert_int_eq(router_match(r, HTTP_GET, "/about/", &m), ROUTE_FOUND);
    ck_assert_ptr_eq(m.payload, &P[0]);
    ck_assert_int_eq(router_match(r, HTTP_GET, "/Organizations/COMPANIES/AbC", &m), ROUTE_FOUND);
    ck_assert_ptr_eq(m.payload, &P[3]);
    ck_assert_str_eq(m.values[0], "AbC"); /* parameter values keep their case */
    router_free(r);
}
END_TEST

START_TEST(rejects_bad_templates)
{
    router *r = router_new();
    ck_assert(!router_add(r, "about", HTTP_GET, &P[0]));
    ck_assert(!router_add(r, "/a{b}", HTTP_GET, &P[0]));
    ck_assert(!router_add(r, "/{}", HTTP_GET, &P[0]));
    ck_assert(!router_add(r, NULL, HTTP_GET, &P[0]));
    ck_assert(!router_add(r, "/x", HTTP_METHOD_OTHER, &P[0]));
    ck_assert(router_add(r, "/x", HTTP_GET, &P[0]));
    ck_assert(!router_add(r, "/X", HTTP_GET, &P[1])); /* duplicate, any case */
    char deep[512] = "";
    for (int i = 0; i < ROUTER_MAX_SEGMENTS + 1; i++)
        strcat(deep, "/s");
    ck_assert(!router_add(r, deep, HTTP_GET, &P[0]));
    ck_assert(!router_add(r, "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}", HTTP_GET, &P[0]));
    ck_assert_uint_eq(router_size(r), 1);
    route_match m;
    char long_path[ROUTER_MAX_PATH + 10];
    memset(long_path, 'a', sizeof long_path);
    long_path[0] = '/';
    long_path[sizeof long_path - 1] = 0;
    ck_assert_int_eq(router_match(r, HTTP_GET, long_path, &m), ROUTE_NOT_FOUND);
    ck_assert_int_eq(router_match(r, HTTP_GET, deep, &m), ROUTE_NOT_FOUND);
    router_free(r);
}
END_TEST

START_TEST(many_literals_grow_the_table)
{
    router *r = router_new();
    char path[32];
    for (int i = 0; i < 500; i++) {
        snprintf(path, sizeof path, "/items/n%d", i);
        ck_assert(router_add(r, path, HTTP_GET, &P[i % 16]));
    }
    route_match m;
    for (int i = 0; i < 500; i++) {
        snprintf(path, sizeof path, "/items/N%d", i);
        ck_assert_int_eq(router_match(r, HTTP_GET, path, &m), ROUTE_FOUND);
        ck_assert_ptr_eq(m.payload, &P[i % 16]);
    }
    router_free(r);
}
END_TEST

/* A literal is no UUID: it never falls back to a UUID parameter, and the
 * literals of another router block such parameters without routing. */
START_TEST(literals_never_fill_uuid_parameters)
{
    router *r = router_new(), *other = router_new();
    route_match m;
    ck_assert(router_add_typed(r, "/policies/{policyUid}", HTTP_GET, &P[0], 1u));
    ck_assert(router_add_typed(r, "/policies/linux", HTTP_POST, &P[1], 0));
    ck_assert(router_add(r, "/names/{name}", HTTP_GET, &P[2]));
    ck_assert(router_add(r, "/names/special", HTTP_POST, &P[3]));
    /* GET of the literal: 405 (POST only), not the UUID parameter */
    ck_assert_int_eq(router_match(r, HTTP_GET, "/policies/linux", &m), ROUTE_METHOD_NOT_ALLOWED);
    ck_assert_int_eq(router_match(r, HTTP_GET, "/policies/5d7e2c1a-0000-4000-8000-00000000000a", &m),
                     ROUTE_FOUND);
    ck_assert_ptr_eq(m.payload, &P[0]);
    /* an untyped parameter still takes a literal for another method */
    ck_assert_int_eq(router_match(r, HTTP_GET, "/names/special", &m), ROUTE_FOUND);
    ck_assert_ptr_eq(m.payload, &P[2]);
    /* another version's literal: routes nothing here, blocks the UUID */
    ck_assert_int_eq(router_match(r, HTTP_GET, "/policies/mac", &m), ROUTE_FOUND);
    ck_assert(router_add_typed(other, "/policies/mac", HTTP_GET, &P[4], 0));
    ck_assert(router_add_typed(other, "/policies/mac/{policyUid}", HTTP_GET, &P[5], 1u));
    ck_assert(router_add(other, "/names/other", HTTP_GET, &P[6]));
    ck_assert(router_shadow(r, other));
    ck_assert_int_eq(router_match(r, HTTP_GET, "/policies/mac", &m), ROUTE_NOT_FOUND);
    ck_assert_int_eq(router_match(r, HTTP_GET, "/POLICIES/Mac", &m), ROUTE_NOT_FOUND);
    ck_assert_int_eq(router_match(r, HTTP_GET, "/policies/mac/5d7e2c1a-0000-4000-8000-00000000000a", &m),
                     ROUTE_NOT_FOUND);
    ck_assert_int_eq(router_match(r, HTTP_GET, "/names/other", &m), ROUTE_FOUND);
    ck_assert_ptr_eq(m.payload, &P[2]);
    ck_assert_uint_eq(router_size(r), 4); /* shadows add no routes */
    router_free(r);
    router_free(other);
}
END_TEST

/* The real contract: every template routes to its own operation. */
START_TEST(whole_contract)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    contract *c = test_load_contract("3.6.1");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ck_assert_uint_eq(c->nops, 942);
    ck_assert_uint_eq(router_size(c->routes), 942);
    size_t slash = 0;
    for (size_t i = 0; i < c->nops; i++) {
        const operation *op = &c->ops[i];
        /* fill each {param} with a value that is no literal of the API */
        char path[1024] = "";
        for (const char *p = op->path; *p;) {
            if (*p == '{') {
                strcat(path, "5d7e2c1a-0000-4000-8000-00000000000a");
                p = strchr(p, '}') + 1;
            } else {
                strncat(path, p++, 1);
            }
        }
        slash += path[strlen(path) - 1] == '/';
        route_match m;
        ck_assert_int_eq(router_match(c->routes, op->method, path, &m), ROUTE_FOUND);
        ck_assert_msg(m.payload == op, "%s %s routed to %s", http_method_name(op->method),
                      op->path, ((operation *)m.payload)->path);
    }
    ck_assert_uint_eq(slash, 6); /* 6 operations on the 5 paths that end in / */
    printf("3.6.1 loaded and indexed in %.1f ms\n",
           (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
    contract_free(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("router");
    TCase *tc = tcase_create("router");
    tcase_add_test(tc, literal_and_parameters);
    tcase_add_test(tc, literal_wins_then_parameter_for_other_methods);
    tcase_add_test(tc, backtracks_from_a_dead_literal);
    tcase_add_test(tc, not_found_and_method_not_allowed);
    tcase_add_test(tc, trailing_slash_and_case);
    tcase_add_test(tc, rejects_bad_templates);
    tcase_add_test(tc, many_literals_grow_the_table);
    tcase_add_test(tc, literals_never_fill_uuid_parameters);
    tcase_add_test(tc, whole_contract);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK);
}
