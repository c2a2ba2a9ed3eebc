/* test_http_errors.c — what a client sees when it gets something wrong,
 * over real HTTP: VSPC's error envelope with the right status, type, code
 * and the name of the parameter or property; plus the token endpoint, the
 * HTTPS listener with its self-signed certificate, and keep-alive. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpclient.h"
#include "testutil.h"

static test_server server;

static void setup(void)
{
    const char *args[] = {"--max-body", "4096", NULL};
    server_start(&server, args);
}
static void teardown(void) { server_stop(&server); }

/* Sends a request and returns the parsed body; asserts the status. */
static json_t *call(const char *method, const char *path, const char *content_type,
                    const char *body, long expect_status, http_result *keep)
{
    char url[4096], ct[256];
    snprintf(url, sizeof url, "%s%s", server.base, path);
    snprintf(ct, sizeof ct, "Content-Type: %s", content_type ? content_type : "");
    const char *headers[] = {content_type ? ct : NULL, NULL};
    http_result r;
    ck_assert(http_call(method, url, headers, body, body ? strlen(body) : 0, NULL, &r));
    ck_assert_msg(r.status == expect_status, "%s %s: expected %ld, got %ld: %s", method, path,
                  expect_status, r.status, r.body);
    json_t *j = json_loadb(r.body, r.len, JSON_DECODE_ANY, NULL);
    if (keep)
        *keep = r;
    else
        http_result_free(&r);
    return j;
}

/* Asserts that body is one VSPC error with this code, type and subject. */
static void assert_error(json_t *body, int code, const char *type, const char *name_key,
                         const char *name, const char *message_part)
{
    ck_assert_ptr_nonnull(body);
    ck_assert_uint_eq(json_object_size(body), 1);
    json_t *errors = json_object_get(body, "errors");
    ck_assert_uint_eq(json_array_size(errors), 1);
    json_t *e = json_array_get(errors, 0);
    ck_assert_int_eq(json_integer_value(json_object_get(e, "code")), code);
    ck_assert_str_eq(json_string_value(json_object_get(e, "type")), type);
    const char *message = json_string_value(json_object_get(e, "message"));
    ck_assert_ptr_nonnull(message);
    if (message_part)
        ck_assert_msg(strstr(message, message_part), "message '%s' lacks '%s'", message, message_part);
    if (name_key)
        ck_assert_str_eq(json_string_value(json_object_get(e, name_key)), name);
    else
        ck_assert(!json_object_get(e, "parameterName") && !json_object_get(e, "propertyName"));
    json_decref(body);
}

START_TEST(unknown_path_is_404)
{
    assert_error(call("GET", "/api/v3/nothing/here", NULL, NULL, 404, NULL), 404, "logical", NULL,
                 NULL, "/api/v3/nothing/here");
    assert_error(call("GET", "/elsewhere", NULL, NULL, 404, NULL), 404, "logical", NULL, NULL,
                 "/elsewhere");
    assert_error(call("GET", "/api/v3", NULL, NULL, 404, NULL), 404, "logical", NULL, NULL, NULL);
    assert_error(call("GET", "/api/v33/about", NULL, NULL, 404, NULL), 404, "logical", NULL, NULL, NULL);
}
END_TEST

START_TEST(other_method_is_405_with_allow)
{
    http_result r;
    assert_error(call("DELETE", "/api/v3/about", NULL, NULL, 405, &r), 405, "logical", NULL, NULL,
                 "DELETE");
    ck_assert_str_eq(r.allow, "GET");
    http_result_free(&r);
    assert_error(call("PUT", "/api/v3/organizations/companies", NULL, NULL, 405, &r), 405,
                 "logical", NULL, NULL, NULL);
    ck_assert_str_eq(r.allow, "GET, POST");
    http_result_free(&r);
    assert_error(call("BREW", "/api/v3/about", NULL, NULL, 405, NULL), 405, "logical", NULL, NULL,
                 NULL);
}
END_TEST

START_TEST(bad_parameters_are_400_naming_them)
{
    assert_error(call("GET", "/api/v3/organizations/companies/not-a-uid", NULL, NULL, 400, NULL),
                 400, "logical", "parameterName", "companyUid", "not-a-uid");
    assert_error(call("GET", "/api/v3/organizations/companies?limit=abc", NULL, NULL, 400, NULL),
                 400, "logical", "parameterName", "limit", "abc");
    assert_error(call("GET", "/api/v3/organizations/companies?offset=-1", NULL, NULL, 400, NULL),
                 400, "logical", "parameterName", "offset",
                 "Property value must be larger or equal to 0.");
    assert_error(call("GET", "/api/v3/organizations/companies?limit=501", NULL, NULL, 400, NULL),
                 400, "logical", "parameterName", "limit", "500");
    assert_error(call("GET", "/api/v3/organizations/companies?expand=Nope", NULL, NULL, 400, NULL),
                 400, "logical", "parameterName", "expand", "Organization");
    /* enum values bind ignoring case, as in ASP.NET */
    json_decref(call("GET", "/api/v3/organizations/companies?expand=organization", NULL, NULL,
                     200, NULL));
}
END_TEST

