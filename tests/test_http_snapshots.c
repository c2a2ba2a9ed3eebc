/* test_http_snapshots.c — the admin API's reset and snapshots
 * (server/admin/admin_reset.c, admin_snapshots.c, store/store_backup.h)
 * over real HTTP: save, change, restore; list and delete; the errors; reset
 * to the default world and to a snapshot; and a restore under concurrent
 * reads, whose every answer is the old world or the new one. */
#include <check.h>
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "httpclient.h"
#include "testutil.h"

#define SECRET "test-admin-secret-snapshots"
#define FABRIKAM "f5b30ee7-720c-4680-8106-673253df19cf" /* a fixture company */

static test_server server;

/* An admin call with the secret (or credential; "" sends none) and a JSON
 * body (may be NULL); the answer parsed, its status in *status. */
static json_t *admin_as(const char *credential, const char *method, const char *path,
                        const char *body, long *status)
{
    return server_admin_call(&server, credential, method, path, body, status);
}

static json_t *admin(const char *method, const char *path, const char *body, long expect)
{
    long status;
    json_t *doc = admin_as(SECRET, method, path, body, &status);
    ck_assert_msg(status == expect, "%s %s: %ld, expected %ld", method, path, status, expect);
    return doc;
}

static const char *first_error(const json_t *doc, const char *member)
{
    return json_string_value(
        json_object_get(json_array_get(json_object_get(doc, "errors"), 0), member));
}

static long data_int(const json_t *doc, const char *member)
{
    return (long)json_integer_value(json_object_get(json_object_get(doc, "data"), member));
}

/* A VSPC call as the current bearer: its status. */
static long api_status(const char *method, const char *path, const char *body)
{
    long status;
    json_decref(http_call_as(&server, http_bearer(), method, path, NULL, body, &status));
    return status;
}

/* The companies' total as the administrator sees it. */
static long companies(void)
{
    long status;
    json_t *doc = http_get_json(&server, "/api/v3/organizations/companies?limit=1", &status);
    ck_assert_int_eq(status, 200);
    long total = (long)json_integer_value(
        json_object_get(json_object_get(json_object_get(doc, "meta"), "pagingInfo"), "total"));
    json_decref(doc);
    return total;
}

/* Creates company name as the administrator; its UID into uid. */
static void create_company(const char *name, char *uid, size_t len)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"organizationInput\":{\"name\":\"%s\"},"
             "\"ownerCredentials\":{\"userName\":\"%s-owner\",\"password\":\"Secret123!\"}}",
             name, name);
    long status;
    json_t *doc = http_call_as(&server, http_bearer(), "POST", "/organizations/companies", NULL,
                               body, &status);
    ck_assert_int_eq(status, 200);
    snprintf(uid, len, "%s",
             json_string_value(json_object_get(json_object_get(doc, "data"), "instanceUid")));
    json_decref(doc);
}

static void start(void)
{
    /* the readers below send thousands of requests a second */
    const char *args[] = {"--admin-secret", SECRET, "--throttling", "off", NULL};
    server_start(&server, args);
}

START_TEST(save_change_restore)
{
    start();
    long before = companies();
    json_t *doc = admin("POST", "/_emulator/snapshots", "{\"name\":\"before-1.x_y\"}", 200);
    long records = data_int(doc, "records");
    ck_assert_int_gt(records, 100);
    ck_assert_int_gt(data_int(doc, "bytes"), 4096);
    json_decref(doc);
    char uid[64], path[128];
    create_company("Snapshot Test Co", uid, sizeof uid);
    snprintf(path, sizeof path, "/organizations/companies/%s", uid);
    ck_assert_int_eq(companies(), before + 1);
    /* a token issued after the save is not in the snapshot */
    char *later = server_token(&server, "operator", NULL);
    long status;
    json_decref(http_call_as(&server, later, "GET", "/organizations/companies?limit=1", NULL, NULL, &status));
    ck_assert_int_eq(status, 200);
    doc = admin("POST", "/_emulator/snapshots/before-1.x_y/restore", NULL, 200);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "data"), "world")),
                     "snapshot");
    ck_assert_int_eq(data_int(doc, "records"), records);
    json_decref(doc);
    /* the change is gone, in the list's total and by its UID */
    ck_assert_int_eq(companies(), before);
    ck_assert_int_eq(api_status("GET", path, NULL), 404);
    /* the credentials are those of that moment: the later token is unknown */
    json_decref(http_call_as(&server, later, "GET", "/organizations/companies?limit=1", NULL, NULL, &status));
    ck_assert_int_eq(status, 401);
    free(later);
    /* and the name can be created again (the unique-name index follows) */
    create_company("Snapshot Test Co", uid, sizeof uid);
    ck_assert_int_eq(companies(), before + 1);
    server_stop(&server);
}
END_TEST

