/* test_http_simulation.c — the simulation over real HTTP, on a manual
 * clock moved by POST /_emulator/clock/advance (sim/simulation.h): a
 * started job has a running session with progress at once and a finished
 * one after its time, its lastRun and lastEndTime moved; a failed run
 * raises an active alarm naming the job and the next success resolves it;
 * a month's end closes an invoice per company whose sums hold; a stop acts
 * at once; agents heartbeat or go stale; a backup agent's job counts and
 * the repositories follow the runs; services and licence usage follow
 * the agents; the clock's speed is set at run time; the same seed and the same
 * advances give the same world, byte for byte. */
#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "httpclient.h"
#include "testutil.h"

#define ALPHA "eb866e8f-a0f5-41f4-9dd9-8cc59266ff25"

static test_server server;

static void setup(void) { server_start(&server, NULL); }
static void teardown(void) { server_stop(&server); }

/* method on s's path (under /api/v3 unless it starts with /_emulator);
 * the answer parsed, its status in *status. */
static json_t *call_on(const test_server *s, const char *method, const char *path, long *status)
{
    char url[768];
    snprintf(url, sizeof url, "%s%s%s", s->base, strncmp(path, "/_emulator", 10) ? "/api/v3" : "",
             path);
    /* the admin API's paths take its secret, VSPC's the signed-in bearer */
    const char *headers[] = {"Content-Type: application/json",
                             strncmp(path, "/_emulator", 10) ? NULL
                                                            : "Authorization: Bearer " TEST_ADMIN_SECRET,
                             NULL};
    http_result r;
    ck_assert(http_call(method, url, headers, NULL, 0, NULL, &r));
    *status = r.status;
    json_t *doc = json_loadb(r.body ? r.body : "", r.len, 0, NULL);
    http_result_free(&r);
    return doc;
}

static json_t *ok(const char *method, const char *path)
{
    long status;
    json_t *doc = call_on(&server, method, path, &status);
    ck_assert_msg(status == 200 && doc, "%s %s: %ld", method, path, status);
    return doc;
}

