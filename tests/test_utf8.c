/* test_utf8.c — client text made safe for JSON answers (server/utf8.h). */
#include <check.h>
#include <string.h>

#include "testutil.h"
#include "base/utf8.h"

START_TEST(valid_text_is_left_alone)
{
    char s[] = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 plain";
    char copy[sizeof s];
    memcpy(copy, s, sizeof s);
    ck_assert(utf8_valid(s));
    utf8_repair(s);
    utf8_trim_partial(s);
    ck_assert_str_eq(s, copy);
}
END_TEST

START_TEST(invalid_bytes_become_question_marks)
{
    char lone[] = "a\xff" "b\x80" "c";
    utf8_repair(lone);
    ck_assert_str_eq(lone, "a?b?c");
    char overlong[] = "x\xc0\xaf" "y"; /* '/' spelled in two bytes */
    utf8_repair(overlong);
    ck_assert_str_eq(overlong, "x??y");
    char surrogate[] = "\xed\xa0\x80"; /* U+D800 */
    utf8_repair(surrogate);
    ck_assert_str_eq(surrogate, "???");
    char too_big[] = "\xf4\x90\x80\x80"; /* above U+10FFFF */
    utf8_repair(too_big);
    ck_assert_str_eq(too_big, "????");
    char cut[] = "ok\xe2\x82"; /* a sequence cut by the end of the text */
    utf8_repair(cut);
    ck_assert_str_eq(cut, "ok??");
    ck_assert(utf8_valid(lone) && utf8_valid(overlong) && utf8_valid(cut));
}
END_TEST

START_TEST(trim_drops_a_split_character_only)
{
    char split[] = "name \xe2\x82";
    utf8_trim_partial(split);
    ck_assert_str_eq(split, "name ");
    char whole[] = "name \xe2\x82\xac";
    utf8_trim_partial(whole);
    ck_assert_str_eq(whole, "name \xe2\x82\xac");
}
END_TEST

START_TEST(json_reason_without_the_quoted_input)
{
    json_error_t e;
    ck_assert_ptr_null(json_loads("[1, \xc3", 0, &e));
    ck_assert_ptr_null(strstr(utf8_json_reason(&e), "near"));
    ck_assert(utf8_valid(e.text));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("utf8");
    TCase *tc = tcase_create("utf8");
    tcase_add_test(tc, valid_text_is_left_alone);
    tcase_add_test(tc, invalid_bytes_become_question_marks);
    tcase_add_test(tc, trim_drops_a_split_character_only);
    tcase_add_test(tc, json_reason_without_the_quoted_input);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK);
}
