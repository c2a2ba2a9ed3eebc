/* test_http_query.c — the REST overview's own query examples over real
 * HTTP against the default world, and paging, select, expand and the
 * errors a client gets for bad query parameters. */
#include <check.h>
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpclient.h"
#include "testutil.h"

static test_server server;

static void setup(void) { server_start(&server, NULL); }
static void teardown(void) { server_stop(&server); }

/* GET path?name=value&... with the values URL-encoded; asserts status. */
static json_t *get(long status, const char *path, const char *const *params)
{
    CURL *esc = curl_easy_init();
    char url[8192];
    size_t used = (size_t)snprintf(url, sizeof url, "%s/api/v3%s", server.base, path);
    for (size_t i = 0; params && params[i]; i += 2) {
        char *v = curl_easy_escape(esc, params[i + 1], 0);
        used += (size_t)snprintf(url + used, sizeof url - used, "%c%s=%s", i ? '&' : '?',
                                 params[i], v);
        curl_free(v);
    }
    curl_easy_cleanup(esc);
    http_result r;
    ck_assert(http_call("GET", url, NULL, NULL, 0, NULL, &r));
    ck_assert_msg(r.status == status, "%s: expected %ld, got %ld: %s", url, status, r.status, r.body);
    json_t *j = json_loadb(r.body, r.len, 0, NULL);
    http_result_free(&r);
    return j;
}