static const char *text(const json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

static const char *or_empty(const char *s) { return s ? s : ""; }

static void advance_on(const test_server *s, long long seconds)
{
    char path[96];
    snprintf(path, sizeof path, "/_emulator/clock/advance?seconds=%lld", seconds);
    long status;
    json_t *doc = call_on(s, "POST", path, &status);
    ck_assert_int_eq(status, 200);
    json_decref(doc);
}

static void advance(long long seconds) { advance_on(&server, seconds); }

static long long now_ms(void)
{
    json_t *doc = ok("GET", "/_emulator/clock");
    long long ms = json_integer_value(json_object_get(json_object_get(doc, "data"), "nowMs"));
    json_decref(doc);
    return ms;
}

static json_t *job(const char *uid)
{
    char path[160];
    snprintf(path, sizeof path, "/infrastructure/backupServers/jobs/%s", uid);
    json_t *doc = ok("GET", path);
    json_t *data = json_incref(json_object_get(doc, "data"));
    json_decref(doc);
    return data;
}

/* The newest session of a job, as /_emulator/sessions shows it. */
static json_t *last_session(const char *uid)
{
    char path[160];
    snprintf(path, sizeof path, "/_emulator/sessions?jobUid=%s&limit=1", uid);
    json_t *doc = ok("GET", path);
    json_t *s = json_incref(json_array_get(json_object_get(doc, "data"), 0));
    json_decref(doc);
    ck_assert_ptr_nonnull(s);
    return s;
}

static long long ms_of(const char *date_time)
{
    /* only what the clock writes: "YYYY-MM-DDTHH:MM:SS.fff0000+00:00" */
    struct tm tm = {0};
    int ms = 0;
    ck_assert(date_time && sscanf(date_time, "%4d-%2d-%2dT%2d:%2d:%2d.%3d", &tm.tm_year, &tm.tm_mon,
                                  &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) == 7);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (long long)timegm(&tm) * 1000 + ms;
}

/* A backup server job that is not running now. */
static char *idle_job(void)
{
    json_t *doc = ok("GET", "/infrastructure/backupServers/jobs?limit=100");
    size_t i;
    json_t *j;
    char *uid = NULL;
    json_array_foreach(json_object_get(doc, "data"), i, j) {
        if (strcmp(text(j, "status"), "Running")) {
            uid = strdup(text(j, "instanceUid"));
            break;
        }
    }
    json_decref(doc);
    ck_assert_ptr_nonnull(uid);
    return uid;
}

static void start(const char *uid, const char *action)
{
    char path[200];
    snprintf(path, sizeof path, "/infrastructure/backupServers/jobs/%s/%s", uid, action);
    long status;
    json_t *doc = call_on(&server, "POST", path, &status);
    ck_assert_msg(status == 200, "%s: %ld", path, status);
    json_decref(doc);
}

START_TEST(test_start_runs_a_session)
{
    char *uid = idle_job();
    long long t0 = now_ms();
    start(uid, "start");
    json_t *j = job(uid);
    ck_assert_str_eq(text(j, "status"), "Running");
    ck_assert_int_eq(ms_of(text(j, "lastRun")), t0);
    json_t *task = json_array_get(json_object_get(j, "lastSessionTasks"), 0);
    ck_assert_str_eq(text(task, "status"), "Running");
    ck_assert_int_eq(json_integer_value(json_object_get(task, "transferredDataSize")), 0);
    json_t *session = last_session(uid);
    ck_assert_str_eq(text(session, "status"), "Running");
    ck_assert_str_eq(text(session, "instanceUid"), text(task, "instanceUid"));
    json_decref(j);
    /* half way: progress, still running; the end time is the session's */
    ck_assert(json_is_null(json_object_get(session, "endTime")));
    long long end = ms_of(text(session, "expectedEndTime"));
    json_decref(session);
    advance((end - t0) / 2000);
    j = job(uid);
    ck_assert_str_eq(text(j, "status"), "Running");
    task = json_array_get(json_object_get(j, "lastSessionTasks"), 0);
    ck_assert_int_gt(json_integer_value(json_object_get(task, "transferredDataSize")), 0);
    ck_assert_int_gt(json_integer_value(json_object_get(task, "duration")), 0);
    ck_assert_int_le(json_integer_value(json_object_get(task, "processedObjects")),
                     json_integer_value(json_object_get(task, "totalObjects")));
    json_decref(j);
    /* past the end: finished with a result, the job's times moved */
    advance((end - now_ms()) / 1000 + 1);
    j = job(uid);
    const char *st = text(j, "status");
    ck_assert_msg(!strcmp(st, "Success") || !strcmp(st, "Warning") || !strcmp(st, "Failed"), "%s", st);
    ck_assert_int_eq(ms_of(text(j, "lastRun")), t0);
    ck_assert_int_eq(ms_of(text(j, "lastEndTime")), end);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "lastDuration")), (end - t0) / 1000);
    task = json_array_get(json_object_get(j, "lastSessionTasks"), 0);
    ck_assert_str_eq(text(task, "status"), st);
    ck_assert_int_eq(json_integer_value(json_object_get(task, "processedObjects")),
                     json_integer_value(json_object_get(task, "totalObjects")));
    /* Success carries no failure text, the others one */
    ck_assert_int_eq(!strcmp(st, "Success"), !*text(j, "failureMessage"));
    session = last_session(uid);
    ck_assert_str_eq(text(session, "status"), st);
    json_decref(session);
    json_decref(j);
    free(uid);
}
END_TEST

START_TEST(test_stop_acts_at_once)
{
    char *uid = idle_job();
    start(uid, "start");
    advance(60);
    start(uid, "stop");
    json_t *j = job(uid);
    ck_assert_str_eq(text(j, "status"), "Idle");
    ck_assert_int_eq(ms_of(text(j, "lastEndTime")), now_ms());
    json_decref(j);
    json_t *session = last_session(uid);
    ck_assert_str_eq(text(session, "status"), "Stopped");
    json_decref(session);
    free(uid);
}
END_TEST

