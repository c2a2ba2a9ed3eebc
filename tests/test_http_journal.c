/* test_http_journal.c — the request journal (server/journal/journal.h) over
 * real HTTP: what GET /_emulator/journal lists and how it filters, verify's
 * counts, secrets redacted, DELETE, --journal-size 0 and a small ring. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpclient.h"
#include "testutil.h"

#define SECRET "journal-admin-secret-42"

static test_server server;

/* A failed check leaves the test early: the server must not outlive it
 * (its output pipe would keep the test runner waiting). */
static void stop_left_running(void)
{
    if (server.pid > 0)
        server_stop(&server);
}

static void start_with(const char *size)
{
    const char *args[] = {"--admin-secret", SECRET, "--journal-size", size, NULL};
    server_start(&server, args);
}

/* One admin call (body NULL: none); the answer parsed, status in *status. */
static json_t *admin(const char *method, const char *path, const char *body, long *status)
{
    return server_admin_call(&server, SECRET, method, path, body, status);
}

/* A VSPC call as the current bearer: its status. */
static long api(const char *method, const char *path, const char *content_type, const char *body)
{
    long status;
    json_decref(http_call_as(&server, http_bearer(), method, path, content_type, body, &status));
    return status;
}

/* GET /_emulator/journal?query: the page (caller decrefs); total in *total. */
static json_t *journal(const char *query, long *total)
{
    char path[512];
    long status;
    snprintf(path, sizeof path, "/_emulator/journal%s%s", query[0] ? "?" : "", query);
    json_t *doc = admin("GET", path, NULL, &status);
    ck_assert_int_eq(status, 200);
    *total = (long)json_integer_value(
        json_object_get(json_object_get(json_object_get(doc, "meta"), "pagingInfo"), "total"));
    return doc;
}

static long journal_total(const char *query)
{
    long total;
    json_decref(journal(query, &total));
    return total;
}

/* POST /_emulator/journal/verify: data.matched, data.ok in *ok. */
static long verify(const char *body, bool *ok)
{
    long status;
    json_t *doc = admin("POST", "/_emulator/journal/verify", body, &status);
    ck_assert_msg(status == 200, "verify %s: %ld", body, status);
    json_t *data = json_object_get(doc, "data");
    *ok = json_is_true(json_object_get(data, "ok"));
    long matched = (long)json_integer_value(json_object_get(data, "matched"));
    json_decref(doc);
    return matched;
}

static void clear(void)
{
    long status;
    json_decref(admin("DELETE", "/_emulator/journal", NULL, &status));
    ck_assert_int_eq(status, 200);
}

static const char *entry_str(const json_t *entry, const char *member)
{
    return json_string_value(json_object_get(entry, member));
}

