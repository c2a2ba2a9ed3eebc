/* test_http_async.c — VSPC's async actions over real HTTP (issue 13):
 * an operation that takes VSPC longer than --async-after to answer is a
 * 202 with a Location to poll; its effect lands when it finishes, once,
 * and never for a canceled one or one a restart interrupted; results
 * expire; x-request-id makes a request idempotent; an action is its
 * initiator's only. Processing times are schema/durations.json's: a job
 * start takes 1.5 s, a company delete 12 s. */
#include <check.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "httpclient.h"
#include "testutil.h"

#define FABRIKAM "f5b30ee7-720c-4680-8106-673253df19cf"
#define TAILSPIN "a4432f8f-a292-480d-876a-ede393e8ab81"
#define REQUEST_ID "8d7e6f5a-1b2c-4d3e-9f40-a1b2c3d4e5f6"

static test_server server;

static void start_with(const char *const *args) { server_start(&server, args); }

static void teardown(void) { server_stop(&server); }

static json_t *api(const char *method, const char *path, const char *request_id, long *status,
                   char *location, size_t loclen)
{
    char url[512];
    snprintf(url, sizeof url, "%s/api/v3%s", server.base, path);
    char idh[128];
    snprintf(idh, sizeof idh, "x-request-id: %s", request_id ? request_id : "");
    const char *headers[] = {"Content-Type: application/json", request_id ? idh : NULL, NULL};
    http_result r;
    ck_assert(http_call(method, url, headers, NULL, 0, NULL, &r));
    *status = r.status;
    if (location)
        snprintf(location, loclen, "%s", r.location);
    json_t *doc = json_loadb(r.body ? r.body : "", r.len, 0, NULL);
    http_result_free(&r);
    return doc;
}

static const char *member(const json_t *doc, const char *name)
{
    return json_string_value(json_object_get(json_object_get(doc, "data"), name));
}

/* Polls the action until it is no longer running (at most seconds). */
static char *wait_done(const char *id, double seconds)
{
    double until = test_now() + seconds;
    char path[128];
    snprintf(path, sizeof path, "/asyncActions/%s", id);
    while (test_now() < until) {
        long status;
        json_t *doc = api("GET", path, NULL, &status, NULL, 0);
        ck_assert_int_eq(status, 200);
        const char *s = member(doc, "status");
        if (s && strcmp(s, "running")) {
            char *out = strdup(s);
            json_decref(doc);
            return out;
        }
        json_decref(doc);
        usleep(100 * 1000);
    }
    ck_abort_msg("action %s still running after %.0f s", id, seconds);
    return NULL;
}

/* The first backup server job's UID. */
static char *first_job(void)
{
    long status;
    json_t *page = api("GET", "/infrastructure/backupServers/jobs?limit=1", NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 200);
    char *uid = strdup(json_string_value(
        json_object_get(json_array_get(json_object_get(page, "data"), 0), "instanceUid")));
    json_decref(page);
    return uid;
}

static char *job_status(const char *job)
{
    char path[160];
    snprintf(path, sizeof path, "/infrastructure/backupServers/jobs/%s", job);
    long status;
    json_t *doc = api("GET", path, NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 200);
    char *s = strdup(member(doc, "status"));
    json_decref(doc);
    return s;
}

START_TEST(job_start_is_polled_to_its_result)
{
    const char *args[] = {"--async-after", "1", NULL};
    start_with(args);
    char *job = first_job();
    char path[160], location[256];
    snprintf(path, sizeof path, "/infrastructure/backupServers/jobs/%s/start", job);
    long status;
    json_t *doc = api("POST", path, NULL, &status, location, sizeof location);
    ck_assert_int_eq(status, 202);
    const char *id = member(doc, "id");
    ck_assert(id != NULL);
    char expect[128];
    snprintf(expect, sizeof expect, "/api/v3/asyncActions/%s", id);
    ck_assert_str_eq(location, expect);
    ck_assert_str_eq(member(doc, "actionName"), "StartBackupServerJob");
    ck_assert_str_eq(member(doc, "status"), "running");
    char *action = strdup(id);
    json_decref(doc);
    /* not started yet: the start is still being handed over */
    char *before = job_status(job);
    ck_assert_str_ne(before, "Running");
    char *done = wait_done(action, 10);
    ck_assert_str_eq(done, "succeed");
    char *after = job_status(job);
    ck_assert_str_eq(after, "Running");
    snprintf(path, sizeof path, "/asyncActions/%s/result", action);
    doc = api("GET", path, NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 200); /* the operation's own answer */
    ck_assert(json_is_array(json_object_get(doc, "errors")));
    json_decref(doc);
    /* the list is the caller's */
    doc = api("GET", "/asyncActions", NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(doc, "data")), 1);
    json_decref(doc);
    free(job);
    free(action);
    free(before);
    free(done);
    free(after);
}
END_TEST