/* The active alarm naming job uid, or NULL. */
static json_t *alarm_of(const char *uid)
{
    json_t *doc = ok("GET", "/alarms/active?limit=500");
    size_t i;
    json_t *a, *found = NULL;
    json_array_foreach(json_object_get(doc, "data"), i, a)
        if (!strcmp(or_empty(text(json_object_get(a, "object"), "objectUid")), uid))
            found = json_incref(a);
    json_decref(doc);
    return found;
}

/* Runs the job by hand to the end of its session; its result. */
static char *run_once(const char *uid)
{
    start(uid, "retry");
    json_t *session = last_session(uid);
    ck_assert_str_eq(text(session, "status"), "Running");
    json_decref(session);
    advance(3601); /* the longest a session of simulation.json takes, and a second */
    session = last_session(uid);
    char *result = strdup(text(session, "status"));
    json_decref(session);
    return result;
}

/* A backup server job not running and named by no active alarm (the world
 * has alarms on some jobs: alarm objects are real records). */
static char *quiet_job(void)
{
    json_t *doc = ok("GET", "/infrastructure/backupServers/jobs?limit=100");
    size_t i;
    json_t *j;
    char *uid = NULL;
    json_array_foreach(json_object_get(doc, "data"), i, j) {
        json_t *alarm = alarm_of(text(j, "instanceUid"));
        json_decref(alarm);
        if (!alarm && strcmp(text(j, "status"), "Running")) {
            uid = strdup(text(j, "instanceUid"));
            break;
        }
    }
    json_decref(doc);
    ck_assert_msg(uid, "a backup server job that is idle and without an alarm");
    return uid;
}

START_TEST(test_failure_raises_and_success_resolves)
{
    char *uid = quiet_job();
    ck_assert_ptr_null(alarm_of(uid));
    bool failed = false, resolved = false;
    for (int i = 0; i < 120 && !resolved; i++) {
        char *result = run_once(uid);
        json_t *alarm = alarm_of(uid);
        if (!strcmp(result, "Failed")) {
            failed = true;
            ck_assert_ptr_nonnull(alarm);
            json_t *act = json_object_get(alarm, "lastActivation");
            ck_assert_str_eq(text(act, "status"), "Error");
            ck_assert_ptr_nonnull(strstr(text(act, "message"), "failed"));
            ck_assert_str_eq(text(json_object_get(alarm, "object"), "type"), "BackupServerJob");
            /* the template it names exists */
            char path[160];
            snprintf(path, sizeof path, "/alarms/templates/%s", text(alarm, "alarmTemplateUid"));
            long status;
            json_t *t = call_on(&server, "GET", path, &status);
            ck_assert_int_eq(status, 200);
            json_decref(t);
        } else if (failed && !strcmp(result, "Success")) {
            ck_assert_ptr_nonnull(alarm);
            ck_assert_str_eq(text(json_object_get(alarm, "lastActivation"), "status"), "Resolved");
            resolved = true;
        } else if (!failed) {
            ck_assert_ptr_null(alarm); /* no failure yet, no alarm */
        }
        json_decref(alarm);
        free(result);
    }
    ck_assert_msg(failed && resolved, "no failure then success in 120 runs");
    free(uid);
}
END_TEST