static json_t *data(json_t *j) { return json_object_get(j, "data"); }
static const char *str(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* Asserts a 400 error naming parameter `name`. */
static void bad(const char *path, const char *const *params, const char *name, const char *text)
{
    json_t *j = get(400, path, params);
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    ck_assert_str_eq(str(e, "parameterName"), name);
    ck_assert_str_eq(str(e, "type"), "logical");
    ck_assert_msg(strstr(str(e, "message"), text), "'%s' lacks '%s'", str(e, "message"), text);
    json_decref(j);
}

START_TEST(overview_examples)
{
    /* alarms with the Error status, any case */
    const char *alarms[] = {"filter",
                            "[{\"property\":\"lastActivation.status\",\"operation\":\"equals\","
                            "\"collation\":\"ignorecase\",\"value\":\"error\"}]",
                            NULL};
    json_t *j = get(200, "/alarms/active", alarms);
    ck_assert_uint_ge(json_array_size(data(j)), 2);
    size_t i;
    json_t *item;
    json_array_foreach(data(j), i, item)
        ck_assert_str_eq(str(json_object_get(item, "lastActivation"), "status"), "Error");
    /* the same query again (compiled once, then remembered) answers the same */
    json_t *again = get(200, "/alarms/active", alarms);
    ck_assert(json_equal(j, again));
    json_decref(again);
    json_decref(j);
    /* users with the Portal Operator or Portal Administrator role */
    const char *users[] = {"filter",
                           "[{\"operation\":\"or\",\"items\":[{\"property\":\"role\",\"operation\":"
                           "\"equals\",\"value\":\"PortalAdministrator\"},{\"property\":\"role\","
                           "\"operation\":\"equals\",\"value\":\"PortalOperator\"}]}]",
                           NULL};
    j = get(200, "/users", users);
    ck_assert_uint_ge(json_array_size(data(j)), 2);
    json_array_foreach(data(j), i, item)
        ck_assert(!strcmp(str(item, "role"), "PortalAdministrator") ||
                  !strcmp(str(item, "role"), "PortalOperator"));
    json_decref(j);
    /* sort by two keys */
    const char *sorted[] = {"sort",
                            "[{\"property\":\"status\",\"direction\":\"descending\"},"
                            "{\"property\":\"name\",\"direction\":\"ascending\"}]",
                            NULL};
    j = get(200, "/organizations/companies", sorted);
    for (i = 1; i < json_array_size(data(j)); i++) {
        json_t *a = json_array_get(data(j), i - 1), *b = json_array_get(data(j), i);
        int s = strcmp(str(a, "status"), str(b, "status"));
        ck_assert(s > 0 || (s == 0 && strcmp(str(a, "name"), str(b, "name")) <= 0));
    }
    json_decref(j);
    /* filter and sort together (the sort's index walked, filter values in it) */
    const char *both[] = {"filter", "[{\"property\":\"status\",\"operation\":\"equals\",\"value\":\"Active\"}]",
                          "sort", "[{\"property\":\"name\",\"direction\":\"ascending\"},"
                                  "{\"property\":\"resellerUid\",\"direction\":\"descending\"}]",
                          NULL};
    for (int round = 0; round < 2; round++) { /* compiled, then remembered */
        j = get(200, "/organizations/companies", both);
        ck_assert_uint_eq(json_array_size(data(j)), 9);
        json_array_foreach(data(j), i, item) {
            ck_assert_str_eq(str(item, "status"), "Active");
            if (i)
                ck_assert_int_le(strcmp(str(json_array_get(data(j), i - 1), "name"), str(item, "name")), 0);
        }
        json_decref(j);
    }
    /* three properties of resellers */
    const char *three[] = {"select",
                           "[{\"propertyPath\":\"instanceUid\"},{\"propertyPath\":\"name\"},"
                           "{\"propertyPath\":\"status\"}]",
                           NULL};
    j = get(200, "/organizations/resellers", three);
    ck_assert_uint_eq(json_array_size(data(j)), 2);
    json_array_foreach(data(j), i, item) {
        ck_assert_uint_eq(json_object_size(item), 3);
        ck_assert_ptr_nonnull(str(item, "name"));
    }
    json_decref(j);
}
END_TEST

/* The public PHP clients send every filter leaf with "items": null. */
START_TEST(php_client_filters)
{
    const char *admins[] = {"filter",
                            "[{\"property\":\"role\",\"operation\":\"equals\","
                            "\"value\":\"PortalAdministrator\",\"collation\":\"ordinal\","
                            "\"items\":null}]",
                            NULL};
    json_t *j = get(200, "/users", admins);
    ck_assert_uint_ge(json_array_size(data(j)), 1);
    size_t i;
    json_t *item;
    json_array_foreach(data(j), i, item)
        ck_assert_str_eq(str(item, "role"), "PortalAdministrator");
    json_decref(j);
    const char *two[] = {"filter",
                         "[{\"operation\":\"or\",\"items\":["
                         "{\"property\":\"name\",\"operation\":\"equals\",\"value\":\"alpha\","
                         "\"collation\":\"ignorecase\",\"items\":null},"
                         "{\"property\":\"name\",\"operation\":\"equals\",\"value\":\"Beta\","
                         "\"collation\":\"ordinal\",\"items\":null}],"
                         "\"property\":null,\"value\":null,\"collation\":null}]",
                         NULL};
    j = get(200, "/organizations/companies", two);
    ck_assert_uint_eq(json_array_size(data(j)), 2);
    ck_assert_str_eq(str(json_array_get(data(j), 0), "name"), "Alpha");
    ck_assert_str_eq(str(json_array_get(data(j), 1), "name"), "Beta");
    json_decref(j);
}
END_TEST

START_TEST(paging)
{
    const char *page[] = {"offset", "3", "limit", "4", NULL};
    json_t *all = get(200, "/organizations/companies", NULL);
    json_t *j = get(200, "/organizations/companies", page);
    json_t *info = json_object_get(json_object_get(j, "meta"), "pagingInfo");
    ck_assert_int_eq(json_integer_value(json_object_get(info, "total")), 10);
    ck_assert_int_eq(json_integer_value(json_object_get(info, "count")), 4);
    ck_assert_int_eq(json_integer_value(json_object_get(info, "offset")), 3);
    for (size_t i = 0; i < 4; i++)
        ck_assert(json_equal(json_array_get(data(j), i), json_array_get(data(all), i + 3)));
    json_decref(j);
    /* offset before limit, whatever their order in the URL */
    const char *swapped[] = {"limit", "4", "offset", "3", NULL};
    j = get(200, "/organizations/companies", swapped);
    ck_assert(json_equal(json_array_get(data(j), 0), json_array_get(data(all), 3)));
    json_decref(j);
    const char *past[] = {"offset", "50", NULL};
    j = get(200, "/organizations/companies", past);
    info = json_object_get(json_object_get(j, "meta"), "pagingInfo");
    ck_assert_int_eq(json_integer_value(json_object_get(info, "total")), 10);
    ck_assert_int_eq(json_integer_value(json_object_get(info, "count")), 0);
    json_decref(j);
    json_decref(all);
    /* a filtered total */
    const char *filtered[] = {"filter", "[{\"property\":\"status\",\"operation\":\"equals\",\"value\":\"Disabled\"}]",
                              "limit", "1", NULL};
    j = get(200, "/organizations/companies", filtered);
    info = json_object_get(json_object_get(j, "meta"), "pagingInfo");
    ck_assert_int_eq(json_integer_value(json_object_get(info, "total")), 1);
    json_decref(j);
}
END_TEST

START_TEST(expand_embeds_the_root)
{
    const char *expand[] = {"expand", "Organization", "limit", "2", NULL};
    json_t *j = get(200, "/organizations/companies", expand);
    size_t i;
    json_t *item;
    json_array_foreach(data(j), i, item) {
        json_t *org = json_object_get(json_object_get(item, "_embedded"), "organization");
        ck_assert_str_eq(str(org, "instanceUid"), str(item, "instanceUid"));
        ck_assert_str_eq(str(org, "name"), str(item, "name"));
        ck_assert_str_eq(str(org, "type"), "Company");
    }
    json_decref(j);
    /* without expand, _embedded stays null */
    j = get(200, "/organizations/companies", NULL);
    ck_assert(json_is_null(json_object_get(json_array_get(data(j), 0), "_embedded")));
    json_decref(j);
    /* jobs embed the root job */
    const char *jobs[] = {"expand", "BackupServerJob", "limit", "1", NULL};
    j = get(200, "/infrastructure/backupServers/jobs/backupVmJobs", jobs);
    json_t *first = json_array_get(data(j), 0);
    json_t *root = json_object_get(json_object_get(first, "_embedded"), "backupServerJob");
    ck_assert_str_eq(str(root, "instanceUid"), str(first, "instanceUid"));
    json_decref(j);
}
END_TEST

START_TEST(select_on_items_and_nested)
{
    const char *nested[] = {"select", "[{\"propertyPath\":\"companyServices.remoteServices.backupAgentsManagement\"}]", NULL};
    json_t *j = get(200, "/organizations/companies/eb866e8f-a0f5-41f4-9dd9-8cc59266ff25", nested);
    json_t *agents = json_object_get(json_object_get(json_object_get(data(j), "companyServices"),
                                                     "remoteServices"),
                                     "backupAgentsManagement");
    ck_assert(json_is_object(agents));
    ck_assert_uint_eq(json_object_size(data(j)), 1);
    json_decref(j);
    /* on a generated answer too */
    const char *about[] = {"select", "[{\"propertyPath\":\"serverVersion\"}]", NULL};
    j = get(200, "/about", about);
    ck_assert_uint_eq(json_object_size(data(j)), 1);
    json_decref(j);
}
END_TEST

/* Messages quote what the client sent and are cut to fit their buffer;
 * cut inside a character they were no longer UTF-8 and the error body
 * became a fixed "Out of memory." without the parameter's name. */
START_TEST(long_quoted_text_in_errors)
{
    char name[700] = "";
    for (int i = 0; i < 300; i++)
        strcat(name, "\xc3\xa9"); /* e-acute */
    char filter[800], sort[800], select[800];
    snprintf(filter, sizeof filter, "[{\"property\":\"%s\",\"operation\":\"equals\",\"value\":1}]",
             name);
    snprintf(sort, sizeof sort, "[{\"property\":\"%s\"}]", name);
    snprintf(select, sizeof select, "[{\"propertyPath\":\"%s\"}]", name);
    const char *p1[] = {"filter", filter, NULL};
    bad("/organizations/companies", p1, "filter", "The property '\xc3\xa9");
    const char *p2[] = {"sort", sort, NULL};
    bad("/organizations/companies", p2, "sort", "The property '\xc3\xa9");
    const char *p3[] = {"select", select, NULL};
    bad("/organizations/companies", p3, "select", "The property '\xc3\xa9");
    const char *p4[] = {"limit", name, NULL};
    bad("/organizations/companies", p4, "limit", "The value '\xc3\xa9");
    /* not JSON: jansson's reason quoted the token up to the byte it
     * refused, the first of a character */
    const char *p5[] = {"select", "[{\"propertyPath\":\"ab\\\xc3\xa9\"}]", NULL};
    bad("/organizations/companies", p5, "select", "not valid JSON: invalid escape");
    const char *p6[] = {"filter", "[{\"property\":\"ab\\\xc3\xa9\"}]", NULL};
    bad("/organizations/companies", p6, "filter", "not valid JSON: invalid escape");
}
END_TEST

START_TEST(bad_query_parameters)
{
    const char *p1[] = {"filter", "[{\"property\":\"nme\",\"operation\":\"equals\",\"value\":\"x\"}]", NULL};
    bad("/organizations/companies", p1, "filter", "'nme' does not exist");
    const char *p2[] = {"filter", "not json", NULL};
    bad("/organizations/companies", p2, "filter", "not valid JSON");
    const char *p3[] = {"filter", "[{\"property\":\"isRestAccessEnabled\",\"operation\":\"contains\",\"value\":\"x\"}]", NULL};
    bad("/organizations/companies", p3, "filter", "cannot be applied");
    const char *p4[] = {"sort", "[{\"property\":\"companyServices\"}]", NULL};
    bad("/organizations/companies", p4, "sort", "cannot be sorted");
    const char *p5[] = {"select", "[{\"propertyPath\":\"nope\"}]", NULL};
    bad("/organizations/companies", p5, "select", "'nope' does not exist");
    const char *p6[] = {"limit", "-1", NULL};
    bad("/organizations/companies", p6, "limit", "larger or equal to 0");
    const char *p7[] = {"offset", "ten", NULL};
    bad("/organizations/companies", p7, "offset", "not a valid integer");
    const char *p8[] = {"limit", "100000", NULL};
    bad("/organizations/companies", p8, "limit", "500");
    const char *p9[] = {"expand", "Everything", NULL};
    bad("/organizations/companies", p9, "expand", "Organization");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_query");
    TCase *tc = tcase_create("query");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, overview_examples);
    tcase_add_test(tc, php_client_filters);
    tcase_add_test(tc, paging);
    tcase_add_test(tc, expand_embeds_the_root);
    tcase_add_test(tc, select_on_items_and_nested);
    tcase_add_test(tc, long_quoted_text_in_errors);
    tcase_add_test(tc, bad_query_parameters);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