START_TEST(missing_required_query_parameter)
{
    /* GET /authentication/keys/rsa-pkcs12 requires ?subject= */
    assert_error(call("GET", "/api/v3/authentication/keys/rsa-pkcs12", NULL, NULL, 400, NULL), 400,
                 "logical", "parameterName", "subject", "required");
    json_decref(call("GET", "/api/v3/authentication/keys/rsa-pkcs12?subject=CN%3Dalpha", NULL, NULL,
                     200, NULL));
    /* a boolean query parameter takes true/false only */
    assert_error(call("POST",
                      "/api/v3/alarms/active/5d7e2c1a-0000-4000-8000-00000000000a/resolve"
                      "?comment=done&resolveOnClients=maybe",
                      NULL, NULL, 400, NULL),
                 400, "logical", "parameterName", "resolveOnClients", "maybe");
}
END_TEST

START_TEST(bad_x_client_version_is_400)
{
    char url[256];
    snprintf(url, sizeof url, "%s/api/v3/about", server.base);
    const char *headers[] = {"X-Client-Version: 3.4", NULL};
    http_result r;
    ck_assert(http_call("GET", url, headers, NULL, 0, NULL, &r));
    ck_assert_int_eq(r.status, 400);
    assert_error(json_loads(r.body, 0, NULL), 400, "logical", "parameterName", "X-Client-Version",
                 "3.6.1");
    http_result_free(&r);
    const char *v35[] = {"X-Client-Version: 3.5", NULL};
    ck_assert(http_call("GET", url, v35, NULL, 0, NULL, &r));
    ck_assert_int_eq(r.status, 200);
    http_result_free(&r);
}
END_TEST

START_TEST(bad_bodies)
{
    /* wrong content type */
    assert_error(call("POST", "/api/v3/organizations/companies", "text/plain", "{}", 415, NULL),
                 415, "logical", NULL, NULL, "application/json");
    assert_error(call("POST", "/api/v3/organizations/companies", NULL, NULL, 415, NULL), 415,
                 "logical", NULL, NULL, NULL);
    /* empty */
    assert_error(call("POST", "/api/v3/organizations/companies", "application/json", NULL, 400,
                      NULL),
                 400, "logical", NULL, NULL, "body is required");
    /* malformed JSON */
    assert_error(call("POST", "/api/v3/organizations/companies", "application/json", "{\"name\":",
                      400, NULL),
                 400, "logical", NULL, NULL, "not valid JSON");
    /* schema violations name the property */
    assert_error(call("POST", "/api/v3/organizations/companies", "application/json; charset=utf-8",
                      "{\"organizationInput\": 5}", 400, NULL),
                 400, "logical", "propertyName", "organizationInput", NULL);
    assert_error(call("PATCH", "/api/v3/organizations/companies/5d7e2c1a-0000-4000-8000-00000000000a",
                      "application/json", "[{\"op\":\"jump\",\"path\":\"/name\",\"value\":\"x\"}]",
                      400, NULL),
                 400, "logical", "propertyName", "[0].op", "replace");
    assert_error(call("POST", "/api/v3/organizations/companies", "application/json", "[1,2]", 400,
                      NULL),
                 400, "logical", NULL, NULL, "object");
    /* too large: the server was started with --max-body 4096 */
    char *big = malloc(10000);
    memset(big, ' ', 9999);
    big[0] = '{';
    big[9998] = '}';
    big[9999] = 0;
    assert_error(call("POST", "/api/v3/organizations/companies", "application/json", big, 413, NULL),
                 413, "logical", NULL, NULL, "4096");
    free(big);
    /* the server is still fine */
    json_decref(call("GET", "/api/v3/about", NULL, NULL, 200, NULL));
}
END_TEST

START_TEST(token_password_grant)
{
    json_t *ok = call("POST", "/api/v3/token", "application/x-www-form-urlencoded",
                      "grant_type=password&username=vspc%5Cadministrator&password=Password1", 200,
                      NULL);
    ck_assert_ptr_nonnull(ok);
    ck_assert_str_eq(json_string_value(json_object_get(ok, "token_type")), "bearer");
    ck_assert_int_eq(json_integer_value(json_object_get(ok, "expires_in")), 3600);
    ck_assert(strlen(json_string_value(json_object_get(ok, "access_token"))) >= 32);
    ck_assert(json_is_null(json_object_get(ok, "mfa_token")));
    json_decref(ok);
    json_t *bad = call("POST", "/api/v3/token", "application/x-www-form-urlencoded",
                       "grant_type=password&username=administrator&password=nope", 400, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(bad, "error")), "invalid_grant");
    json_decref(bad);
    bad = call("POST", "/api/v3/token", "application/x-www-form-urlencoded", "username=x", 400, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(bad, "error")), "invalid_request");
    ck_assert(strstr(json_string_value(json_object_get(bad, "error_description")), "grant_type"));
    json_decref(bad);
    bad = call("POST", "/api/v3/token", "application/x-www-form-urlencoded", "grant_type=magic",
               400, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(bad, "error")), "unsupported_grant_type");
    json_decref(bad);
}
END_TEST

