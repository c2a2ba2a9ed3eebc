/* test_http_metrics.c — GET /metrics (server/metrics/metrics.h) over real
 * HTTP: the Prometheus text format line by line, no credential needed,
 * counters that move by the requests made, a consistent histogram, and
 * records per type equal to what the API's lists count. */
#include <check.h>
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpclient.h"
#include "testutil.h"

static test_server server;

/* A failed check leaves the test early: the server must not outlive it
 * (its output pipe would keep the test runner waiting). */
static void stop_left_running(void)
{
    if (server.pid > 0)
        server_stop(&server);
}

/* The exposition, checked line by line: each is a comment ("# HELP name
 * text", "# TYPE name type") or `name{label="value",...} number`. */
static bool name_char(char c, bool first)
{
    return isalpha((unsigned char)c) || c == '_' || c == ':' || (!first && isdigit((unsigned char)c));
}

/* Whether line is a sample: name, optional {labels}, one space, a number. */
static bool sample_line(const char *p)
{
    if (!name_char(*p, true))
        return false;
    while (name_char(*p, false))
        p++;
    if (*p == '{') {
        p++;
        while (*p != '}') {
            if (!name_char(*p, true))
                return false;
            while (name_char(*p, false))
                p++;
            if (*p++ != '=' || *p++ != '"')
                return false;
            for (; *p != '"'; p++) {
                if (!*p || *p == '\n')
                    return false;
                if (*p == '\\' && !*++p)
                    return false;
            }
            p++;
            if (*p == ',')
                p++;
            else if (*p != '}')
                return false;
        }
        p++;
    }
    if (*p++ != ' ')
        return false;
    if (!strcmp(p, "+Inf") || !strcmp(p, "-Inf") || !strcmp(p, "NaN"))
        return true;
    char *end;
    strtod(p, &end);
    return end != p && !*end;
}

static void check_format(const char *text)
{
    char *copy = strdup(text);
    size_t n = 0;
    for (char *save, *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        n++;
        if (!strncmp(line, "# HELP ", 7) || !strncmp(line, "# TYPE ", 7))
            continue;
        ck_assert_msg(sample_line(line), "not a sample: %s", line);
    }
    ck_assert_int_gt(n, 50);
    free(copy);
}

static long api(const char *path)
{
    long status;
    json_decref(http_call_as(&server, http_bearer(), "GET", path, NULL, NULL, &status));
    return status;
}

START_TEST(the_format_and_moving_counters)
{
    server_start(&server, NULL);
    char *before = http_scrape_metrics(&server);
    check_format(before);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(api("/about"), 200);
    ck_assert_int_eq(api("/nothing/here"), 404);
    char *after = http_scrape_metrics(&server);
    check_format(after);
    const char *about =
        "vspc_rest__total_requests_with_tags{operationId=\"GetAboutInformation\",method=\"GET\","
        "status=\"200\"}";
    const char *unknown =
        "vspc_rest__total_errors_with_tags{operationId=\"none\",method=\"GET\",status=\"404\"}";
    ck_assert(http_metric_value(after, about) - http_metric_value(before, about) == 3);
    ck_assert(http_metric_value(after, unknown) - http_metric_value(before, unknown) == 1);
    ck_assert(http_metric_value(after, "vspc_rest__total_requests") -
                  http_metric_value(before, "vspc_rest__total_requests") ==
              4); /* /metrics itself is not counted */
    ck_assert(http_metric_value(after, "vspc_rest__total_errors") -
                  http_metric_value(before, "vspc_rest__total_errors") ==
              1);
    /* the histogram: every request once, buckets cumulative up to +Inf */
    double count = http_metric_value(after, "vspc_rest__transactions_timer_seconds_count");
    ck_assert(count == http_metric_value(after, "vspc_rest__total_requests"));
    ck_assert(http_metric_value(
                  after, "vspc_rest__transactions_timer_seconds_bucket{le=\"+Inf\"}") == count);
    ck_assert(
        http_metric_value(after, "vspc_rest__transactions_timer_seconds_bucket{le=\"0.001\"}") <=
        http_metric_value(after, "vspc_rest__transactions_timer_seconds_bucket{le=\"0.01\"}"));
    ck_assert(http_metric_value(after, "vspc_rest__transactions_timer_seconds_sum") > 0);
    ck_assert(http_metric_value(after, "vspc_emulator_journal_entries") -
                  http_metric_value(before, "vspc_emulator_journal_entries") ==
              4);
    ck_assert(http_metric_value(after, "vspc_emulator_journal_capacity") == 10000);
    ck_assert(http_metric_value(after, "vspc_emulator_world_build_seconds") > 0);
    ck_assert(http_metric_value(after, "vspc_rest__active_requests") == 0);
    free(before);
    free(after);

    /* only GET */
    char url[256];
    snprintf(url, sizeof url, "%s/metrics", server.base);
    http_result r;
    ck_assert(http_call("POST", url, NULL, "", 0, NULL, &r));
    ck_assert_int_eq(r.status, 405);
    ck_assert_str_eq(r.allow, "GET");
    http_result_free(&r);
    server_stop(&server);
}
END_TEST