START_TEST(list_and_delete)
{
    start();
    json_t *doc = admin("GET", "/_emulator/snapshots", NULL, 200);
    ck_assert_int_eq(json_array_size(json_object_get(doc, "data")), 0);
    json_decref(doc);
    json_decref(admin("POST", "/_emulator/snapshots", "{\"name\":\"b\"}", 200));
    char uid[64];
    create_company("Listed Later Co", uid, sizeof uid);
    json_decref(admin("POST", "/_emulator/snapshots", "{\"name\":\"a\"}", 200));
    doc = admin("GET", "/_emulator/snapshots", NULL, 200);
    json_t *items = json_object_get(doc, "data");
    ck_assert_int_eq(json_array_size(items), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json_object_get(doc, "meta"),
                                                                         "pagingInfo"),
                                                         "total")),
                     2);
    json_t *a = json_array_get(items, 0), *b = json_array_get(items, 1);
    ck_assert_str_eq(json_string_value(json_object_get(a, "name")), "a"); /* by name */
    ck_assert_str_eq(json_string_value(json_object_get(b, "name")), "b");
    /* "a" was saved with the company more (and its owner user, location...) */
    ck_assert_int_gt(json_integer_value(json_object_get(a, "records")),
                     json_integer_value(json_object_get(b, "records")));
    ck_assert_int_gt(json_integer_value(json_object_get(a, "bytes")), 0);
    ck_assert_int_eq(strlen(json_string_value(json_object_get(a, "created"))), 20);
    json_decref(doc);
    /* the file holds password hashes: the owner's alone */
    char file[512];
    snprintf(file, sizeof file, "%s/snapshots/a.db", server.data_dir);
    ck_assert_uint_eq(test_mode_of(file) & 0777, 0600);
    doc = admin("DELETE", "/_emulator/snapshots/b", NULL, 200);
    ck_assert_int_eq(json_array_size(json_object_get(doc, "errors")), 0);
    json_decref(doc);
    doc = admin("GET", "/_emulator/snapshots", NULL, 200);
    ck_assert_int_eq(json_array_size(json_object_get(doc, "data")), 1);
    json_decref(doc);
    json_decref(admin("DELETE", "/_emulator/snapshots/b", NULL, 404));
    json_decref(admin("POST", "/_emulator/snapshots/b/restore", NULL, 404));
    server_stop(&server);
}
END_TEST