/* A company delete: accepted, the company there until the action ends,
 * then gone; the same x-request-id again gives the same action and
 * deletes nothing twice; another request with it is refused. */
START_TEST(company_delete_runs_once)
{
    const char *args[] = {"--async-after", "5", NULL}; /* the default threshold */
    start_with(args);
    const char *path = "/organizations/companies/" FABRIKAM "?removeAllAgents=false";
    long status;
    json_t *doc = api("DELETE", path, REQUEST_ID, &status, NULL, 0);
    ck_assert_int_eq(status, 202);
    ck_assert_str_eq(member(doc, "id"), REQUEST_ID);
    json_decref(doc);
    doc = api("DELETE", path, REQUEST_ID, &status, NULL, 0);
    ck_assert_int_eq(status, 202);
    ck_assert_str_eq(member(doc, "id"), REQUEST_ID);
    json_decref(doc);
    doc = api("GET", "/organizations/companies/" FABRIKAM, NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 200);
    json_decref(doc);
    doc = api("DELETE", "/organizations/companies/" TAILSPIN "?removeAllAgents=false", REQUEST_ID,
              &status, NULL, 0);
    ck_assert_int_eq(status, 400);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(doc, "errors"), 0), "parameterName")),
                     "x-request-id");
    json_decref(doc);
    char *done = wait_done(REQUEST_ID, 20);
    ck_assert_str_eq(done, "succeed");
    doc = api("GET", "/organizations/companies/" FABRIKAM, NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 404);
    json_decref(doc);
    /* replayed after the end: the same finished action, nothing run again */
    doc = api("DELETE", path, REQUEST_ID, &status, NULL, 0);
    ck_assert_int_eq(status, 202);
    ck_assert_str_eq(member(doc, "status"), "succeed");
    json_decref(doc);
    doc = api("GET", "/asyncActions/" REQUEST_ID "/result", NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 200);
    json_decref(doc);
    free(done);
}
END_TEST

/* A canceled action never applies its effect. */
START_TEST(cancel_applies_nothing)
{
    const char *args[] = {"--async-after", "1", NULL};
    start_with(args);
    char *job = first_job();
    char *before = job_status(job);
    char path[160];
    snprintf(path, sizeof path, "/infrastructure/backupServers/jobs/%s/start", job);
    long status;
    json_t *doc = api("POST", path, NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 202);
    char action[64];
    snprintf(action, sizeof action, "%s", member(doc, "id"));
    json_decref(doc);
    snprintf(path, sizeof path, "/asyncActions/%s", action);
    doc = api("DELETE", path, NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 200);
    json_decref(doc);
    usleep(2500 * 1000); /* past its time */
    doc = api("GET", path, NULL, &status, NULL, 0);
    ck_assert_str_eq(member(doc, "status"), "canceled");
    json_decref(doc);
    char *after = job_status(job);
    ck_assert_str_eq(after, before);
    /* no result, and a finished action cannot be canceled again */
    snprintf(path, sizeof path, "/asyncActions/%s/result", action);
    doc = api("GET", path, NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 400);
    json_decref(doc);
    snprintf(path, sizeof path, "/asyncActions/%s", action);
    doc = api("DELETE", path, NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 400);
    json_decref(doc);
    free(job);
    free(before);
    free(after);
}
END_TEST

/* Another user does not see the action; a forced operation goes async
 * even when it takes no time. */