START_TEST(test_month_end_closes_invoices)
{
    const char *list = "/organizations/companies/" ALPHA "/billing/invoices?fromDate=2025-01-01&toDate=2027-12-31";
    json_t *before = ok("GET", list);
    size_t n0 = json_array_size(json_object_get(before, "data"));
    json_decref(before);
    /* the manual clock starts 12 hours before December: November closes */
    advance(12 * 3600 + 60);
    json_t *after = ok("GET", list);
    json_t *data = json_object_get(after, "data");
    ck_assert_uint_eq(json_array_size(data), n0 + 1);
    json_t *inv = NULL, *i;
    size_t k;
    json_array_foreach(data, k, i)
        if (strstr(or_empty(text(i, "name")), "November 2026"))
            inv = i;
    ck_assert_ptr_nonnull(inv);
    ck_assert_str_eq(text(inv, "status"), "Unpaid");
    ck_assert_str_eq(text(inv, "organizationUid"), ALPHA);
    ck_assert_str_eq(text(inv, "creationDate"), "2026-12-01T00:00:00.0000000+00:00");
    json_t *d = json_object_get(inv, "data");
    ck_assert_str_eq(text(json_object_get(d, "period"), "fromDate"),
                     "2026-11-01T00:00:00.0000000+00:00");
    double net = 0, gross = 0, tax = 0;
    json_t *c;
    json_array_foreach(json_object_get(d, "charges"), k, c) {
        double cn = json_number_value(json_object_get(c, "net"));
        double ct = json_number_value(json_object_get(c, "tax"));
        double cg = json_number_value(json_object_get(c, "gross"));
        ck_assert(fabs(cn + ct - cg) < 0.011);
        net += cn, tax += ct, gross += cg;
    }
    ck_assert_uint_gt(json_array_size(json_object_get(d, "charges")), 0);
    ck_assert(fabs(net - json_number_value(json_object_get(d, "totalNet"))) < 0.011);
    ck_assert(fabs(gross - json_number_value(json_object_get(d, "totalGross"))) < 0.011);
    ck_assert(fabs(gross - json_number_value(json_object_get(inv, "amount"))) < 0.011);
    /* the plan's currency */
    char path[160];
    snprintf(path, sizeof path, "/organizations/companies/%s", ALPHA);
    json_t *company = ok("GET", path);
    snprintf(path, sizeof path, "/subscriptionPlans/%s",
             text(json_object_get(company, "data"), "subscriptionPlanUid"));
    json_t *plan = ok("GET", path);
    ck_assert_str_eq(text(inv, "currencyCode"), text(json_object_get(plan, "data"), "currency"));
    json_decref(plan);
    json_decref(company);
    json_decref(after);
    /* a day later, no second invoice for November */
    advance(86400);
    after = ok("GET", list);
    ck_assert_uint_eq(json_array_size(json_object_get(after, "data")), n0 + 1);
    json_decref(after);
}
END_TEST

START_TEST(test_agents_heartbeat_or_go_stale)
{
    advance(3600);
    long long now = now_ms();
    json_t *doc = ok("GET", "/infrastructure/managementAgents?limit=100");
    size_t i;
    json_t *a;
    size_t n = 0;
    json_array_foreach(json_object_get(doc, "data"), i, a) {
        long long beat = ms_of(text(a, "lastHeartbeatTime"));
        if (!strcmp(text(a, "connectionStatus"), "Online")) {
            ck_assert(beat <= now && now - beat < 300 * 1000);
        } else if (now - beat >= 1800 * 1000) {
            ck_assert_str_eq(text(a, "status"), "Inaccessible");
        }
        ck_assert(beat <= now); /* never a heartbeat from the future */
        n++;
    }
    ck_assert_uint_gt(n, 0);
    json_decref(doc);
}
END_TEST

/* The records of a list (limit 500). */
static json_t *list(const char *path)
{
    char full[256];
    snprintf(full, sizeof full, "%s%slimit=500", path, strchr(path, '?') ? "&" : "?");
    json_t *doc = ok("GET", full);
    json_t *data = json_incref(json_object_get(doc, "data"));
    json_decref(doc);
    return data;
}

