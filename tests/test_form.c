/* test_form.c — urlencoded and multipart/form-data bodies, good and bad,
 * NUL bytes included. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "request/form.h"
#include "testutil.h"

/* The parsers with the why and field buffers every test declares. */
#define URLENCODED(body, len) form_parse_urlencoded(body, len, field, sizeof field, why, sizeof why)
#define MULTIPART(ct, body, len) \
    form_parse_multipart(ct, body, len, field, sizeof field, why, sizeof why)

START_TEST(unescape)
{
    char *s = form_unescape("a+b%20c%2Fd%5c", 14);
    ck_assert_str_eq(s, "a b c/d\\");
    free(s);
    ck_assert_ptr_null(form_unescape("bad%2", 5));
    ck_assert_ptr_null(form_unescape("bad%zz", 6));
    ck_assert_ptr_null(form_unescape("%", 1));
    ck_assert_ptr_null(form_unescape("a%00b", 5)); /* a C string would end at the NUL */
    s = form_unescape("", 0);
    ck_assert_str_eq(s, "");
    free(s);
}
END_TEST

START_TEST(urlencoded)
{
    char why[256], field[128];
    const char *body = "grant_type=password&username=vspc%5Cadministrator&password=Pass+word1&&empty=&flag";
    json_t *o = URLENCODED(body, strlen(body));
    ck_assert_ptr_nonnull(o);
    ck_assert_str_eq(json_string_value(json_object_get(o, "grant_type")), "password");
    ck_assert_str_eq(json_string_value(json_object_get(o, "username")), "vspc\\administrator");
    ck_assert_str_eq(json_string_value(json_object_get(o, "password")), "Pass word1");
    ck_assert_str_eq(json_string_value(json_object_get(o, "empty")), "");
    ck_assert_str_eq(json_string_value(json_object_get(o, "flag")), "");
    json_decref(o);
    o = URLENCODED("a=1&a=2", 7);
    ck_assert_str_eq(json_string_value(json_object_get(o, "a")), "2");
    json_decref(o);
    ck_assert_ptr_null(URLENCODED("a=%zz", 5));
    ck_assert_ptr_nonnull(strstr(why, "malformed"));
    ck_assert_ptr_null(URLENCODED("=x", 2));
    ck_assert_ptr_null(URLENCODED("a=%ff%fe", 8)); /* not UTF-8 */
    ck_assert_ptr_nonnull(strstr(why, "UTF-8"));
}
END_TEST

START_TEST(multipart)
{
    char why[256], field[128];
    const char *ct = "multipart/form-data; boundary=XyZ";
    const char body[] = "--XyZ\r\nContent-Disposition: form-data; name=\"licenseKey\"\r\n\r\nABC\r\n"
                        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"v.lic\"\r\n"
                        "Content-Type: application/octet-stream\r\n\r\nbin\0ary\r\n--XyZ--\r\n";
    json_t *o = MULTIPART(ct, body, sizeof body - 1);
    ck_assert_msg(o != NULL, "%s", why);
    ck_assert_str_eq(json_string_value(json_object_get(o, "licenseKey")), "ABC");
    ck_assert_str_eq(json_string_value(json_object_get(o, "file")), "<binary 7 bytes>");
    json_decref(o);
    /* quoted boundary */
    o = MULTIPART("multipart/form-data; boundary=\"XyZ\"", body, sizeof body - 1);
    ck_assert_ptr_nonnull(o);
    json_decref(o);
}
END_TEST

START_TEST(multipart_errors)
{
    char why[256], field[128];
    const char ok[] = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--B--\r\n";
    ck_assert_ptr_null(MULTIPART("multipart/form-data", ok, sizeof ok - 1));
    ck_assert_ptr_nonnull(strstr(why, "boundary"));
    ck_assert_ptr_null(MULTIPART(NULL, ok, sizeof ok - 1));
    ck_assert_ptr_null(MULTIPART("multipart/form-data; boundary=Q", ok, sizeof ok - 1));
    ck_assert_ptr_nonnull(strstr(why, "does not contain"));
    const char unterminated[] = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1";
    ck_assert_ptr_null(MULTIPART("multipart/form-data; boundary=B", unterminated, sizeof unterminated - 1));
    ck_assert_ptr_nonnull(strstr(why, "not terminated"));
    const char noname[] = "--B\r\nContent-Disposition: form-data\r\n\r\n1\r\n--B--";
    ck_assert_ptr_null(MULTIPART("multipart/form-data; boundary=B", noname, sizeof noname - 1));
    ck_assert_ptr_nonnull(strstr(why, "no name"));
    const char noheaders[] = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n1\r\n--B--";
    ck_assert_ptr_null(MULTIPART("multipart/form-data; boundary=B", noheaders, sizeof noheaders - 1));
    ck_assert_ptr_nonnull(strstr(why, "header end"));
    const char garbage[] = "--Bxx";
    ck_assert_ptr_null(MULTIPART("multipart/form-data; boundary=B", garbage, sizeof garbage - 1));
    ck_assert_ptr_nonnull(strstr(why, "malformed"));
    const char binary_field[] = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xff\xfe\r\n--B--";
    ck_assert_ptr_null(MULTIPART("multipart/form-data; boundary=B", binary_field, sizeof binary_field - 1));
    ck_assert_ptr_nonnull(strstr(why, "UTF-8"));
}
END_TEST

