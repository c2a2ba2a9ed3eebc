/* test_admin_routes.c — the admin API's table (server/admin/admin_routes.h):
 * its patterns match as documented, and every row is in
 * schema/admin-openapi.json with its method. */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "admin/admin_routes.h"
#include "base/json_file.h"

START_TEST(every_row_is_documented)
{
    char err[256];
    json_t *doc = json_file_load_in(test_schema_dir(), "admin-openapi.json", 0, err, sizeof err);
    ck_assert_msg(doc, "%s", err);
    json_t *paths = json_object_get(doc, "paths");
    for (size_t i = 0; i < admin_nroutes; i++) {
        char lower[16];
        size_t k = 0;
        for (; admin_routes[i].method[k] && k < sizeof lower - 1; k++)
            lower[k] = (char)tolower((unsigned char)admin_routes[i].method[k]);
        lower[k] = 0;
        json_t *op = json_object_get(json_object_get(paths, admin_routes[i].pattern), lower);
        ck_assert_msg(op, "%s %s is not in admin-openapi.json", admin_routes[i].method,
                      admin_routes[i].pattern);
        ck_assert_msg(json_string_value(json_object_get(op, "operationId")), "%s %s has no operationId",
                      admin_routes[i].method, admin_routes[i].pattern);
    }
    json_decref(doc);
}
END_TEST

START_TEST(patterns_match_whole_segments)
{
    admin_params p;
    char allow[64];
    const admin_route *r = admin_route_find("GET", "/_emulator/status", &p, allow, sizeof allow);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r->pattern, "/_emulator/status");
    ck_assert_int_eq(p.n, 0);
    ck_assert_ptr_nonnull(admin_route_find("GET", "/_emulator/status/", &p, allow, sizeof allow));
    ck_assert_ptr_null(admin_route_find("GET", "/_emulator/statusx", &p, allow, sizeof allow));
    ck_assert_str_eq(allow, "");
    ck_assert_ptr_null(admin_route_find("GET", "/_emulator/status/more", &p, allow, sizeof allow));
    ck_assert_ptr_null(admin_route_find("POST", "/_emulator/status", &p, allow, sizeof allow));
    ck_assert_str_eq(allow, "GET");
    ck_assert_ptr_null(admin_param(&p, "name"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("admin_routes");
    TCase *tc = tcase_create("admin_routes");
    tcase_add_test(tc, every_row_is_documented);
    tcase_add_test(tc, patterns_match_whole_segments);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK);
}