START_TEST(test_counters_follow_the_world)
{
    advance(86400);
    static const char *const job_lists[] = {
        "/infrastructure/backupAgents/jobs", "/infrastructure/backupAgents/windows/jobs",
        "/infrastructure/backupAgents/linux/jobs", "/infrastructure/backupAgents/mac/jobs"};
    json_t *jobs[4];
    for (int l = 0; l < 4; l++)
        jobs[l] = list(job_lists[l]);
    json_t *agents = list("/infrastructure/backupAgents");
    json_t *managers = list("/infrastructure/managementAgents");
    size_t i, k, counted = 0, mirrored = 0;
    json_t *a, *j;
    json_array_foreach(agents, i, a) {
        long total = 0, running = 0, success = 0;
        for (int l = 0; l < 4; l++)
            json_array_foreach(jobs[l], k, j)
                if (!strcmp(or_empty(text(j, "backupAgentUid")), text(a, "instanceUid"))) {
                    total++;
                    running += !strcmp(text(j, "status"), "Running");
                    success += !strcmp(text(j, "status"), "Success");
                }
        if (total) {
            ck_assert_int_eq(json_integer_value(json_object_get(a, "totalJobsCount")), total);
            ck_assert_int_eq(json_integer_value(json_object_get(a, "runningJobsCount")), running);
            ck_assert_int_eq(json_integer_value(json_object_get(a, "successJobsCount")), success);
            counted++;
        }
        json_t *m;
        json_array_foreach(managers, k, m)
            if (!strcmp(or_empty(text(a, "managementAgentUid")), text(m, "instanceUid"))) {
                ck_assert_str_eq(text(a, "managementAgentStatus"), text(m, "status"));
                mirrored++;
            }
    }
    ck_assert_uint_gt(counted, 0);
    ck_assert_uint_gt(mirrored, 0);
    /* a day of successful runs filled the repositories, within capacity */
    json_t *repos = list("/infrastructure/backupServers/repositories");
    long long used = 0;
    json_array_foreach(repos, i, a) {
        json_t *info = json_object_get(a, "_embedded");
        if (!json_is_object(info))
            continue;
        long long u = json_integer_value(json_object_get(info, "usedSpace"));
        long long f = json_integer_value(json_object_get(info, "freeSpace"));
        long long c = json_integer_value(json_object_get(info, "capacity"));
        ck_assert(u >= 0 && f >= 0 && (f == 0 || u + f == c));
        used += u;
    }
    ck_assert(used > 0);
    json_decref(repos);
    json_decref(managers);
    json_decref(agents);
    for (int l = 0; l < 4; l++)
        json_decref(jobs[l]);
}
END_TEST

/* The value of a usage record's counter of that type (-1: none). */
static long long counter(const json_t *usage, const char *type)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(usage, "counters"), i, c)
        if (!strcmp(or_empty(text(c, "type")), type))
            return json_integer_value(json_object_get(c, "value"));
    return -1;
}

/* The record of a list whose member `key` is uid (borrowed), or NULL. */
static json_t *find_by(const json_t *records, const char *key, const char *uid)
{
    size_t i;
    json_t *r;
    json_array_foreach(records, i, r)
        if (!strcmp(or_empty(text(r, key)), uid))
            return r;
    return NULL;
}

/* A licence usage record's used count of a workload platform (0: none). */
static long long platform_used(const json_t *license, const char *type_id)
{
    long long n = 0;
    size_t i, j, k;
    json_t *server, *w, *p;
    json_array_foreach(json_object_get(license, "servers"), i, server)
        json_array_foreach(json_object_get(server, "workloads"), j, w)
            json_array_foreach(json_object_get(w, "workloadsByPlatform"), k, p)
                if (!strcmp(or_empty(text(p, "typeId")), type_id))
                    n += json_integer_value(json_object_get(p, "usedCount"));
    return n;
}

/* Every company's services usage counts its backup agents by mode and
 * platform, a reseller's is the sum of its companies', the licence usage
 * counts the same agents per platform; a deleted agent leaves the counts
 * at the next day's recount, whose date is that day. */