/* A NUL byte would cut a C string: "password=Password1%00anything" must
 * not read as "Password1". The field at fault is named for the 400. */
START_TEST(urlencoded_nul_bytes)
{
    char why[256], field[128];
    const char *body = "grant_type=password&password=Password1%00anything";
    ck_assert_ptr_null(URLENCODED(body, strlen(body)));
    ck_assert_str_eq(field, "password");
    ck_assert_str_eq(why, "The form field 'password' contains a NUL byte.");
    const char raw[] = "user=a&password=Password1\0anything";
    ck_assert_ptr_null(URLENCODED(raw, sizeof raw - 1));
    ck_assert_str_eq(field, "password");
    ck_assert_ptr_nonnull(strstr(why, "NUL byte"));
    ck_assert_ptr_null(URLENCODED("pass%00word=x", 13));
    ck_assert_str_eq(field, "pass%00word"); /* as sent */
    ck_assert_str_eq(why, "A form field name contains a NUL byte.");
    /* the other failures name their field too, when it has a usable name */
    ck_assert_ptr_null(URLENCODED("ok=1&code=%zz", 13));
    ck_assert_str_eq(field, "code");
    ck_assert_ptr_null(URLENCODED("a=%ff%fe", 8));
    ck_assert_str_eq(field, "a");
    ck_assert_ptr_null(URLENCODED("%ff=1", 5)); /* a name that is not text: as sent */
    ck_assert_str_eq(field, "%ff");
    ck_assert_ptr_null(URLENCODED("\xff=1", 3)); /* not text even as sent */
    ck_assert_str_eq(field, "");
    ck_assert_str_eq(why, "A form field name is not valid UTF-8 text.");
    json_t *o = URLENCODED("a=1", 3);
    ck_assert_ptr_nonnull(o);
    ck_assert_str_eq(field, "");
    json_decref(o);
    /* a long name quoted in the message is cut on a character boundary */
    char long_name[1000] = "";
    for (int i = 0; i < 150; i++)
        strcat(long_name, "%C3%A9"); /* e-acute */
    strcat(long_name, "=x%00");
    ck_assert_ptr_null(URLENCODED(long_name, strlen(long_name)));
    json_t *text = json_string(why);
    ck_assert_msg(text != NULL, "the message is not UTF-8");
    json_decref(text);
    text = json_string(field);
    ck_assert_msg(text != NULL && strlen(field) == 126, "the field is cut on a character");
    json_decref(text);
}
END_TEST

START_TEST(multipart_nul_bytes)
{
    char why[256], field[128];
    const char *ct = "multipart/form-data; boundary=B";
    const char value[] = "--B\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\n"
                         "Password1\0anything\r\n--B--";
    ck_assert_ptr_null(MULTIPART(ct, value, sizeof value - 1));
    ck_assert_str_eq(field, "password");
    ck_assert_str_eq(why, "The form field 'password' contains a NUL byte.");
    const char name[] = "--B\r\nContent-Disposition: form-data; name=\"pass\0word\"\r\n\r\n"
                        "x\r\n--B--";
    ck_assert_ptr_null(MULTIPART(ct, name, sizeof name - 1));
    ck_assert_str_eq(field, "pass");
    ck_assert_str_eq(why, "A multipart part name contains a NUL byte.");
    const char latin1[] = "--B\r\nContent-Disposition: form-data; name=\"caf\xe9\"\r\n\r\n"
                          "x\r\n--B--";
    ck_assert_ptr_null(MULTIPART(ct, latin1, sizeof latin1 - 1));
    ck_assert_str_eq(field, "");
    ck_assert_str_eq(why, "A multipart part name is not valid UTF-8 text.");
    ck_assert_ptr_null(MULTIPART("multipart/form-data", value, sizeof value - 1));
    ck_assert_str_eq(field, ""); /* no single field's fault */
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
    tcase_add_test(tc, urlencoded_nul_bytes);
    tcase_add_test(tc, multipart_nul_bytes);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK);
}