START_TEST(refusals)
{
    start();
    /* names: missing, not a string, a character outside the set, too long */
    char long_name[128];
    snprintf(long_name, sizeof long_name, "{\"name\":\"%065d\"}", 0);
    const char *bad[] = {NULL, "{}", "{\"name\":7}", "{\"name\":\"a/b\"}", "{\"name\":\"\"}",
                         "{\"name\":\"sp ace\"}", long_name, "not json"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        json_t *doc = admin("POST", "/_emulator/snapshots", bad[i], 400);
        ck_assert_str_eq(first_error(doc, "propertyName"), "name");
        ck_assert_str_eq(first_error(doc, "type"), "logical");
        json_decref(doc);
    }
    /* 64 characters are fine */
    char longest[128];
    snprintf(longest, sizeof longest, "{\"name\":\"%064d\"}", 0);
    json_decref(admin("POST", "/_emulator/snapshots", longest, 200));
    /* a second save of a name: 409, unless it overwrites */
    json_decref(admin("POST", "/_emulator/snapshots", "{\"name\":\"dup\"}", 200));
    json_t *doc = admin("POST", "/_emulator/snapshots", "{\"name\":\"dup\"}", 409);
    ck_assert_str_eq(first_error(doc, "propertyName"), "name");
    json_decref(doc);
    json_decref(admin("POST", "/_emulator/snapshots?overwrite=true", "{\"name\":\"dup\"}", 200));
    /* unknown names, and a path name that is none */
    doc = admin("POST", "/_emulator/snapshots/nothing/restore", NULL, 404);
    ck_assert_ptr_nonnull(strstr(first_error(doc, "message"), "nothing"));
    json_decref(doc);
    json_decref(admin("DELETE", "/_emulator/snapshots/nothing", NULL, 404));
    json_decref(admin("POST", "/_emulator/reset?snapshot=nothing", NULL, 404));
    doc = admin("POST", "/_emulator/reset?snapshot=a%20b", NULL, 400);
    ck_assert_str_eq(first_error(doc, "parameterName"), "snapshot");
    json_decref(doc);
    /* without the secret, or with a VSPC token: 401, nothing done */
    long status;
    const char *wrong[] = {"", http_bearer()};
    for (size_t i = 0; i < 2; i++) {
        json_decref(admin_as(wrong[i], "POST", "/_emulator/snapshots", "{\"name\":\"x\"}", &status));
        ck_assert_int_eq(status, 401);
        json_decref(admin_as(wrong[i], "POST", "/_emulator/reset", NULL, &status));
        ck_assert_int_eq(status, 401);
        json_decref(admin_as(wrong[i], "GET", "/_emulator/snapshots", NULL, &status));
        ck_assert_int_eq(status, 401);
    }
    doc = admin("GET", "/_emulator/snapshots", NULL, 200);
    ck_assert_int_eq(json_array_size(json_object_get(doc, "data")), 2); /* 000..., dup */
    json_decref(doc);
    server_stop(&server);
}
END_TEST

START_TEST(reset_gives_the_default_world)
{
    start();
    long before = companies();
    json_t *doc = admin("GET", "/_emulator/status", NULL, 200);
    long records = data_int(doc, "records");
    json_decref(doc);
    json_decref(admin("POST", "/_emulator/snapshots", "{\"name\":\"changed\"}", 200));
    char uid[64], path[128];
    create_company("Reset Test Co", uid, sizeof uid);
    snprintf(path, sizeof path, "/organizations/companies/%s", uid);
    ck_assert_int_eq(api_status("DELETE", "/organizations/companies/" FABRIKAM
                                          "?removeAllAgents=true", NULL),
                     200);
    ck_assert_int_eq(api_status("GET", "/organizations/companies/" FABRIKAM, NULL), 404);
    ck_assert_int_eq(companies(), before); /* one more, one less */
    json_decref(admin("POST", "/_emulator/snapshots?overwrite=true", "{\"name\":\"changed\"}", 200));
    doc = admin("POST", "/_emulator/reset", NULL, 200);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "data"), "world")),
                     "default");
    ck_assert_int_eq(data_int(doc, "records"), records);
    ck_assert(json_real_value(json_object_get(json_object_get(doc, "data"), "ms")) > 0);
    json_decref(doc);
    /* a fresh data dir's world has no issued token: sign in again */
    ck_assert_int_eq(api_status("GET", "/about", NULL), 401);
    ck_assert(server_sign_in(&server, "administrator", "Password1"));
    ck_assert_int_eq(api_status("GET", path, NULL), 404);
    ck_assert_int_eq(api_status("GET", "/organizations/companies/" FABRIKAM, NULL), 200);
    ck_assert_int_eq(companies(), before);
    /* and to a snapshot, named in the body: the change is back */
    doc = admin("POST", "/_emulator/reset", "{\"snapshot\":\"changed\"}", 200);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "data"), "snapshot")),
                     "changed");
    json_decref(doc);
    ck_assert(server_sign_in(&server, "administrator", "Password1"));
    ck_assert_int_eq(api_status("GET", path, NULL), 200);
    ck_assert_int_eq(api_status("GET", "/organizations/companies/" FABRIKAM, NULL), 404);
    /* a second reset (from the default world kept since the first) */
    json_decref(admin("POST", "/_emulator/reset", NULL, 200));
    ck_assert(server_sign_in(&server, "administrator", "Password1"));
    ck_assert_int_eq(api_status("GET", path, NULL), 404);
    ck_assert_int_eq(api_status("GET", "/organizations/companies/" FABRIKAM, NULL), 200);
    ck_assert_int_eq(companies(), before);
    /* the kept world is no snapshot */
    doc = admin("GET", "/_emulator/snapshots", NULL, 200);
    ck_assert_int_eq(json_array_size(json_object_get(doc, "data")), 1);
    json_decref(doc);
    server_stop(&server);
}
END_TEST