START_TEST(test_usage_follows_the_world)
{
    json_t *agents = list("/infrastructure/backupAgents");
    json_t *usage = list("/organizations/companies/usage");
    json_t *resellers = list("/organizations/resellers/usage");
    json_t *licenses = list("/licensing/usage/organizations");
    size_t i, k;
    json_t *u, *a;
    ck_assert_uint_gt(json_array_size(usage), 1);
    json_array_foreach(usage, i, u) {
        long long ws = 0, sv = 0, win_desktop = 0, linux_ = 0;
        json_array_foreach(agents, k, a) {
            if (strcmp(or_empty(text(a, "organizationUid")), text(u, "companyUid")))
                continue;
            bool workstation = !strcmp(or_empty(text(a, "operationMode")), "Workstation");
            ws += workstation;
            sv += !strcmp(or_empty(text(a, "operationMode")), "Server");
            win_desktop += workstation && !strcmp(or_empty(text(a, "agentPlatform")), "Windows");
            linux_ += !strcmp(or_empty(text(a, "agentPlatform")), "Linux");
        }
        ck_assert_int_eq(counter(u, "ManagedWorkstationAgents"), ws);
        ck_assert_int_eq(counter(u, "ManagedServerAgents"), sv);
        ck_assert_int_eq(counter(u, "ManagedAgentsWindowsDesktopOS"), win_desktop);
        ck_assert_int_eq(counter(u, "ManagedAgentsLinuxOS"), linux_);
        json_t *license = find_by(licenses, "organizationUid", text(u, "companyUid"));
        ck_assert_ptr_nonnull(license);
        ck_assert_str_eq(text(license, "organizationType"), "Company");
        ck_assert_int_eq(platform_used(license, "WindowsWorkstation"), win_desktop);
    }
    json_t *r;
    json_array_foreach(resellers, i, r) {
        long long sum = 0;
        json_array_foreach(usage, k, u)
            if (!strcmp(or_empty(text(u, "resellerUid")), text(r, "resellerUid")))
                sum += counter(u, "ManagedWorkstationAgents");
        ck_assert_int_eq(counter(r, "ManagedWorkstationAgents"), sum);
    }
    /* one of Alpha's workstation agents goes */
    json_t *alpha = find_by(usage, "companyUid", ALPHA);
    ck_assert_ptr_nonnull(alpha);
    long long before = counter(alpha, "ManagedWorkstationAgents");
    const char *reseller = text(alpha, "resellerUid");
    long long reseller_before = counter(find_by(resellers, "resellerUid", reseller),
                                        "ManagedWorkstationAgents");
    const char *gone = NULL;
    json_array_foreach(agents, k, a)
        if (!strcmp(or_empty(text(a, "organizationUid")), ALPHA) &&
            !strcmp(or_empty(text(a, "operationMode")), "Workstation"))
            gone = text(a, "instanceUid");
    ck_assert_ptr_nonnull(gone);
    char path[160];
    snprintf(path, sizeof path, "/infrastructure/backupAgents/%s", gone);
    json_decref(ok("DELETE", path));
    advance(86400);
    json_t *usage2 = list("/organizations/companies/usage");
    json_t *resellers2 = list("/organizations/resellers/usage");
    json_t *alpha2 = find_by(usage2, "companyUid", ALPHA);
    ck_assert_int_eq(counter(alpha2, "ManagedWorkstationAgents"), before - 1);
    ck_assert_int_eq(counter(find_by(resellers2, "resellerUid", reseller), "ManagedWorkstationAgents"),
                     reseller_before - 1);
    ck_assert_str_eq(text(alpha2, "date"), "2026-12-01");
    ck_assert_str_eq(text(alpha, "date"), "2026-11-30");
    json_decref(resellers2);
    json_decref(usage2);
    json_decref(licenses);
    json_decref(resellers);
    json_decref(usage);
    json_decref(agents);
}
END_TEST

static char *body_of(const test_server *s, const char *path)
{
    long status;
    char url[512];
    snprintf(url, sizeof url, "%s%s%s", s->base, strncmp(path, "/_emulator", 10) ? "/api/v3" : "",
             path);
    const char *headers[] = {
        strncmp(path, "/_emulator", 10) ? NULL : "Authorization: Bearer " TEST_ADMIN_SECRET, NULL};
    http_result r;
    ck_assert(http_call("GET", url, headers, NULL, 0, NULL, &r));
    status = r.status;
    ck_assert_int_eq(status, 200);
    char *out = strdup(r.body);
    http_result_free(&r);
    return out;
}

