/* test_form.c — urlencoded and multipart/form-data bodies, good and bad. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "testutil.h"

START_TEST(unescape)
{
    char *s = form_unescape("a+b%20c%2Fd%5c", 14);
    ck_assert_str_eq(s, "a b c/d\\");
    free(s);
    ck_assert_ptr_null(form_unescape("bad%2", 5));
    ck_assert_ptr_null(form_unescape("bad%zz", 6));
    ck_assert_ptr_null(form_unescape("%", 1));
    s = form_unescape("", 0);
    ck_assert_str_eq(s, "");
    free(s);
}
END_TEST

START_TEST(urlencoded)
{
    char why[256];
    const char *body = "grant_type=password&username=vspc%5Cadministrator&password=Pass+word1&&empty=&flag";
    json_t *o = form_parse_urlencoded(body, strlen(body), why, sizeof why);
    ck_assert_ptr_nonnull(o);
    ck_assert_str_eq(json_string_value(json_object_get(o, "grant_type")), "password");
    ck_assert_str_eq(json_string_value(json_object_get(o, "username")), "vspc\\administrator");
    ck_assert_str_eq(json_string_value(json_object_get(o, "password")), "Pass word1");
    ck_assert_str_eq(json_string_value(json_object_get(o, "empty")), "");
    ck_assert_str_eq(json_string_value(json_object_get(o, "flag")), "");
    json_decref(o);
    o = form_parse_urlencoded("a=1&a=2", 7, why, sizeof why);
    ck_assert_str_eq(json_string_value(json_object_get(o, "a")), "2");
    json_decref(o);
    ck_assert_ptr_null(form_parse_urlencoded("a=%zz", 5, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "malformed"));
    ck_assert_ptr_null(form_parse_urlencoded("=x", 2, why, sizeof why));
    ck_assert_ptr_null(form_parse_urlencoded("a=%ff%fe", 8, why, sizeof why)); /* not UTF-8 */
    ck_assert_ptr_nonnull(strstr(why, "UTF-8"));
}
END_TEST

START_TEST(multipart)
{
    char why[256];
    const char *ct = "multipart/form-data; boundary=XyZ";
    const char body[] = "--XyZ\r\nContent-Disposition: form-data; name=\"licenseKey\"\r\n\r\nABC\r\n"
                        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"v.lic\"\r\n"
                        "Content-Type: application/octet-stream\r\n\r\nbin\0ary\r\n--XyZ--\r\n";
    json_t *o = form_parse_multipart(ct, body, sizeof body - 1, why, sizeof why);
    ck_assert_msg(o != NULL, "%s", why);
    ck_assert_str_eq(json_string_value(json_object_get(o, "licenseKey")), "ABC");
    ck_assert_str_eq(json_string_value(json_object_get(o, "file")), "<binary 7 bytes>");
    json_decref(o);
    /* quoted boundary */
    o = form_parse_multipart("multipart/form-data; boundary=\"XyZ\"", body, sizeof body - 1, why,
                             sizeof why);
    ck_assert_ptr_nonnull(o);
    json_decref(o);
}
END_TEST

START_TEST(multipart_errors)
{
    char why[256];
    const char ok[] = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--B--\r\n";
    ck_assert_ptr_null(form_parse_multipart("multipart/form-data", ok, sizeof ok - 1, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "boundary"));
    ck_assert_ptr_null(form_parse_multipart(NULL, ok, sizeof ok - 1, why, sizeof why));
    ck_assert_ptr_null(form_parse_multipart("multipart/form-data; boundary=Q", ok, sizeof ok - 1, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "does not contain"));
    const char unterminated[] = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1";
    ck_assert_ptr_null(form_parse_multipart("multipart/form-data; boundary=B", unterminated,
                                            sizeof unterminated - 1, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "not terminated"));
    const char noname[] = "--B\r\nContent-Disposition: form-data\r\n\r\n1\r\n--B--";
    ck_assert_ptr_null(form_parse_multipart("multipart/form-data; boundary=B", noname,
                                            sizeof noname - 1, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "no name"));
    const char noheaders[] = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n1\r\n--B--";
    ck_assert_ptr_null(form_parse_multipart("multipart/form-data; boundary=B", noheaders,
                                            sizeof noheaders - 1, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "header end"));
    const char garbage[] = "--Bxx";
    ck_assert_ptr_null(form_parse_multipart("multipart/form-data; boundary=B", garbage,
                                            sizeof garbage - 1, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "malformed"));
    const char binary_field[] = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xff\xfe\r\n--B--";
    ck_assert_ptr_null(form_parse_multipart("multipart/form-data; boundary=B", binary_field,
                                            sizeof binary_field - 1, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "UTF-8"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("form");
    TCase *tc = tcase_create("form");
    tcase_add_test(tc, unescape);
    tcase_add_test(tc, urlencoded);
    tcase_add_test(tc, multipart);
    tcase_add_test(tc, multipart_errors);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK);
}
