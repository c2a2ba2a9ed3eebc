/* test_json_list.c — a name's place in a JSON list of names (server/base/json_list.h). */
#include <check.h>

#include "testutil.h"
#include "base/json_list.h"

START_TEST(first_equal_string_member)
{
    json_t *l = json_pack("[s, i, s, s]", "Company", 7, "Reseller", "Company");
    ck_assert_int_eq(json_list_index(l, "Company"), 0);
    ck_assert_int_eq(json_list_index(l, "Reseller"), 2);
    ck_assert(json_list_has(l, "Reseller"));
    ck_assert_int_eq(json_list_index(l, "company"), -1); /* names are case-sensitive */
    ck_assert(!json_list_has(l, "7"));                   /* a number is not the name "7" */
    json_decref(l);
}
END_TEST

START_TEST(no_list_or_no_name_holds_nothing)
{
    json_t *obj = json_pack("{s:s}", "Company", "Company");
    json_t *l = json_pack("[s]", "Company");
    ck_assert(!json_list_has(NULL, "Company"));
    ck_assert(!json_list_has(obj, "Company"));
    ck_assert(!json_list_has(l, NULL));
    ck_assert_int_eq(json_list_index(l, ""), -1);
    json_decref(obj);
    json_decref(l);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json_list");
    TCase *tc = tcase_create("json_list");
    tcase_add_test(tc, first_equal_string_member);
    tcase_add_test(tc, no_list_or_no_name_holds_nothing);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK);
}