START_TEST(test_same_seed_same_steps_same_world)
{
    static const char *const paths[] = {
        "/infrastructure/backupServers/jobs?limit=100", "/infrastructure/backupAgents/jobs",
        "/infrastructure/vb365Servers/organizations/jobs", "/alarms/active?limit=500",
        "/infrastructure/managementAgents", "/organizations/companies/" ALPHA "/billing/invoices?fromDate=2025-01-01&toDate=2027-12-31",
        "/organizations/companies/usage", "/licensing/usage/organizations",
        "/_emulator/clock"};
    char *bodies[2][sizeof paths / sizeof paths[0]];
    for (int run = 0; run < 2; run++) {
        test_server s;
        server_start(&s, NULL);
        char path[200];
        char *uid = NULL;
        {
            char *first = body_of(&s, "/infrastructure/backupServers/jobs?limit=1");
            json_t *doc = json_loads(first, 0, NULL);
            uid = strdup(text(json_array_get(json_object_get(doc, "data"), 0), "instanceUid"));
            json_decref(doc);
            free(first);
        }
        snprintf(path, sizeof path, "%s/api/v3/infrastructure/backupServers/jobs/%s/start", s.base,
                 uid);
        http_result r;
        ck_assert(http_call("POST", path, NULL, NULL, 0, NULL, &r));
        http_result_free(&r);
        advance_on(&s, 600);
        advance_on(&s, 6 * 3600);
        advance_on(&s, 20 * 3600);
        for (size_t p = 0; p < sizeof paths / sizeof paths[0]; p++)
            bodies[run][p] = body_of(&s, paths[p]);
        free(uid);
        server_stop(&s);
    }
    for (size_t p = 0; p < sizeof paths / sizeof paths[0]; p++) {
        ck_assert_msg(!strcmp(bodies[0][p], bodies[1][p]), "%s differs", paths[p]);
        free(bodies[0][p]);
        free(bodies[1][p]);
    }
}
END_TEST

/* PUT /_emulator/clock on s with body; the answer parsed, its status. */
static json_t *set_clock_on(const test_server *s, const char *body, long *status)
{
    char url[256];
    snprintf(url, sizeof url, "%s/_emulator/clock", s->base);
    const char *headers[] = {"Content-Type: application/json",
                             "Authorization: Bearer " TEST_ADMIN_SECRET, NULL};
    http_result r;
    ck_assert(http_call("PUT", url, headers, body, strlen(body), NULL, &r));
    *status = r.status;
    json_t *doc = json_loadb(r.body ? r.body : "", r.len, 0, NULL);
    http_result_free(&r);
    return doc;
}