/* The status of async action id, or of job (the first backup server
 * job), as a new string. */
static char *status_of(const char *path)
{
    long status;
    json_t *doc = http_call_as(&server, http_bearer(), "GET", path, NULL, NULL, &status);
    ck_assert_int_eq(status, 200);
    char *s = strdup(json_string_value(json_object_get(json_object_get(doc, "data"), "status")));
    json_decref(doc);
    return s;
}

/* Polls action path until it is no longer running; its status. */
static char *wait_done(const char *path, double seconds)
{
    double until = test_now() + seconds;
    while (test_now() < until) {
        char *s = status_of(path);
        if (strcmp(s, "running"))
            return s;
        free(s);
        usleep(100 * 1000);
    }
    ck_abort_msg("%s still running after %.0f s", path, seconds);
    return NULL;
}

/* A snapshot saved while an async action runs holds it running and its
 * effect not applied (both land in one transaction): restored, the action
 * runs again when due, and its effect lands again. */
START_TEST(a_restored_running_action_runs)
{
    const char *args[] = {"--admin-secret", SECRET, "--async-after", "1", NULL};
    server_start(&server, args);
    long status;
    json_t *page = http_call_as(&server, http_bearer(), "GET",
                                "/infrastructure/backupServers/jobs?limit=1", NULL, NULL, &status);
    ck_assert_int_eq(status, 200);
    char job[160], start[200], action[128];
    snprintf(job, sizeof job, "/infrastructure/backupServers/jobs/%s",
             json_string_value(json_object_get(json_array_get(json_object_get(page, "data"), 0),
                                               "instanceUid")));
    json_decref(page);
    snprintf(start, sizeof start, "%s/start", job);
    json_t *doc = http_call_as(&server, http_bearer(), "POST", start, NULL, NULL, &status);
    ck_assert_int_eq(status, 202); /* a job start takes VSPC a second */
    snprintf(action, sizeof action, "/asyncActions/%s",
             json_string_value(json_object_get(json_object_get(doc, "data"), "id")));
    json_decref(doc);
    json_decref(admin("POST", "/_emulator/snapshots", "{\"name\":\"mid\"}", 200));
    char *s = wait_done(action, 10);
    ck_assert_str_eq(s, "succeed");
    free(s);
    s = status_of(job);
    ck_assert_str_eq(s, "Running");
    free(s);
    json_decref(admin("POST", "/_emulator/snapshots/mid/restore", NULL, 200));
    /* the restored action is due already (its second passed long ago): the
     * worker, woken by the restore, may finish it before the next read, so
     * "succeed" is as right here as "running" — never "failed" */
    s = status_of(action);
    ck_assert_msg(!strcmp(s, "running") || !strcmp(s, "succeed"), "restored action %s", s);
    free(s);
    /* well before the worker's next expiry check (a minute) */
    s = wait_done(action, 5);
    ck_assert_str_eq(s, "succeed");
    free(s);
    s = status_of(job);
    ck_assert_str_eq(s, "Running");
    free(s);
    server_stop(&server);
}
END_TEST

/* Readers of the company list while restores alternate between two
 * snapshots of different company counts. */
#define READERS 4
#define RESTORES 16 /* $SNAPSHOT_RESTORES for a longer stress run */

typedef struct reader {
    pthread_t thread;
    char url[256];
    char auth[4200];
    long small, big;          /* the two worlds' totals */
    atomic_bool *stop;
    long reads, failures, mixes;
    char problem[256];
} reader;

/* Every answer: 200, a total of one of the two worlds, and as many items
 * as that total says (the page and the total of one world). */
