/* test_uri.c — the request-target parser (server/http/uri.h): decoding, limits
 * and NUL refusal, value by value. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "http/uri.h"

static uri_status parse(const char *target, uri_parts *out, char *name)
{
    char why[160];
    return uri_parse(target, strlen(target), out, why, sizeof why, name, 96);
}

START_TEST(path_and_pairs_are_decoded)
{
    uri_parts u;
    char name[96];
    ck_assert_int_eq(parse("/api/v3/a%20b?x=1+2&y=%7B%22k%22%7D&flag&&z=", &u, name), URI_OK);
    ck_assert_str_eq(u.path, "/api/v3/a b");
    ck_assert_uint_eq(u.nquery, 4);
    ck_assert_str_eq(u.query[0].key, "x");
    ck_assert_str_eq(u.query[0].value, "1 2");
    ck_assert_str_eq(u.query[1].value, "{\"k\"}");
    ck_assert_str_eq(u.query[2].key, "flag");
    ck_assert_str_eq(u.query[2].value, "");
    ck_assert_str_eq(u.query[3].key, "z");
    ck_assert_str_eq(u.query[3].value, "");
    uri_parts_clear(&u);
}
END_TEST

START_TEST(plus_is_a_space_only_in_the_query)
{
    uri_parts u;
    char name[96];
    ck_assert_int_eq(parse("/a+b?c+d=e+f", &u, name), URI_OK);
    ck_assert_str_eq(u.path, "/a+b");
    ck_assert_str_eq(u.query[0].key, "c d");
    ck_assert_str_eq(u.query[0].value, "e f");
    uri_parts_clear(&u);
}
END_TEST

START_TEST(invalid_escapes_stay_as_they_are)
{
    uri_parts u;
    char name[96];
    ck_assert_int_eq(parse("/a%zz%4?q=%&r=%4g%", &u, name), URI_OK);
    ck_assert_str_eq(u.path, "/a%zz%4");
    ck_assert_str_eq(u.query[0].value, "%");
    ck_assert_str_eq(u.query[1].value, "%4g%");
    uri_parts_clear(&u);
}
END_TEST

START_TEST(nul_anywhere_is_refused_naming_it)
{
    uri_parts u;
    char name[96];
    ck_assert_int_eq(parse("/api/v3/x%00", &u, name), URI_BAD);
    ck_assert_str_eq(name, "path");
    uri_parts_clear(&u);
    ck_assert_int_eq(parse("/x?limit=1%00", &u, name), URI_BAD);
    ck_assert_str_eq(name, "limit");
    uri_parts_clear(&u);
    ck_assert_int_eq(parse("/x?ok=1&us%00er=1", &u, name), URI_BAD);
    ck_assert_str_eq(name, "us\\0er");
    uri_parts_clear(&u);
    /* found by fuzz_uri: a pair without a name still names something */
    ck_assert_int_eq(parse("/x?=%00", &u, name), URI_BAD);
    ck_assert_str_eq(name, "query");
    uri_parts_clear(&u);
}
END_TEST

START_TEST(limits)
{
    uri_parts u;
    char name[96];
    size_t n = URI_MAX_TARGET + 1;
    char *t = malloc(n + 1);
    memset(t, 'a', n);
    t[0] = '/';
    t[n] = 0;
    ck_assert_int_eq(parse(t, &u, name), URI_TOO_LONG);
    uri_parts_clear(&u);
    t[URI_MAX_PATH + 1] = 0; /* a path one byte over */
    ck_assert_int_eq(parse(t, &u, name), URI_TOO_LONG);
    uri_parts_clear(&u);
    t[URI_MAX_PATH] = 0; /* exactly at the limit */
    ck_assert_int_eq(parse(t, &u, name), URI_OK);
    uri_parts_clear(&u);
    /* URI_MAX_PARAMS pairs pass, one more does not */
    size_t at = 0;
    t[at++] = '/';
    t[at++] = '?';
    for (int i = 0; i < URI_MAX_PARAMS; i++) {
        t[at++] = 'a';
        t[at++] = '&';
    }
    t[at] = 0;
    ck_assert_int_eq(parse(t, &u, name), URI_OK);
    ck_assert_uint_eq(u.nquery, URI_MAX_PARAMS);
    uri_parts_clear(&u);
    t[at++] = 'b';
    t[at] = 0;
    ck_assert_int_eq(parse(t, &u, name), URI_TOO_MANY);
    uri_parts_clear(&u);
    free(t);
}
END_TEST

START_TEST(lengths_not_strings)
{
    /* the parser reads exactly len bytes: what follows is not part of it */
    uri_parts u;
    char why[160], name[96];
    const char buf[] = "/a?x=1&y=2";
    ck_assert_int_eq(uri_parse(buf, 6, &u, why, sizeof why, name, sizeof name), URI_OK);
    ck_assert_str_eq(u.path, "/a");
    ck_assert_uint_eq(u.nquery, 1);
    ck_assert_str_eq(u.query[0].key, "x");
    ck_assert_str_eq(u.query[0].value, "1");
    uri_parts_clear(&u);
    /* a raw NUL byte inside the given length is refused too */
    const char raw[] = {'/', 'a', '?', 'k', '=', 'v', 0, 'w'};
    ck_assert_int_eq(uri_parse(raw, sizeof raw, &u, why, sizeof why, name, sizeof name), URI_BAD);
    ck_assert_str_eq(name, "k");
    uri_parts_clear(&u);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("uri");
    TCase *tc = tcase_create("uri");
    tcase_add_test(tc, path_and_pairs_are_decoded);
    tcase_add_test(tc, plus_is_a_space_only_in_the_query);
    tcase_add_test(tc, invalid_escapes_stay_as_they_are);
    tcase_add_test(tc, nul_anywhere_is_refused_naming_it);
    tcase_add_test(tc, limits);
    tcase_add_test(tc, lengths_not_strings);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK);
}