static const char *error_name(const json_t *doc)
{
    const json_t *e = json_array_get(json_object_get(doc, "errors"), 0);
    return or_empty(text(e, "propertyName") ? text(e, "propertyName") : text(e, "parameterName"));
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* The clock's speed is set while the server runs, without a jump: manual
 * to fast moves on from the manual time, fast to manual stops where it
 * is, real follows the wall unless the simulated time is ahead of it. */
START_TEST(test_clock_speed_is_set_at_run_time)
{
    long status;
    long long t0 = now_ms();
    json_t *doc = set_clock_on(&server, "{\"mode\": \"fast:3600\"}", &status);
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(text(json_object_get(doc, "data"), "mode"), "fast:3600");
    long long t1 = json_integer_value(json_object_get(json_object_get(doc, "data"), "nowMs"));
    ck_assert(t1 >= t0 && t1 - t0 < 3600 * 1000); /* no jump: on from the manual time */
    json_decref(doc);
    sleep_ms(1200);
    long long t2 = now_ms();
    ck_assert_msg(t2 - t1 >= 3600 * 1000, "an hour a second: moved %lld ms", t2 - t1);
    /* a moving clock is not advanced by hand */
    doc = call_on(&server, "POST", "/_emulator/clock/advance?seconds=10", &status);
    ck_assert_int_eq(status, 400);
    json_decref(doc);
    /* manual stops it where it is, and advances move it again */
    doc = set_clock_on(&server, "{\"mode\": \"manual\"}", &status);
    ck_assert_int_eq(status, 200);
    json_decref(doc);
    long long t3 = now_ms();
    ck_assert(t3 >= t2);
    sleep_ms(300);
    ck_assert_int_eq(now_ms(), t3);
    advance(60);
    ck_assert_int_eq(now_ms(), t3 + 60000);
    /* real: the wall clock (the manual time is days behind it) */
    doc = set_clock_on(&server, "{\"mode\": \"real\"}", &status);
    ck_assert_int_eq(status, 200);
    json_decref(doc);
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    long long w = (long long)wall.tv_sec * 1000 + wall.tv_nsec / 1000000;
    ck_assert(llabs(now_ms() - w) < 5000);
    /* ahead of the wall, real is refused and nothing changes */
    json_decref(set_clock_on(&server, "{\"mode\": \"fast:100000\"}", &status));
    ck_assert_int_eq(status, 200);
    sleep_ms(500);
    doc = set_clock_on(&server, "{\"mode\": \"real\"}", &status);
    ck_assert_int_eq(status, 400);
    ck_assert_str_eq(error_name(doc), "mode");
    json_decref(doc);
    doc = ok("GET", "/_emulator/clock");
    ck_assert_str_eq(text(json_object_get(doc, "data"), "mode"), "fast:100000");
    json_decref(doc);
    /* bad input names the property */
    static const char *const bad[] = {"{\"mode\": \"fast:0\"}", "{\"mode\": \"slow\"}",
                                      "{\"mode\": 60}", "{}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        doc = set_clock_on(&server, bad[i], &status);
        ck_assert_msg(status == 400 && !strcmp(error_name(doc), "mode"), "%s: %ld", bad[i], status);
        json_decref(doc);
    }
    doc = set_clock_on(&server, "not json", &status);
    ck_assert_int_eq(status, 400);
    json_decref(doc);
    json_decref(set_clock_on(&server, "{\"mode\": \"manual\"}", &status));
    ck_assert_int_eq(status, 200);
}
END_TEST

START_TEST(test_advance_is_refused_off_manual)
{
    test_server s;
    const char *args[] = {"--clock", "fast:60", NULL};
    server_start(&s, args);
    long status;
    json_t *doc = call_on(&s, "POST", "/_emulator/clock/advance?seconds=10", &status);
    ck_assert_int_eq(status, 400);
    json_decref(doc);
    doc = call_on(&s, "GET", "/_emulator/clock", &status);
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(text(json_object_get(doc, "data"), "mode"), "fast:60");
    json_decref(doc);
    doc = call_on(&s, "POST", "/_emulator/clock/advance?seconds=ten", &status);
    ck_assert_int_eq(status, 400);
    json_decref(doc);
    server_stop(&s);
}
END_TEST

static Suite *simulation_suite(void)
{
    Suite *s = suite_create("http_simulation");
    TCase *tc = tcase_create("simulation");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_start_runs_a_session);
    tcase_add_test(tc, test_stop_acts_at_once);
    tcase_add_test(tc, test_failure_raises_and_success_resolves);
    tcase_add_test(tc, test_month_end_closes_invoices);
    tcase_add_test(tc, test_agents_heartbeat_or_go_stale);
    tcase_add_test(tc, test_counters_follow_the_world);
    tcase_add_test(tc, test_usage_follows_the_world);
    suite_add_tcase(s, tc);
    TCase *tw = tcase_create("worlds");
    tcase_set_timeout(tw, 120);
    tcase_add_test(tw, test_same_seed_same_steps_same_world);
    tcase_add_test(tw, test_advance_is_refused_off_manual);
    tcase_add_test(tc, test_clock_speed_is_set_at_run_time);
    suite_add_tcase(s, tw);
    return s;
}

int main(void)
{
    return test_run_suite(simulation_suite(), CK_FORK);
}