START_TEST(actions_are_their_initiators)
{
    const char *args[] = {"--async-operations", "GetCompanies", NULL};
    start_with(args);
    long status;
    json_t *doc = api("GET", "/organizations/companies?limit=2", NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 202);
    char action[64], path[128];
    snprintf(action, sizeof action, "%s", member(doc, "id"));
    json_decref(doc);
    char *done = wait_done(action, 5);
    ck_assert_str_eq(done, "succeed");
    snprintf(path, sizeof path, "/asyncActions/%s/result", action);
    doc = api("GET", path, NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(doc, "data")), 2); /* the page itself */
    json_decref(doc);
    ck_assert(server_sign_in(&server, "nimbus.owner", "NimbusOwner#2026"));
    snprintf(path, sizeof path, "/asyncActions/%s", action);
    doc = api("GET", path, NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 404);
    json_decref(doc);
    doc = api("GET", "/asyncActions", NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(doc, "data")), 0);
    json_decref(doc);
    free(done);
}
END_TEST

/* An action a stop interrupted is failed at the next start, its effect
 * never applied. */
START_TEST(restart_fails_a_running_action)
{
    const char *args[] = {"--async-after", "5", NULL};
    start_with(args);
    long status;
    json_t *doc = api("DELETE", "/organizations/companies/" FABRIKAM "?removeAllAgents=false",
                      REQUEST_ID, &status, NULL, 0);
    ck_assert_int_eq(status, 202);
    json_decref(doc);
    char dir[256];
    snprintf(dir, sizeof dir, "%s", server.data_dir);
    ck_assert_int_eq(server_halt(&server, SIGTERM), 0);
    server_start_at(&server, dir, args);
    doc = api("GET", "/asyncActions/" REQUEST_ID, NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(member(doc, "status"), "failed");
    json_decref(doc);
    doc = api("GET", "/organizations/companies/" FABRIKAM, NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 200);
    json_decref(doc);
    doc = api("GET", "/asyncActions/" REQUEST_ID "/result", NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 500);
    json_decref(doc);
}
END_TEST

/* Results are kept ResultExpirationTime, checked every TimerResolution;
 * the config answers the retention. */
START_TEST(results_expire)
{
    char dir[] = "/tmp/vspc-async-XXXXXX";
    ck_assert(mkdtemp(dir) != NULL);
    char file[128];
    snprintf(file, sizeof file, "%s/appsettings.json", dir);
    FILE *f = fopen(file, "w");
    ck_assert(f != NULL);
    fputs("{\"AsyncAction\": {\"ResultExpirationTime\": \"00:00:01\","
          " \"FailureExpirationTime\": \"00:00:01\", \"TimerResolution\": \"00:00:01\"}}",
          f);
    fclose(f);
    const char *args[] = {"--appsettings", file, "--async-operations", "GetCompanies", NULL};
    start_with(args);
    long status;
    json_t *doc = api("GET", "/asyncActions/config", NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(doc, "data"),
                                                        "resultRetentionTime")),
                     1);
    json_decref(doc);
    doc = api("GET", "/organizations/companies", NULL, &status, NULL, 0);
    ck_assert_int_eq(status, 202);
    char action[64], path[128];
    snprintf(action, sizeof action, "%s", member(doc, "id"));
    json_decref(doc);
    char *done = wait_done(action, 5);
    ck_assert_str_eq(done, "succeed");
    free(done);
    snprintf(path, sizeof path, "/asyncActions/%s", action);
    double until = test_now() + 5;
    status = 200;
    while (status == 200 && test_now() < until) {
        usleep(200 * 1000);
        doc = api("GET", path, NULL, &status, NULL, 0);
        json_decref(doc);
    }
    ck_assert_int_eq(status, 404);
    test_rm_rf(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_async");
    TCase *tc = tcase_create("async");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, job_start_is_polled_to_its_result);
    tcase_add_test(tc, company_delete_runs_once);
    tcase_add_test(tc, cancel_applies_nothing);
    tcase_add_test(tc, actions_are_their_initiators);
    tcase_add_test(tc, restart_fails_a_running_action);
    tcase_add_test(tc, results_expire);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK);
}
