/* test_journal.c — the journal's ring (server/journal/journal.h) without
 * HTTP: path patterns, status classes, users, the ring under threads that
 * record while another reads, and clear. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal/journal.h"
#include "testutil.h"

/* Records one GET of path answered status, by login (NULL: anonymous). */
static void record(journal *j, const char *path, int status, const char *login)
{
    kv headers[] = {{"Authorization", "Bearer abc.def.ghi"}, {"Accept", "application/json"}};
    request req = {.method_text = "GET", .method = HTTP_GET, .path = path, .headers = headers,
                   .nheaders = 2, .body = ""};
    if (login) {
        req.who.known = true;
        snprintf(req.who.user_name, sizeof req.who.user_name, "%s", login);
        snprintf(req.who.user_uid, sizeof req.who.user_uid, "uid-of-%s", login);
    }
    response res;
    response_init(&res);
    res.status = status;
    journal_record(j, &req, &res, 1.5);
    response_clear(&res);
}

static journal *open_journal(size_t capacity)
{
    char err[256];
    journal *j = journal_open(test_schema_dir(), capacity, err, sizeof err);
    ck_assert_msg(j, "%s", err);
    return j;
}

static size_t count(journal *j, const char *method, const char *path, const char *user,
                    const char *status)
{
    journal_filter f = {method, path, user, status, 0, 0};
    return journal_query(j, &f, 0, NULL);
}

START_TEST(patterns_statuses_users)
{
    journal *j = open_journal(100);
    record(j, "/api/v3/organizations/companies", 200, "alice");
    record(j, "/api/v3/organizations/companies/1a2b", 404, "alice");
    record(j, "/api/v3/organizations/companies/1a2b/sites", 200, "bob");
    record(j, "/api/v3/about", 401, NULL);
    ck_assert_uint_eq(count(j, NULL, NULL, NULL, NULL), 4);
    ck_assert_uint_eq(count(j, NULL, "/api/v3/organizations/companies/*", NULL, NULL), 1);
    ck_assert_uint_eq(count(j, NULL, "/api/v3/organizations/companies/**", NULL, NULL), 2);
    ck_assert_uint_eq(count(j, NULL, "/api/v3/organizations/companies*", NULL, NULL), 1);
    ck_assert_uint_eq(count(j, NULL, "/API/V3/ORGANIZATIONS/COMPANIES", NULL, NULL), 1);
    ck_assert_uint_eq(count(j, NULL, "/api/v3/*/companies/*/sites", NULL, NULL), 1);
    ck_assert_uint_eq(count(j, NULL, "**", NULL, NULL), 4);
    ck_assert_uint_eq(count(j, NULL, "/api/v3", NULL, NULL), 0);
    ck_assert_uint_eq(count(j, NULL, NULL, NULL, "2xx"), 2);
    ck_assert_uint_eq(count(j, NULL, NULL, NULL, "4XX"), 2);
    ck_assert_uint_eq(count(j, NULL, NULL, NULL, "401"), 1);
    ck_assert_uint_eq(count(j, NULL, NULL, "ALICE", NULL), 2);
    ck_assert_uint_eq(count(j, NULL, NULL, "uid-of-bob", NULL), 1);
    ck_assert_uint_eq(count(j, "get", NULL, NULL, NULL), 4);
    ck_assert_uint_eq(count(j, "POST", NULL, NULL, NULL), 0);
    ck_assert(journal_status_valid("4xx") && journal_status_valid("201") && journal_status_valid(""));
    ck_assert(!journal_status_valid("4x") && !journal_status_valid("abc") &&
              !journal_status_valid("600") && !journal_status_valid("2000"));
    /* the entries as the API shows them, newest first */
    json_t *list;
    journal_filter all = {0};
    ck_assert_uint_eq(journal_query(j, &all, 2, &list), 4);
    ck_assert_uint_eq(json_array_size(list), 2);
    json_t *newest = json_array_get(list, 0);
    ck_assert_str_eq(json_string_value(json_object_get(newest, "path")), "/api/v3/about");
    ck_assert(json_is_null(json_object_get(newest, "user")));
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(newest, "headers"),
                                                       "Authorization")),
                     "Bearer [redacted]");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(newest, "headers"),
                                                       "Accept")),
                     "application/json");
    json_decref(list);
    journal_clear(j);
    ck_assert_uint_eq(journal_count(j), 0);
    record(j, "/api/v3/about", 200, NULL);
    ck_assert_uint_eq(journal_count(j), 1);
    journal_free(j);
}
END_TEST

START_TEST(which_paths)
{
    journal *j = open_journal(10);
    ck_assert(journal_wants(j, "/api/v3/about"));
    ck_assert(journal_wants(j, "/api/v3"));
    ck_assert(journal_wants(j, "/API/v3/about"));
    ck_assert(!journal_wants(j, "/api/v3x"));
    ck_assert(!journal_wants(j, "/_emulator/journal"));
    ck_assert(!journal_wants(j, "/metrics"));
    ck_assert(journal_wants(j, "/proxy/agent/vbr/x"));
    journal_free(j);
    j = open_journal(0); /* keeps nothing: wants nothing */
    ck_assert(!journal_wants(j, "/api/v3/about"));
    record(j, "/api/v3/about", 200, NULL);
    ck_assert_uint_eq(journal_count(j), 0);
    journal_free(j);
}
END_TEST

#define WRITERS 4
#define PER_WRITER 2000

static void *writer(void *arg)
{
    journal *j = arg;
    for (int i = 0; i < PER_WRITER; i++)
        record(j, i % 2 ? "/api/v3/a" : "/api/v3/b", 200 + i % 3, "w");
    return NULL;
}

/* Threads record while the main thread reads: the ring ends with its
 * capacity of the newest entries, each once. */
START_TEST(threads_record_while_one_reads)
{
    journal *j = open_journal(64);
    pthread_t t[WRITERS];
    for (int i = 0; i < WRITERS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, writer, j), 0);
    for (int k = 0; k < 200; k++) {
        json_t *list;
        journal_filter f = {NULL, "/api/v3/*", NULL, NULL, 0, 0};
        ck_assert_uint_le(journal_query(j, &f, 10, &list), 64);
        json_decref(list);
    }
    for (int i = 0; i < WRITERS; i++)
        pthread_join(t[i], NULL);
    ck_assert_uint_eq(journal_count(j), 64);
    json_t *list;
    journal_filter all = {0};
    ck_assert_uint_eq(journal_query(j, &all, 64, &list), 64);
    for (size_t i = 0; i < 64; i++) /* the newest: numbers total down to total - 63 */
        ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(list, i), "id")),
                         WRITERS * PER_WRITER - (long)i);
    json_decref(list);
    journal_free(j);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("journal");
    TCase *tc = tcase_create("journal");
    tcase_add_test(tc, patterns_statuses_users);
    tcase_add_test(tc, which_paths);
    tcase_add_test(tc, threads_record_while_one_reads);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK);
}