START_TEST(filters_newest_first)
{
    start_with("10000");
    clear();
    ck_assert_int_eq(journal_total(""), 0); /* the admin calls themselves are not kept */
    ck_assert_int_eq(api("GET", "/organizations/companies?limit=2", NULL, NULL), 200);
    ck_assert_int_eq(api("GET", "/organizations/companies/00000000-0000-4000-8000-000000000000",
                         NULL, NULL), 404);
    ck_assert_int_eq(api("GET", "/about", NULL, NULL), 200);
    char *owner = server_token(&server, "alphauser", NULL);
    long status;
    json_decref(http_call_as(&server, owner, "GET", "/organizations/companies", NULL, NULL,
                             &status));
    ck_assert_int_eq(status, 200);
    free(owner);

    long total;
    json_t *doc = journal("", &total);
    ck_assert_int_eq(total, 5); /* four calls and alphauser's token grant */
    json_t *data = json_object_get(doc, "data");
    json_t *newest = json_array_get(data, 0);
    ck_assert_str_eq(entry_str(newest, "path"), "/api/v3/organizations/companies");
    ck_assert_str_eq(entry_str(json_object_get(newest, "user"), "login"), "alphauser");
    ck_assert_str_eq(entry_str(newest, "operationId"), "GetCompanies");
    for (size_t i = 1; i < json_array_size(data); i++) /* newest first */
        ck_assert_int_lt(json_integer_value(json_object_get(json_array_get(data, i), "id")),
                         json_integer_value(json_object_get(json_array_get(data, i - 1), "id")));
    json_t *oldest = json_array_get(data, 4);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(oldest, "query"), "limit")),
                     "2");
    ck_assert_int_eq(json_integer_value(json_object_get(oldest, "status")), 200);
    ck_assert(json_real_value(json_object_get(oldest, "durationMs")) > 0);
    json_decref(doc);

    ck_assert_int_eq(journal_total("method=get"), 4);
    ck_assert_int_eq(journal_total("method=POST&path=/api/v3/token"), 1);
    ck_assert_int_eq(journal_total("path=/api/v3/organizations/companies"), 2);
    ck_assert_int_eq(journal_total("path=/api/v3/organizations/companies/*"), 1);
    ck_assert_int_eq(journal_total("path=/api/v3/organizations/*"), 2);
    ck_assert_int_eq(journal_total("path=/api/v3/**"), 5);
    ck_assert_int_eq(journal_total("status=404"), 1);
    ck_assert_int_eq(journal_total("status=4xx"), 1);
    ck_assert_int_eq(journal_total("status=2xx"), 4);
    ck_assert_int_eq(journal_total("user=alphauser"), 1);
    ck_assert_int_eq(journal_total("user=ADMINISTRATOR"), 3);
    ck_assert_int_eq(journal_total("since=2000-01-01T00:00:00Z&until=2999-01-01T00:00:00%2B02:00"), 5);
    ck_assert_int_eq(journal_total("since=2999-01-01T00:00:00Z"), 0);
    doc = journal("limit=2", &total);
    ck_assert_int_eq(total, 5);
    ck_assert_int_eq(json_array_size(json_object_get(doc, "data")), 2);
    json_decref(doc);

    bool ok;
    ck_assert_int_eq(verify("{\"path\":\"/api/v3/organizations/**\",\"count\":3}", &ok), 3);
    ck_assert(ok);
    ck_assert_int_eq(verify("{\"method\":\"GET\",\"status\":404,\"atMost\":0}", &ok), 1);
    ck_assert(!ok);
    ck_assert_int_eq(verify("{\"user\":\"alphauser\",\"status\":\"2xx\",\"atLeast\":1}", &ok), 1);
    ck_assert(ok);
    ck_assert_int_eq(verify("{\"method\":\"DELETE\"}", &ok), 0);
    ck_assert(!ok); /* no expectation: at least once */

    /* refusals name what is wrong */
    doc = admin("GET", "/_emulator/journal?status=4x", NULL, &status);
    ck_assert_int_eq(status, 400);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(doc, "errors"), 0), "parameterName")),
                     "status");
    json_decref(doc);
    doc = admin("POST", "/_emulator/journal/verify", "{\"count\":1,\"atMost\":2}", &status);
    ck_assert_int_eq(status, 400);
    json_decref(doc);
    doc = admin("GET", "/_emulator/journal?since=yesterday", NULL, &status);
    ck_assert_int_eq(status, 400);
    json_decref(doc);

    /* DELETE forgets them all */
    clear();
    ck_assert_int_eq(journal_total(""), 0);
    ck_assert_int_eq(api("GET", "/about", NULL, NULL), 200);
    ck_assert_int_eq(journal_total(""), 1);
    server_stop(&server);
}
END_TEST

/* Whether text holds needle anywhere. */
static bool holds(const char *text, const char *needle) { return strstr(text, needle) != NULL; }

START_TEST(secrets_are_redacted)
{
    start_with("10000");
    clear();
    /* a password grant, then a refresh of its pair */
    char url[256];
    snprintf(url, sizeof url, "%s/api/v3/token", server.base);
    const char *form[] = {"Content-Type: application/x-www-form-urlencoded", "Authorization:",
                          NULL};
    const char *grant = "grant_type=password&username=administrator&password=Password1";
    http_result r;
    ck_assert(http_call("POST", url, form, grant, strlen(grant), NULL, &r));
    ck_assert_int_eq(r.status, 200);
    json_t *pair = json_loadb(r.body, r.len, 0, NULL);
    http_result_free(&r);
    char access[4096], refresh[4096], body[8192];
    snprintf(access, sizeof access, "%s", json_string_value(json_object_get(pair, "access_token")));
    snprintf(refresh, sizeof refresh, "%s", json_string_value(json_object_get(pair, "refresh_token")));
    json_decref(pair);
    snprintf(body, sizeof body, "grant_type=refresh_token&refresh_token=%s", refresh);
    ck_assert(http_call("POST", url, form, body, strlen(body), NULL, &r));
    ck_assert_int_eq(r.status, 200);
    http_result_free(&r);
    /* JSON bodies with passwords: a create, a JSON Patch of a password */
    http_set_bearer(access);
    api("POST", "/users", NULL,
        "{\"userName\":\"journal.test\",\"password\":\"TopSecret#9\",\"profile\":{\"apiKey\":"
        "\"k-123-hidden\"}}");
    api("PATCH", "/users/c7d60e26-3b35-484a-8ec1-5d5d221096c5", "application/json",
        "[{\"op\":\"replace\",\"path\":\"/credentials/password\",\"value\":\"Hidden#77\"}]");
    /* a query parameter of a secret's name */
    api("GET", "/about?token=QueryHidden", NULL, NULL);

    long total;
    json_t *doc = journal("", &total);
    ck_assert_int_eq(total, 5);
    char *all = json_dumps(doc, JSON_COMPACT);
    const char *secrets[] = {"Password1", "TopSecret#9", "k-123-hidden", "Hidden#77", "QueryHidden",
                             access, refresh};
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
        ck_assert_msg(!holds(all, secrets[i]), "the journal keeps a secret: %.40s", secrets[i]);
    json_t *data = json_object_get(doc, "data");
    json_t *password_grant = json_array_get(data, 4);
    ck_assert_str_eq(entry_str(password_grant, "body"),
                     "grant_type=password&username=administrator&password=[redacted]");
    ck_assert_ptr_null(json_object_get(json_object_get(password_grant, "headers"), "Authorization"));
    ck_assert_str_eq(entry_str(json_array_get(data, 3), "body"),
                     "grant_type=refresh_token&refresh_token=[redacted]");
    json_t *create = json_array_get(data, 2);
    ck_assert_str_eq(entry_str(json_object_get(create, "headers"), "Authorization"),
                     "Bearer [redacted]");
    json_t *created = json_loads(entry_str(create, "body"), 0, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(created, "userName")), "journal.test");
    ck_assert_str_eq(json_string_value(json_object_get(created, "password")), "[redacted]");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(created, "profile"), "apiKey")),
                     "[redacted]");
    json_decref(created);
    ck_assert(holds(entry_str(json_array_get(data, 1), "body"), "\"/credentials/password\""));
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(json_array_get(data, 0), "query"), "token")),
                     "[redacted]");
    free(all);
    json_decref(doc);
    server_stop(&server);
}
END_TEST

