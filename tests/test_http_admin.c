/* test_http_admin.c — the emulator's admin API under /_emulator/ (server/admin/admin.h)
 * over real HTTP: who may call it (the secret, the addresses), its
 * refusals in VSPC's envelope, and its table against its own document. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpclient.h"
#include "testutil.h"

#define SECRET "test-admin-secret-0123"

static test_server server;

/* One call to path (under the server's base) with "Authorization: Bearer
 * credential" (NULL: no Authorization header at all); the answer parsed,
 * its status in *status. */
static json_t *admin_call(const char *method, const char *path, const char *credential,
                          long *status)
{
    return server_admin_call(&server, credential ? credential : "", method, path, NULL, status);
}

static const char *first_error(const json_t *doc, const char *member)
{
    return json_string_value(
        json_object_get(json_array_get(json_object_get(doc, "errors"), 0), member));
}

START_TEST(the_secret_opens_it)
{
    const char *args[] = {"--admin-secret", SECRET, NULL};
    server_start(&server, args);
    long status;
    json_t *doc = admin_call("GET", "/_emulator/status", SECRET, &status);
    ck_assert_int_eq(status, 200);
    json_t *data = json_object_get(doc, "data");
    ck_assert_str_eq(json_string_value(json_object_get(data, "version")), "0.1.0");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(data, "contractVersions"), 0)),
                     "3.6.1");
    ck_assert_int_gt(json_integer_value(json_object_get(data, "records")), 100);
    json_decref(doc);
    /* no secret, another one, or a VSPC access token: 401 in VSPC's envelope */
    const char *wrong[] = {NULL, "test-admin-secret-0124", "test-admin-secret-012", http_bearer()};
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        doc = admin_call("GET", "/_emulator/status", wrong[i], &status);
        ck_assert_int_eq(status, 401);
        ck_assert_str_eq(first_error(doc, "type"), "security");
        json_decref(doc);
    }
    /* and the secret is no VSPC credential */
    json_decref(http_call_as(&server, SECRET, "GET", "/about", NULL, NULL, &status));
    ck_assert_int_eq(status, 401);
    server_stop(&server);
}
END_TEST

START_TEST(unknown_paths_and_methods)
{
    const char *args[] = {"--admin-secret", SECRET, NULL};
    server_start(&server, args);
    long status;
    json_t *doc = admin_call("GET", "/_emulator/nothing-here", SECRET, &status);
    ck_assert_int_eq(status, 404);
    ck_assert_ptr_nonnull(strstr(first_error(doc, "message"), "/_emulator/nothing-here"));
    json_decref(doc);
    doc = admin_call("DELETE", "/_emulator/status", SECRET, &status);
    ck_assert_int_eq(status, 405);
    ck_assert_ptr_nonnull(strstr(first_error(doc, "message"), "Allowed: GET"));
    json_decref(doc);
    /* without the secret nothing tells a path from another */
    doc = admin_call("GET", "/_emulator/nothing-here", NULL, &status);
    ck_assert_int_eq(status, 401);
    json_decref(doc);
    /* a prefix that only looks like it is a VSPC 404 */
    doc = admin_call("GET", "/_emulatorx/status", SECRET, &status);
    ck_assert_int_eq(status, 404);
    json_decref(doc);
    server_stop(&server);
}
END_TEST

START_TEST(only_the_addresses_allowed)
{
    const char *args[] = {"--admin-secret", SECRET, "--admin-bind", "127.0.0.2, 10.0.0.0/8", NULL};
    server_start(&server, args);
    long status;
    json_t *doc = admin_call("GET", "/_emulator/status", SECRET, &status);
    ck_assert_int_eq(status, 403); /* 127.0.0.1 is not listed */
    ck_assert_str_eq(first_error(doc, "type"), "security");
    json_decref(doc);
    http_call_from("127.0.0.2");
    doc = admin_call("GET", "/_emulator/status", SECRET, &status);
    ck_assert_int_eq(status, 200);
    json_decref(doc);
    http_call_from(NULL);
    server_stop(&server);
}
END_TEST

START_TEST(a_bad_bind_stops_the_start)
{
    char out[4096];
    const char *args[] = {"--admin-bind", "10.0.0.0/99", NULL};
    int rc = server_run_to_exit(args, out, sizeof out);
    ck_assert_int_ne(rc, 0);
    ck_assert_ptr_nonnull(strstr(out, "--admin-bind"));
}
END_TEST

/* Every row of the table is in the document, with its method, and the
 * document has no path the table lacks. */
START_TEST(the_document_is_the_table)
{
    const char *args[] = {"--admin-secret", SECRET, NULL};
    server_start(&server, args);
    long status;
    json_t *doc = admin_call("GET", "/_emulator/openapi.json", SECRET, &status);
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(doc, "openapi")), "3.0.1");
    json_t *paths = json_object_get(doc, "paths");
    ck_assert_int_gt(json_object_size(paths), 1);
    const char *path;
    json_t *item;
    json_object_foreach(paths, path, item) {
        const char *method;
        json_t *op;
        json_object_foreach(item, method, op) {
            char upper[16];
            size_t i = 0;
            for (; method[i] && i < sizeof upper - 1; i++)
                upper[i] = (char)(method[i] - 'a' + 'A');
            upper[i] = 0;
            /* each documented operation answers something other than 404/405
             * when called (parameters filled with "x") */
            char concrete[512];
            size_t n = 0;
            for (const char *c = path; *c && n < sizeof concrete - 2; c++) {
                if (*c == '{') {
                    concrete[n++] = 'x';
                    while (*c && *c != '}')
                        c++;
                } else {
                    concrete[n++] = *c;
                }
            }
            concrete[n] = 0;
            json_decref(admin_call(upper, concrete, SECRET, &status));
            /* a made-up {name} may name nothing: 404 is an answer then */
            ck_assert_msg(status != 404 || strchr(path, '{'), "%s %s is documented but 404", upper,
                          path);
            ck_assert_msg(status != 405, "%s %s is documented but not routed", upper, path);
        }
    }
    json_decref(doc);
    server_stop(&server);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_admin");
    TCase *tc = tcase_create("http_admin");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, the_secret_opens_it);
    tcase_add_test(tc, unknown_paths_and_methods);
    tcase_add_test(tc, only_the_addresses_allowed);
    tcase_add_test(tc, a_bad_bind_stops_the_start);
    tcase_add_test(tc, the_document_is_the_table);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
