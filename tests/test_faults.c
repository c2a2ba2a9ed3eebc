/* test_faults.c — the fault rules without a server (server/faults/faults.h):
 * the path glob, matching by method, path, operationId and user, the
 * seeded draws and the count limit. */
#include <check.h>
#include <jansson.h>
#include <string.h>

#include "faults/faults.h"
#include "testutil.h"

static faults *open_faults(void)
{
    char err[256];
    faults *f = faults_open(test_schema_dir(), 7, err, sizeof err);
    ck_assert_msg(f, "%s", err);
    return f;
}

static long add(faults *f, const char *text)
{
    char prop[96], why[256];
    json_t *rule = json_loads(text, 0, NULL);
    json_t *added = faults_add(f, rule, prop, sizeof prop, why, sizeof why);
    json_decref(rule);
    ck_assert_msg(added, "%s: %s %s", text, prop, why);
    long id = (long)json_integer_value(json_object_get(added, "id"));
    json_decref(added);
    return id;
}

START_TEST(glob_matches_runs_of_characters)
{
    ck_assert(fault_glob("/api/v3/organizations/companies*", "/api/v3/organizations/companies"));
    ck_assert(fault_glob("/api/v3/organizations/*/sites", "/API/v3/organizations/companies/x/sites"));
    ck_assert(fault_glob("*", ""));
    ck_assert(fault_glob("/a*b*c", "/aXbYbZc"));
    ck_assert(!fault_glob("/a*b*c", "/aXbYbZ"));
    ck_assert(!fault_glob("/api/v3/about", "/api/v3/about/x"));
}
END_TEST

START_TEST(rules_match_what_they_name)
{
    faults *f = open_faults();
    add(f, "{\"method\": \"post\", \"path\": \"/organizations/companies\", "
           "\"effect\": {\"type\": \"status\", \"status\": 409}}");
    add(f, "{\"operationId\": \"GetAbout\", \"user\": \"alpha_admin\", "
           "\"effect\": {\"type\": \"latency\", \"minMs\": 10, \"maxMs\": 20}}");
    ck_assert(faults_want_user(f));
    fault_hit hit;
    fault_request q = {"GET", "/api/v3/organizations/companies", "GetCompanies", NULL};
    ck_assert(!faults_draw(f, &q, &hit)); /* another method */
    q.method = "POST";
    ck_assert(faults_draw(f, &q, &hit));
    ck_assert_int_eq(hit.kind, FAULT_STATUS);
    ck_assert_int_eq(hit.status, 409);
    fault_request about = {"GET", "/api/v3/about", "GetAbout", NULL};
    ck_assert(!faults_draw(f, &about, &hit)); /* no user known */
    about.user = "ALPHA_ADMIN";
    ck_assert(faults_draw(f, &about, &hit));
    ck_assert_int_eq(hit.kind, FAULT_LATENCY);
    ck_assert(hit.delay_ms >= 10 && hit.delay_ms <= 20);
    ck_assert_uint_eq(faults_clear(f), 2);
    ck_assert(!faults_want_user(f));
    ck_assert(!faults_draw(f, &q, &hit));
    faults_close(f);
}
END_TEST

/* 64 draws of a rule as bits: the same after the rule is added again. */
static unsigned long long draws(faults *f, const char *rule)
{
    long id = add(f, rule);
    fault_request q = {"GET", "/api/v3/about", "GetAbout", NULL};
    unsigned long long bits = 0;
    fault_hit hit;
    for (int i = 0; i < 64; i++)
        if (faults_draw(f, &q, &hit))
            bits |= 1ull << i;
    ck_assert(faults_remove(f, id));
    ck_assert(!faults_remove(f, id));
    return bits;
}

START_TEST(draws_repeat_and_counts_stop)
{
    faults *f = open_faults();
    const char *half = "{\"path\": \"*\", \"probability\": 0.5, \"effect\": {\"type\": \"drop\"}}";
    unsigned long long a = draws(f, half), b = draws(f, half);
    ck_assert(a == b);
    int n = __builtin_popcountll(a);
    ck_assert(n > 16 && n < 48);
    ck_assert(draws(f, "{\"path\": \"*\", \"probability\": 0.5, \"seed\": 1, "
                       "\"effect\": {\"type\": \"drop\"}}") != a);
    ck_assert(draws(f, "{\"path\": \"*\", \"probability\": 0, \"effect\": {\"type\": \"drop\"}}") == 0);
    unsigned long long counted =
        draws(f, "{\"path\": \"*\", \"count\": 5, \"effect\": {\"type\": \"drop\"}}");
    ck_assert(counted == 0x1f);
    faults_close(f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("faults");
    TCase *tc = tcase_create("faults");
    tcase_add_test(tc, glob_matches_runs_of_characters);
    tcase_add_test(tc, rules_match_what_they_name);
    tcase_add_test(tc, draws_repeat_and_counts_stop);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK);
}