/* Long bodies keep their first bytes; a 202 names its action. */
START_TEST(bodies_are_bounded_and_actions_named)
{
    const char *args[] = {"--admin-secret", SECRET, "--async-operations", "GetCompanies", NULL};
    server_start(&server, args);
    clear();
    char big[10000];
    memset(big, 'a', sizeof big);
    memcpy(big, "{\"name\":\"", 9);
    memcpy(big + sizeof big - 3, "\"}", 3);
    api("POST", "/organizations/companies", NULL, big);
    char url[256];
    snprintf(url, sizeof url, "%s/api/v3/organizations/companies?limit=1", server.base);
    const char *headers[] = {"x-request-id: 5f0c1d52-56f4-4f33-9a6d-0a8d1f3f0a11", NULL};
    http_result r;
    ck_assert(http_call("GET", url, headers, NULL, 0, NULL, &r));
    ck_assert_int_eq(r.status, 202);
    http_result_free(&r);
    long total;
    json_t *doc = journal("", &total);
    ck_assert_int_eq(total, 2);
    json_t *accepted = json_array_get(json_object_get(doc, "data"), 0);
    ck_assert_str_eq(entry_str(accepted, "asyncActionId"), "5f0c1d52-56f4-4f33-9a6d-0a8d1f3f0a11");
    ck_assert_str_eq(entry_str(json_object_get(accepted, "headers"), "x-request-id"),
                     "5f0c1d52-56f4-4f33-9a6d-0a8d1f3f0a11");
    json_t *posted = json_array_get(json_object_get(doc, "data"), 1);
    ck_assert(json_is_true(json_object_get(posted, "bodyTruncated")));
    ck_assert_int_eq(json_integer_value(json_object_get(posted, "bodyBytes")), sizeof big - 1);
    ck_assert_int_eq(strlen(entry_str(posted, "body")), 4096);
    json_decref(doc);
    server_stop(&server);
}
END_TEST

START_TEST(size_zero_keeps_nothing)
{
    setenv("VSPC_JOURNAL_SIZE", "0", 1); /* the variable, as a load run's container sets it */
    const char *args[] = {"--admin-secret", SECRET, NULL};
    server_start(&server, args);
    unsetenv("VSPC_JOURNAL_SIZE");
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(api("GET", "/about", NULL, NULL), 200);
    ck_assert_int_eq(journal_total(""), 0);
    bool ok;
    ck_assert_int_eq(verify("{\"count\":0}", &ok), 0);
    ck_assert(ok);
    server_stop(&server);
}
END_TEST

START_TEST(the_ring_keeps_the_newest)
{
    start_with("3");
    for (int i = 0; i < 5; i++) {
        char path[64];
        snprintf(path, sizeof path, "/about?n=%d", i);
        ck_assert_int_eq(api("GET", path, NULL, NULL), 200);
    }
    long total;
    json_t *doc = journal("", &total);
    ck_assert_int_eq(total, 3);
    json_t *data = json_object_get(doc, "data");
    for (size_t i = 0; i < 3; i++) {
        char n[4];
        snprintf(n, sizeof n, "%zu", 4 - i);
        json_t *entry = json_array_get(data, i);
        ck_assert_str_eq(json_string_value(json_object_get(json_object_get(entry, "query"), "n")), n);
    }
    /* the sign-in and the first four calls are gone; numbering went on */
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(data, 0), "id")), 6);
    json_decref(doc);
    server_stop(&server);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_journal");
    TCase *tc = tcase_create("http_journal");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, NULL, stop_left_running);
    tcase_add_test(tc, filters_newest_first);
    tcase_add_test(tc, secrets_are_redacted);
    tcase_add_test(tc, bodies_are_bounded_and_actions_named);
    tcase_add_test(tc, size_zero_keeps_nothing);
    tcase_add_test(tc, the_ring_keeps_the_newest);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