START_TEST(envelope_and_paging)
{
    json_t *j = call("GET", "/api/v3/organizations/companies?limit=2&offset=1", NULL, NULL, 200, NULL);
    json_t *paging = json_object_get(json_object_get(j, "meta"), "pagingInfo");
    ck_assert_ptr_nonnull(paging);
    ck_assert_int_eq(json_integer_value(json_object_get(paging, "offset")), 1);
    ck_assert_int_le(json_integer_value(json_object_get(paging, "count")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(paging, "count")),
                     (json_int_t)json_array_size(json_object_get(j, "data")));
    json_decref(j);
    /* an item is the same record as in the list; an unknown one is a 404
     * naming it */
    j = call("GET", "/api/v3/organizations/companies?limit=1", NULL, NULL, 200, NULL);
    json_t *first = json_array_get(json_object_get(j, "data"), 0);
    const char *uid = json_string_value(json_object_get(first, "instanceUid"));
    ck_assert_ptr_nonnull(uid);
    char path[256];
    snprintf(path, sizeof path, "/api/v3/organizations/companies/%s", uid);
    json_t *item = call("GET", path, NULL, NULL, 200, NULL);
    ck_assert(json_equal(json_object_get(item, "data"), first));
    json_decref(item);
    json_decref(j);
    assert_error(call("GET", "/api/v3/organizations/companies/5d7e2c1a-0000-4000-8000-00000000000a",
                      NULL, NULL, 404, NULL),
                 404, "logical", NULL, NULL, "5d7e2c1a-0000-4000-8000-00000000000a");
    /* the five paths that end in '/' */
    json_decref(call("GET", "/api/v3/plugins/", NULL, NULL, 200, NULL));
    json_decref(call("GET", "/api/v3/plugins", NULL, NULL, 200, NULL));
    json_decref(call("GET", "/API/V3/About", NULL, NULL, 200, NULL));
}
END_TEST

START_TEST(keep_alive)
{
    http_result r;
    json_decref(call("GET", "/api/v3/about", NULL, NULL, 200, NULL));
    json_decref(call("GET", "/api/v3/about", NULL, NULL, 200, &r));
    ck_assert_int_eq(r.new_connections, 0); /* the same connection served both */
    http_result_free(&r);
    json_decref(call("POST", "/api/v3/organizations/companies", "text/plain", "x", 415, NULL));
    json_decref(call("GET", "/api/v3/about", NULL, NULL, 200, &r));
    ck_assert_int_eq(r.new_connections, 0);
    http_result_free(&r);
}
END_TEST

START_TEST(https_with_self_signed_certificate)
{
    test_server tls;
    const char *args[] = {"--tls", "on", NULL};
    server_start(&tls, args);
    char url[256], ca[512];
    snprintf(url, sizeof url, "https://localhost:%d/api/v3/about", tls.port);
    snprintf(ca, sizeof ca, "%s/cert.pem", tls.data_dir);
    http_result r;
    ck_assert(http_call("GET", url, NULL, NULL, 0, ca, &r));
    ck_assert_int_eq(r.status, 200);
    json_t *j = json_loadb(r.body, r.len, 0, NULL);
    ck_assert(json_is_object(json_object_get(j, "data")));
    json_decref(j);
    http_result_free(&r);
    /* plain HTTP to the TLS port does not get an answer */
    snprintf(url, sizeof url, "http://localhost:%d/api/v3/about", tls.port);
    ck_assert(!http_call("GET", url, NULL, NULL, 0, NULL, &r) || r.status != 200);
    if (r.body)
        http_result_free(&r);
    ck_assert_int_eq(server_stop(&tls), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_errors");
    TCase *tc = tcase_create("errors");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, unknown_path_is_404);
    tcase_add_test(tc, other_method_is_405_with_allow);
    tcase_add_test(tc, bad_parameters_are_400_naming_them);
    tcase_add_test(tc, missing_required_query_parameter);
    tcase_add_test(tc, bad_x_client_version_is_400);
    tcase_add_test(tc, bad_bodies);
    tcase_add_test(tc, token_password_grant);
    tcase_add_test(tc, envelope_and_paging);
    tcase_add_test(tc, keep_alive);
    tcase_add_test(tc, https_with_self_signed_certificate);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