/* The records per type are the store's counts: a list's total. */
/* Each step of the simulation is timed: a manual advance is one. */
START_TEST(simulation_steps_are_timed)
{
    server_start(&server, NULL); /* --clock manual */
    char *before = http_scrape_metrics(&server);
    long status;
    for (int i = 0; i < 2; i++) {
        json_decref(server_admin_call(&server, NULL, "POST",
                                      "/_emulator/clock/advance?seconds=3600", NULL, &status));
        ck_assert_int_eq(status, 200);
    }
    char *after = http_scrape_metrics(&server);
    check_format(after);
    const char *count = "vspc_emulator_simulation_step_seconds_count";
    ck_assert_msg(http_metric_value(after, count) - http_metric_value(before, count) == 2,
                  "%g -> %g steps", http_metric_value(before, count),
                  http_metric_value(after, count));
    ck_assert(http_metric_value(after, "vspc_emulator_simulation_step_seconds_sum") > 0);
    ck_assert(
        http_metric_value(after, "vspc_emulator_simulation_step_seconds_bucket{le=\"+Inf\"}") ==
        http_metric_value(after, count));
    free(before);
    free(after);
    server_stop(&server);
}
END_TEST

START_TEST(records_per_type_match_the_lists)
{
    server_start(&server, NULL);
    static const struct {
        const char *path, *type;
    } lists[] = {
        {"/organizations/companies", "Company"},
        {"/organizations/resellers", "Reseller"},
        {"/infrastructure/backupServers", "BackupServer"},
        {"/users", "User"},
    };
    char *text = http_scrape_metrics(&server);
    size_t checked = 0;
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        long status;
        char path[128];
        snprintf(path, sizeof path, "%s?limit=1", lists[i].path);
        json_t *doc = http_call_as(&server, http_bearer(), "GET", path, NULL, NULL, &status);
        ck_assert_int_eq(status, 200);
        long total = (long)json_integer_value(json_object_get(
            json_object_get(json_object_get(doc, "meta"), "pagingInfo"), "total"));
        json_decref(doc);
        char series[128];
        snprintf(series, sizeof series, "vspc_emulator_records{type=\"%s\"}", lists[i].type);
        ck_assert_msg(strstr(text, series), "no %s", series);
        ck_assert_msg(http_metric_value(text, series) == (double)total, "%s: %g, the list says %ld",
                      series, http_metric_value(text, series), total);
        checked++;
    }
    ck_assert_int_eq(checked, 4);
    free(text);
    server_stop(&server);
}
END_TEST

/* 429s are counted as throttled, async actions by their status. */
START_TEST(throttled_and_async_actions)
{
    const char *args[] = {"--login-failures", "1", "--async-operations", "GetCompanies", NULL};
    server_start(&server, args);
    char *before = http_scrape_metrics(&server);
    long throttled = 0;
    for (int i = 0; i < 3; i++) {
        long status;
        json_decref(http_call_as(&server, "", "POST", "/token",
                                 "application/x-www-form-urlencoded",
                                 "grant_type=password&username=operator&password=wrong", &status));
        throttled += status == 429;
    }
    ck_assert_int_ge(throttled, 1);
    ck_assert_int_eq(api("/organizations/companies?limit=1"), 202);
    char *after = http_scrape_metrics(&server);
    ck_assert(http_metric_value(after, "vspc_rest__total_throttled_requests") -
                  http_metric_value(before, "vspc_rest__total_throttled_requests") ==
              (double)throttled);
    ck_assert(http_metric_value(after,
                                "vspc_rest__total_requests_with_tags{operationId=\"GetCompanies\","
                                "method=\"GET\",status=\"202\"}") == 1);
    /* the one action, running or done, is counted once */
    double running = http_metric_value(after, "vspc_emulator_async_actions{status=\"running\"}");
    double done = http_metric_value(after, "vspc_emulator_async_actions{status=\"succeed\"}") +
                  http_metric_value(after, "vspc_emulator_async_actions{status=\"failed\"}") +
                  http_metric_value(after, "vspc_emulator_async_actions{status=\"canceled\"}");
    ck_assert(running + done == 1);
    ck_assert(http_metric_value(after, "vspc_rest__current_async_action_count") == running);
    ck_assert(http_metric_value(after, "vspc_rest__current_uncleaned_async_action_count") == done);
    free(before);
    free(after);
    server_stop(&server);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_metrics");
    TCase *tc = tcase_create("http_metrics");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, NULL, stop_left_running);
    tcase_add_test(tc, the_format_and_moving_counters);
    tcase_add_test(tc, records_per_type_match_the_lists);
    tcase_add_test(tc, simulation_steps_are_timed);
    tcase_add_test(tc, throttled_and_async_actions);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
