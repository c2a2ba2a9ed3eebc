/* test_errors.c — the error vocabulary (server/answer/errors.h): each named
 * row answers with its code, status and type, in VSPC's envelope. */
#include <check.h>
#include <jansson.h>
#include <string.h>

#include "answer/errors.h"
#include "testutil.h"

/* The first error of r's body, parsed (caller decrefs the returned body). */
static json_t *first_error(response *r, json_t **body)
{
    response_serialise(r); /* what goes on the wire */
    *body = json_loadb(r->body, r->len, 0, NULL);
    ck_assert_ptr_nonnull(*body);
    ck_assert_uint_eq(json_object_size(*body), 1);
    json_t *errors = json_object_get(*body, "errors");
    ck_assert_uint_eq(json_array_size(errors), 1);
    return json_array_get(errors, 0);
}

START_TEST(rows_have_vspc_codes_and_statuses)
{
    /* code, HTTP status, type: as the REST overview's tables give them */
    static const struct {
        vspc_error e;
        int code, status;
        const char *type;
    } want[] = {
        {E_BAD_PARAMETER, 400, 400, "logical"},   {E_UNAUTHORIZED, 401, 401, "security"},
        {E_READ_ONLY, 403, 403, "security"},      {E_NOT_FOUND, 404, 404, "logical"},
        {E_CONFLICT, 409, 409, "logical"},        {E_MEDIA_TYPE, 415, 415, "logical"},
        {E_THROTTLED, 429, 429, "transport"},     {E_INTERNAL, 500, 520, "unspecified"},
        {E_PATCH_FAILED, 1001, 400, "logical"},   {E_USER_NOT_FOUND, 1100, 404, "logical"},
        {E_KEY_TAKEN, 1202, 409, "logical"},      {E_TOTP_INVALID, 1207, 400, "logical"},
        {E_NO_PRIVATE_KEY, 1210, 400, "logical"}, {E_BAD_GATEWAY, 502, 502, "transport"},
        {E_NOT_ACCEPTABLE, 406, 406, "logical"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        response r;
        response_init(&r);
        error_answer(&r, want[i].e, NULL, error_message(want[i].e)[0] ? NULL : "a sentence");
        json_t *body;
        json_t *err = first_error(&r, &body);
        ck_assert_int_eq(json_integer_value(json_object_get(err, "code")), want[i].code);
        ck_assert_int_eq(error_code(want[i].e), want[i].code);
        ck_assert_int_eq(r.status, want[i].status);
        ck_assert_str_eq(json_string_value(json_object_get(err, "type")), want[i].type);
        json_decref(body);
        response_clear(&r);
    }
}
END_TEST

START_TEST(fixed_messages_have_one_wording)
{
    for (int e = 0; e < E_COUNT; e++) {
        const char *fixed = error_message((vspc_error)e);
        if (!fixed[0])
            continue;
        response r;
        response_init(&r);
        error_answer(&r, (vspc_error)e, NULL, NULL);
        json_t *body;
        json_t *err = first_error(&r, &body);
        ck_assert_str_eq(json_string_value(json_object_get(err, "message")), fixed);
        json_decref(body);
        response_clear(&r);
    }
    response r;
    response_init(&r);
    error_oauth_row(&r, "invalid_grant", E_TOTP_INVALID);
    response_serialise(&r);
    json_t *body = json_loadb(r.body, r.len, 0, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(body, "error_description")),
                     "Specified TOTP code is invalid. (1207)");
    json_decref(body);
    response_clear(&r);
}
END_TEST

START_TEST(names_follow_the_row)
{
    response r;
    response_init(&r);
    error_answer(&r, E_USER_NOT_FOUND, "userUid", NULL);
    json_t *body;
    json_t *err = first_error(&r, &body);
    ck_assert_str_eq(json_string_value(json_object_get(err, "parameterName")), "userUid");
    json_decref(body);
    error_answer(&r, E_PATCH_FAILED, "name", "The path is missing.");
    err = first_error(&r, &body);
    ck_assert_str_eq(json_string_value(json_object_get(err, "propertyName")), "name");
    ck_assert_ptr_null(json_object_get(err, "parameterName"));
    json_decref(body);
    error_answer(&r, E_CONFLICT, NULL, "Taken.");
    err = first_error(&r, &body);
    ck_assert_ptr_null(json_object_get(err, "propertyName"));
    json_decref(body);
    /* quoted bytes that are not UTF-8 keep the envelope */
    error_answer(&r, E_BAD_PARAMETER, "li\xffmit", "The value '\xc3' is bad.");
    err = first_error(&r, &body);
    ck_assert_str_eq(json_string_value(json_object_get(err, "parameterName")), "li?mit");
    json_decref(body);
    error_throttled(&r, 7, "Slow down.");
    err = first_error(&r, &body);
    ck_assert_int_eq(json_integer_value(json_object_get(err, "retryAfter")), 7);
    ck_assert_int_eq(r.retry_after, 7);
    json_decref(body);
    response_clear(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("errors");
    TCase *tc = tcase_create("errors");
    tcase_add_test(tc, rows_have_vspc_codes_and_statuses);
    tcase_add_test(tc, fixed_messages_have_one_wording);
    tcase_add_test(tc, names_follow_the_row);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK);
}