static void *read_loop(void *arg)
{
    reader *r = arg;
    CURL *curl = curl_easy_init();
    struct curl_slist *headers = curl_slist_append(NULL, r->auth);
    curl_easy_setopt(curl, CURLOPT_URL, r->url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, http_collect_text);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    while (!atomic_load(r->stop)) {
        char *text = NULL;
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &text);
        CURLcode rc = curl_easy_perform(curl);
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
        long total = (long)json_integer_value(
            json_object_get(json_object_get(json_object_get(doc, "meta"), "pagingInfo"), "total"));
        long items = (long)json_array_size(json_object_get(doc, "data"));
        r->reads++;
        if (rc != CURLE_OK || status != 200 || !doc) {
            r->failures++;
            snprintf(r->problem, sizeof r->problem, "curl %d, status %ld: %.150s", rc, status,
                     text ? text : "");
        } else if ((total != r->small && total != r->big) || items != total) {
            r->mixes++;
            snprintf(r->problem, sizeof r->problem, "total %ld with %ld items (worlds: %ld, %ld)",
                     total, items, r->small, r->big);
        }
        json_decref(doc);
        free(text);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return NULL;
}

START_TEST(restore_under_concurrent_reads)
{
    start();
    json_decref(admin("POST", "/_emulator/snapshots", "{\"name\":\"small\"}", 200));
    long small = companies();
    char uid[64], name[64];
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "Concurrent Co %d", i);
        create_company(name, uid, sizeof uid);
    }
    long big = companies();
    ck_assert_int_eq(big, small + 5);
    json_decref(admin("POST", "/_emulator/snapshots", "{\"name\":\"big\"}", 200));
    /* the bearer was issued before both saves: good in both worlds */
    atomic_bool stop = false;
    static reader readers[READERS];
    for (int i = 0; i < READERS; i++) {
        reader *r = &readers[i];
        memset(r, 0, sizeof *r);
        snprintf(r->url, sizeof r->url, "%s/api/v3/organizations/companies?limit=500",
                 server.base);
        snprintf(r->auth, sizeof r->auth, "Authorization: Bearer %s", http_bearer());
        r->small = small;
        r->big = big;
        r->stop = &stop;
        ck_assert_int_eq(pthread_create(&r->thread, NULL, read_loop, r), 0);
    }
    int restores = getenv("SNAPSHOT_RESTORES") ? atoi(getenv("SNAPSHOT_RESTORES")) : RESTORES;
    double t0 = test_now();
    for (int i = 0; i < restores; i++) {
        json_t *doc = admin("POST", i % 2 ? "/_emulator/snapshots/big/restore"
                                          : "/_emulator/snapshots/small/restore",
                            NULL, 200);
        json_decref(doc);
    }
    double restores_s = test_now() - t0;
    atomic_store(&stop, true);
    long reads = 0;
    for (int i = 0; i < READERS; i++) {
        reader *r = &readers[i];
        pthread_join(r->thread, NULL);
        reads += r->reads;
        ck_assert_msg(r->failures == 0, "reader %d: %ld of %ld reads failed: %s", i, r->failures,
                      r->reads, r->problem);
        ck_assert_msg(r->mixes == 0, "reader %d: %ld of %ld answers of neither world: %s", i,
                      r->mixes, r->reads, r->problem);
    }
    fprintf(stderr, "restore_under_concurrent_reads: %d restores in %.2f s, %ld reads meanwhile\n",
            restores, restores_s, reads);
    ck_assert_int_gt(reads, restores); /* the reads did overlap the restores */
    ck_assert_int_eq(companies(), restores % 2 ? small : big); /* the last one's */
    server_stop(&server);
}
END_TEST

/* After each test, also a failed one: its server stopped (a server left
 * running keeps the test's output open, and meson waits for it). */
static void teardown(void)
{
    if (server.pid > 0)
        server_stop(&server);
}

int main(void)
{
    Suite *s = suite_create("http_snapshots");
    TCase *tc = tcase_create("http_snapshots");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, save_change_restore);
    tcase_add_test(tc, list_and_delete);
    tcase_add_test(tc, refusals);
    tcase_add_test(tc, reset_gives_the_default_world);
    tcase_add_test(tc, restore_under_concurrent_reads);
    tcase_add_test(tc, a_restored_running_action_runs);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
