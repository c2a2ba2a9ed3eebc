/* test_json_pointer.c — members read by a JSON Pointer of plain names
 * (server/base/json_pointer.h). */
#include <check.h>

#include "testutil.h"
#include "base/json_pointer.h"

START_TEST(walks_nested_members)
{
    json_t *doc = json_pack("{s:{s:{s:i}}, s:s, s:{s:i}}", "a", "b", "c", 7, "name", "x", "ab",
                            "c", 8);
    ck_assert_int_eq(json_integer_value(json_pointer_get(doc, "/a/b/c")), 7);
    ck_assert_str_eq(json_string_value(json_pointer_get(doc, "/name")), "x");
    /* a name is whole: "/a" is not the start of "/ab" */
    ck_assert_int_eq(json_integer_value(json_pointer_get(doc, "/ab/c")), 8);
    ck_assert_ptr_eq(json_pointer_get(doc, "/a"), json_object_get(doc, "a"));
    ck_assert_ptr_eq(json_pointer_get(doc, ""), doc); /* RFC 6901: the whole document */
    json_decref(doc);
}
END_TEST

START_TEST(missing_or_malformed_is_null)
{
    json_t *doc = json_pack("{s:{s:i}, s:[i]}", "a", "b", 1, "list", 5);
    ck_assert_ptr_null(json_pointer_get(doc, "/a/x"));
    ck_assert_ptr_null(json_pointer_get(doc, "/a/b/c"));  /* through a number */
    ck_assert_ptr_null(json_pointer_get(doc, "/list/0")); /* array indexes are not read */
    ck_assert_ptr_null(json_pointer_get(doc, "a/b"));     /* no leading '/' */
    ck_assert_ptr_null(json_pointer_get(doc, NULL));
    ck_assert_ptr_null(json_pointer_get(NULL, "/a"));
    ck_assert_ptr_null(json_pointer_get(doc, "/a/"));     /* member "" of a */
    json_decref(doc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json_pointer");
    TCase *tc = tcase_create("json_pointer");
    tcase_add_test(tc, walks_nested_members);
    tcase_add_test(tc, missing_or_malformed_is_null);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK);
}
