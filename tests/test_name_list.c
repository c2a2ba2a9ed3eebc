/* test_name_list.c — a flag's comma-separated names (server/base/name_list.h). */
#include <check.h>
#include <string.h>

#include "testutil.h"
#include "base/name_list.h"

START_TEST(names_in_order_spaces_skipped)
{
    const char *p = "GetCompanies, CreateCompany,,  X", *name;
    size_t len;
    const char *want[] = {"GetCompanies", "CreateCompany", "", "X"};
    for (size_t i = 0; i < 4; i++) {
        ck_assert(name_list_next(&p, &name, &len));
        ck_assert_int_eq(len, strlen(want[i]));
        ck_assert(!strncmp(name, want[i], len));
    }
    ck_assert(!name_list_next(&p, &name, &len));
}
END_TEST

START_TEST(has_matches_whole_names_only)
{
    ck_assert(name_list_has("GetCompanies, CreateCompany", "CreateCompany"));
    ck_assert(!name_list_has("GetCompanies, CreateCompany", "Create"));
    ck_assert(!name_list_has("GetCompanies", "GetCompaniesById"));
    ck_assert(!name_list_has("a,,b", ""));
    ck_assert(!name_list_has(NULL, "a"));
    ck_assert(!name_list_has("a", NULL));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("name_list");
    TCase *tc = tcase_create("name_list");
    tcase_add_test(tc, names_in_order_spaces_skipped);
    tcase_add_test(tc, has_matches_whole_names_only);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK);
}
