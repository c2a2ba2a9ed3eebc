/* test_redact.c — what the request journal may keep (server/journal/redact.h):
 * secret names by schema/journal.json, form and JSON bodies, JSON Patch
 * values, the Authorization header, bodies not kept. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/json_file.h"
#include "journal/redact.h"
#include "testutil.h"

static redact_rules *rules;

static void setup(void)
{
    char err[256];
    json_t *doc = json_file_load_in(test_schema_dir(), "journal.json", 0, err, sizeof err);
    ck_assert_msg(doc, "%s", err);
    rules = redact_rules_new(doc, err, sizeof err);
    ck_assert_msg(rules, "%s", err);
    json_decref(doc);
}

static void teardown(void) { redact_rules_free(rules); }

static bool secret(const char *name) { return redact_is_secret(rules, name, strlen(name)); }

START_TEST(secret_names)
{
    const char *yes[] = {"password", "Password", "refresh_token", "mfa_token", "code", "mfa_code",
                         "apiKey", "api-key", "privateKey", "clientSecret", "access_token",
                         "newPassword", "encrypted_code"};
    const char *no[] = {"userName", "grant_type", "name", "description", "companyUid", "codes",
                        "status", "readOnly"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        ck_assert_msg(secret(yes[i]), "%s is not taken for a secret", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        ck_assert_msg(!secret(no[i]), "%s is taken for a secret", no[i]);
}
END_TEST

static char *body(const char *content_type, const char *text, const char **note)
{
    return redact_body(rules, content_type, text, strlen(text), note);
}

START_TEST(form_bodies)
{
    const char *note;
    char *kept = body("application/x-www-form-urlencoded",
                      "grant_type=password&username=bob&password=Pa%23ss&x=", &note);
    ck_assert_str_eq(kept, "grant_type=password&username=bob&password=[redacted]&x=");
    ck_assert_str_eq(note, "");
    free(kept);
    /* an encoded name is a name all the same */
    kept = body("application/x-www-form-urlencoded; charset=utf-8", "refresh%5Ftoken=abc&mfa_code=123456",
                &note);
    ck_assert_str_eq(kept, "refresh%5Ftoken=[redacted]&mfa_code=[redacted]");
    free(kept);
}
END_TEST

START_TEST(json_bodies)
{
    const char *note;
    char *kept = body("application/json",
                      "{\"userName\":\"bob\",\"credentials\":{\"password\":\"x1\",\"apiKey\":{\"v\":1}},"
                      "\"list\":[{\"secret\":\"s\"}]}",
                      &note);
    ck_assert_str_eq(kept, "{\"userName\":\"bob\",\"credentials\":{\"password\":\"[redacted]\","
                           "\"apiKey\":\"[redacted]\"},\"list\":[{\"secret\":\"[redacted]\"}]}");
    free(kept);
    kept = body("application/json-patch+json",
                "[{\"op\":\"replace\",\"path\":\"/credentials/password\",\"value\":\"Hidden\"},"
                "{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Shown\"}]",
                &note);
    ck_assert_ptr_null(strstr(kept, "Hidden"));
    ck_assert_ptr_nonnull(strstr(kept, "Shown"));
    free(kept);
    /* what cannot be read is not kept: it could hold a secret */
    ck_assert_ptr_null(body("application/json", "{\"password\":\"x", &note));
    ck_assert_str_ne(note, "");
    ck_assert_ptr_null(body("multipart/form-data; boundary=x", "--x\r\n", &note));
    ck_assert_str_ne(note, "");
    ck_assert_ptr_null(redact_body(rules, "application/json", "", 0, &note));
    ck_assert_str_eq(note, "");
}
END_TEST

START_TEST(authorization_keeps_the_scheme)
{
    char out[64];
    redact_authorization("Bearer eyJhbGciOiJSUzI1NiJ9.x.y", out, sizeof out);
    ck_assert_str_eq(out, "Bearer [redacted]");
    redact_authorization("Basic YWxhZGRpbjpvcGVuc2VzYW1l", out, sizeof out);
    ck_assert_str_eq(out, "Basic [redacted]");
    redact_authorization("", out, sizeof out);
    ck_assert_str_eq(out, "[redacted]");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("redact");
    TCase *tc = tcase_create("redact");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, secret_names);
    tcase_add_test(tc, form_bodies);
    tcase_add_test(tc, json_bodies);
    tcase_add_test(tc, authorization_keeps_the_scheme);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK);
}
