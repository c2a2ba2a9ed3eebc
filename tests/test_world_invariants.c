/* test_world_invariants.c — the invariants of schema/invariants.json: each
 * kind reports a record that breaks it and not the repaired one; every
 * record of the default world and of a 1,000-company world keeps every
 * rule (the failures name type, UID, rule and where). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json_pointer.h"
#include "contract/entities.h"
#include "store/records.h"
#include "store/store.h"
#include "testutil.h"
#include "world/fixtures.h"
#include "world/invariants.h"
#include "world/new_records.h"
#include "world/timestamps.h"
#include "world/world.h"

static contract *c;
static entity_model *m;
static json_t *fixtures;
static invariants *rules;
/* a fixed present, so what is "past" does not depend on the machine */
static const time_t NOW = 1764672000; /* 2025-12-02T10:40:00Z */

static void setup(void)
{
    c = test_load_contract("3.6.1");
    m = test_model_of(c);
    char err[256];
    fixtures = test_load_fixtures();
    ck_assert_msg(fixtures_check(fixtures, m, err, sizeof err), "%s", err);
    rules = invariants_load(test_schema_dir(), err, sizeof err);
    ck_assert_msg(rules != NULL, "%s", err);
}

static void teardown(void)
{
    invariants_free(rules);
    json_decref(fixtures);
    entities_free(m);
    contract_free(c);
}

/* A store in a new folder of /tmp (dir receives it), and its end. */
#define TEMP_DIR_LEN 64
static store *temp_store(char dir[TEMP_DIR_LEN])
{
    char db[128], err[256];
    snprintf(dir, TEMP_DIR_LEN, "/tmp/vspc-inv-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/vspc.db", dir);
    store *st = store_open(db, err, sizeof err);
    ck_assert_msg(st != NULL, "%s", err);
    return st;
}

static void drop_temp_store(store *st, const char *dir)
{
    store_close(st);
    test_rm_rf(dir);
}

/* The rules broken by the record given as JSON text (as type), as a
 * string "rule@at rule@at ...", and their number. */
static size_t broken(const char *type, json_t *record, char *out, size_t len)
{
    json_t *v = json_array();
    size_t n = invariants_check(rules, record, type, NOW, v);
    out[0] = 0;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
        size_t used = strlen(out);
        snprintf(out + used, len - used, "%s@%s ", json_string_value(json_object_get(x, "rule")),
                 json_string_value(json_object_get(x, "at")));
    }
    json_decref(v);
    return n;
}

/* The record breaks rule (and only rules listed in also), and after
 * invariants_keep breaks nothing. Returns the repaired record. */
static json_t *breaks_then_kept(const char *type, const char *text, const char *rule)
{
    json_error_t jerr;
    json_t *record = json_loads(text, 0, &jerr);
    ck_assert_msg(record != NULL, "%s: %s", text, jerr.text);
    char got[2048];
    size_t n = broken(type, record, got, sizeof got);
    ck_assert_msg(n > 0 && strstr(got, rule), "%s should break %s; broke: %s", text, rule, got);
    invariants_keep(rules, record, type, NOW, 42);
    n = broken(type, record, got, sizeof got);
    ck_assert_msg(n == 0, "%s still breaks after repair: %s (%s)", text, got,
                  json_dumps(record, JSON_COMPACT));
    return record;
}

static double time_of(const json_t *record, const char *member)
{
    double t = 0;
    ck_assert(ts_parse(json_string_value(json_object_get(record, member)), &t));
    return t;
}

START_TEST(timestamps_round_trip)
{
    double t;
    ck_assert(ts_parse("2023-01-16T16:30:09.4952609+01:00", &t));
    char out[48];
    ck_assert(ts_normalize("2023-01-16T16:30:09.4952609+01:00", out, sizeof out));
    ck_assert_str_eq(out, "2023-01-16T15:30:09.4952609+00:00");
    ts_format(t, out, sizeof out);
    ck_assert_str_eq(out, "2023-01-16T15:30:09.4952610+00:00"); /* a double keeps ~1 us */
    ck_assert(ts_is_vspc(out));
    ck_assert(!ts_is_vspc("2023-01-16T15:30:09Z"));
    ck_assert(ts_parse("2023-01-16T15:30:09Z", &t));
    ts_format(t, out, sizeof out);
    ck_assert_str_eq(out, "2023-01-16T15:30:09.0000000+00:00");
    ck_assert(ts_parse("1969-12-31T23:59:59Z", &t));
    ck_assert(t == -1);
    ck_assert(!ts_parse("10:30", &t));
    ck_assert(!ts_parse("2023-13-01", &t));
}
END_TEST

START_TEST(rules_are_many_and_well_formed)
{
    ck_assert_uint_ge(invariants_count(rules), 60);
    char err[256];
    json_t *bad = json_pack("{s:[{s:s,s:s,s:[s],s:s}]}", "rules", "id", "x", "kind", "nonsense",
                            "properties", "a", "why", "because");
    ck_assert_ptr_null(invariants_from_json(bad, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "unknown kind"));
    json_decref(bad);
    bad = json_pack("{s:[{s:s,s:s,s:[s]}]}", "rules", "id", "x", "kind", "order", "properties", "a");
    ck_assert_ptr_null(invariants_from_json(bad, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "why"));
    json_decref(bad);
}
END_TEST

START_TEST(kind_format)
{
    json_t *r = breaks_then_kept("BackupServerJob", "{\"creationTime\":\"2024-03-01T10:00:00Z\"}",
                                 "datetime.vspc-format");
    ck_assert_str_eq(json_string_value(json_object_get(r, "creationTime")),
                     "2024-03-01T10:00:00.0000000+00:00");
    json_decref(r);
}
END_TEST

START_TEST(kind_order_times)
{
    /* ends before it starts, and the start is in the future */
    json_t *r = breaks_then_kept(
        "BackupServerJob",
        "{\"lastSessionTasks\":[{\"startTime\":\"2031-01-01T00:00:00.0000000+00:00\","
        "\"endTime\":\"2024-01-01T00:00:00.0000000+00:00\",\"status\":\"Success\"}]}",
        "time.session-start-end");
    json_t *task = json_array_get(json_object_get(r, "lastSessionTasks"), 0);
    ck_assert(time_of(task, "startTime") <= time_of(task, "endTime"));
    ck_assert(time_of(task, "endTime") <= (double)NOW);
    json_decref(r);
    /* a session that lasted a year lasts a day at most */
    r = breaks_then_kept("BackupServerJobSessionTask",
                         "{\"startTime\":\"2024-01-01T00:00:00.0000000+00:00\","
                         "\"endTime\":\"2025-01-01T00:00:00.0000000+00:00\",\"status\":\"Success\"}",
                         "time.session-start-end");
    ck_assert(time_of(r, "endTime") - time_of(r, "startTime") <= 86400);
    ck_assert(time_of(r, "endTime") - time_of(r, "startTime") >= 0);
    json_decref(r);
    r = breaks_then_kept("BackupAgentJob",
                         "{\"isEnabled\":false,\"nextRun\":\"2031-05-05T00:00:00.0000000+00:00\"}",
                         "time.disabled-job-no-next-run");
    ck_assert(json_is_null(json_object_get(r, "nextRun")));
    json_decref(r);
    r = breaks_then_kept("BackupAgentJob", "{\"nextRun\":\"2020-05-05T00:00:00.0000000+00:00\"}",
                         "time.next-run-future");
    ck_assert(time_of(r, "nextRun") > (double)NOW);
    json_decref(r);
}
END_TEST

START_TEST(kind_order_counts)
{
    json_t *r = breaks_then_kept("BackupServerJobSessionTask",
                                 "{\"totalObjects\":3,\"processedObjects\":9}",
                                 "count.processed-le-total");
    ck_assert_int_le(json_integer_value(json_object_get(r, "processedObjects")),
                     json_integer_value(json_object_get(r, "totalObjects")));
    json_decref(r);
}
END_TEST

START_TEST(kind_range)
{
    json_t *r = breaks_then_kept("BackupServerJob",
                                 "{\"schedule\":{\"days\":[{\"day\":\"Monday\",\"hours\":[1,31,47]}]},"
                                 "\"completePercentage\":140}",
                                 "range.schedule-hours");
    json_t *hours = json_object_get(json_array_get(json_object_get(json_object_get(r, "schedule"), "days"), 0), "hours");
    ck_assert_int_eq(json_integer_value(json_array_get(hours, 1)), 7);
    ck_assert_int_eq(json_integer_value(json_array_get(hours, 2)), 23);
    json_decref(r);
}
END_TEST

START_TEST(kind_sums)
{
    json_t *r = breaks_then_kept(
        "Invoice",
        "{\"amount\":5,\"data\":{\"charges\":[{\"net\":100,\"tax\":20,\"gross\":90,\"discount\":0},"
        "{\"net\":50.5,\"tax\":10.1,\"gross\":1,\"discount\":0}],\"totalNet\":1,\"totalGross\":2,"
        "\"totalTax\":3,\"totalDiscount\":4}}",
        "sum.charge-gross");
    json_t *data = json_object_get(r, "data");
    ck_assert_double_eq_tol(json_number_value(json_object_get(data, "totalGross")), 180.6, 0.001);
    ck_assert_double_eq_tol(json_number_value(json_object_get(data, "totalNet")), 150.5, 0.001);
    ck_assert_double_eq_tol(json_number_value(json_object_get(r, "amount")), 180.6, 0.001);
    json_decref(r);
}
END_TEST

START_TEST(kind_message)
{
    json_t *r = breaks_then_kept("BackupServerJob",
                                 "{\"status\":\"Success\",\"failureMessage\":\"Disk on fire\"}",
                                 "state.job-failure-message");
    ck_assert_str_eq(json_string_value(json_object_get(r, "failureMessage")), "");
    json_decref(r);
    r = breaks_then_kept("BackupServerJob", "{\"status\":\"Failed\",\"failureMessage\":null}",
                         "state.job-failure-message");
    ck_assert_uint_gt(strlen(json_string_value(json_object_get(r, "failureMessage"))), 10);
    json_decref(r);
}
END_TEST

START_TEST(kind_text_os_and_version)
{
    json_t *r = breaks_then_kept("ManagementAgent",
                                 "{\"version\":\"3.2.1\",\"computerInfo\":{\"guestOsType\":\"Server\","
                                 "\"guestOs\":\"Ubuntu 22.04\"}}",
                                 "os.computer-windows-server");
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(json_object_get(r, "computerInfo"),
                                                                   "guestOs")),
                                 "Windows"));
    ck_assert(!strncmp(json_string_value(json_object_get(r, "version")), "9.", 2));
    json_decref(r);
}
END_TEST

START_TEST(kind_leading_number)
{
    json_t *r = breaks_then_kept("Vb365Server", "{\"version\":\"8.1.0.305\",\"majorVersion\":7}",
                                 "version.vb365-server-major");
    ck_assert_int_eq(json_integer_value(json_object_get(r, "majorVersion")), 8);
    json_decref(r);
}
END_TEST

/* same_as_ref between stored records: an invoice takes its plan's
 * currency; a user's address moves to its organization's domain and keeps
 * its own name (part "domain"). */
START_TEST(kind_same_as_ref_between_records)
{
    char dir[TEMP_DIR_LEN];
    store *st = temp_store(dir);
    static const char *const rows[][3] = {
        {"Organization", "o1", "{\"instanceUid\":\"o1\",\"email\":\"it@contoso.example\"}"},
        {"User", "u1", "{\"instanceUid\":\"u1\",\"organizationUid\":\"o1\","
                       "\"profile\":{\"email\":\"j.doe@wrong.example\"}}"},
        {"User", "u2", "{\"instanceUid\":\"u2\",\"organizationUid\":\"o1\","
                       "\"profile\":{\"email\":\"a.b@CONTOSO.example\"}}"},
        {"SubscriptionPlan", "p1", "{\"instanceUid\":\"p1\",\"currency\":\"EUR\"}"},
        {"Invoice", "i1", "{\"instanceUid\":\"i1\",\"subscriptionPlanUid\":\"p1\","
                          "\"currencyCode\":\"USD\"}"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        json_t *body = json_loads(rows[i][2], 0, NULL);
        store_record rec = {.type = rows[i][0], .uid = rows[i][1], .body = body};
        ck_assert_int_eq(store_put(st, &rec, false), STORE_OK);
        json_decref(body);
    }
    json_t *v = json_array();
    ck_assert(invariants_check_store(rules, st, NOW, v));
    char *seen = json_dumps(v, JSON_COMPACT);
    ck_assert_msg(json_array_size(v) == 2 && strstr(seen, "state.user-email-domain") &&
                      strstr(seen, "\"u1\"") && !strstr(seen, "\"u2\""),
                  "%s", seen); /* u2: the same domain, in other case */
    free(seen);
    json_decref(v);
    ck_assert(invariants_keep_store(rules, st, NOW));
    json_t *u1 = NULL, *i1 = NULL;
    ck_assert_int_eq(store_get(st, "User", "u1", &u1, NULL), STORE_OK);
    ck_assert_str_eq(json_string_value(json_pointer_get(u1, "/profile/email")),
                     "j.doe@contoso.example");
    ck_assert_int_eq(store_get(st, "Invoice", "i1", &i1, NULL), STORE_OK);
    ck_assert_str_eq(json_string_value(json_object_get(i1, "currencyCode")), "EUR");
    v = json_array();
    ck_assert(invariants_check_store(rules, st, NOW, v));
    ck_assert_uint_eq(json_array_size(v), 0);
    json_decref(v);
    json_decref(u1);
    json_decref(i1);
    drop_temp_store(st, dir);
}
END_TEST

START_TEST(kind_empty_recent_running)
{
    json_t *r = breaks_then_kept("Invoice",
                                 "{\"status\":\"Unpaid\",\"creationDate\":\"2025-01-01T00:00:00.0000000+00:00\","
                                 "\"paidDate\":\"2024-01-01T00:00:00.0000000+00:00\"}",
                                 "time.invoice-unpaid-no-paid-date");
    ck_assert(json_is_null(json_object_get(r, "paidDate")));
    json_decref(r);
    r = breaks_then_kept("ManagementAgent",
                         "{\"status\":\"Healthy\",\"lastHeartbeatTime\":\"2025-01-02T00:00:00.0000000+00:00\"}",
                         "time.agent-heartbeat-recent");
    ck_assert((double)NOW - time_of(r, "lastHeartbeatTime") <= 900);
    json_decref(r);
    r = breaks_then_kept("ManagementAgent",
                         "{\"status\":\"Inaccessible\",\"connectionStatus\":\"Online\","
                         "\"lastHeartbeatTime\":\"2025-12-02T10:39:00.0000000+00:00\"}",
                         "time.agent-heartbeat-stale");
    ck_assert((double)NOW - time_of(r, "lastHeartbeatTime") >= 3600);
    ck_assert_str_eq(json_string_value(json_object_get(r, "connectionStatus")), "Inaccessible");
    json_decref(r);
    r = breaks_then_kept("BackupServerJob",
                         "{\"status\":\"Running\",\"failureMessage\":\"\",\"lastSessionTasks\":"
                         "[{\"status\":\"Success\",\"endTime\":null}]}",
                         "count.running-job-has-session");
    json_decref(r);
    r = breaks_then_kept("BackupServerJob",
                         "{\"lastRun\":\"2025-11-01T00:00:00.0000000+00:00\",\"lastEndTime\":"
                         "\"2025-11-01T01:00:00.0000000+00:00\",\"lastDuration\":5}",
                         "time.job-last-duration");
    ck_assert_int_eq(json_integer_value(json_object_get(r, "lastDuration")), 3600);
    json_decref(r);
}
END_TEST

/* What the server generates for a create keeps every rule, for every
 * entity type; what the client sends stays as sent, even when it breaks
 * one. */
START_TEST(created_records_keep_the_rules)
{
    long kept = 0;
    for (size_t k = 0; k < m->count; k++) {
        const entity *e = &m->entities[k];
        for (uint64_t seed = 1; seed <= 10; seed++) {
            /* what records_build makes is schema-valid, and stays so */
            json_t *r = records_build(m, e, NULL, NULL, seed);
            if (!r)
                continue;
            const schema_ctx *ctx = &m->contract->schemas;
            bool valid = schema_validate(ctx, e->schema, r, NULL);
            invariants_keep(rules, r, e->name, 0, seed);
            schema_error why;
            ck_assert_msg(!valid || schema_validate(ctx, e->schema, r, &why),
                          "a new %s kept is no longer valid at %s: %s", e->name, why.path,
                          why.message);
            json_t *v = json_array();
            size_t n = invariants_check(rules, r, e->name, time(NULL), v);
            ck_assert_msg(n == 0, "a new %s breaks %s", e->name,
                          json_string_value(json_object_get(json_array_get(v, 0), "rule")));
            json_decref(v);
            json_decref(r);
            kept++;
        }
    }
    ck_assert_int_gt(kept, 500);
    const entity *job = entities_find(m, "BackupServerJob");
    ck_assert_ptr_nonnull(job);
    json_t *input = json_pack("{s:s,s:s}", "status", "Success", "failureMessage", "client's own text");
    json_t *r = new_record_build(rules, m, job, input, NULL, 3);
    ck_assert_str_eq(json_string_value(json_object_get(r, "failureMessage")), "client's own text");
    json_decref(r);
    json_decref(input);
}
END_TEST

/* Builds a world (rules kept) and walks every record of every type. */
static void walk_world(long companies, time_t now)
{
    char dir[TEMP_DIR_LEN], err[256];
    store *st = temp_store(dir);
    world_options o = {.seed = WORLD_DEFAULT_SEED, .companies = companies,
                       .per_entity = WORLD_DEFAULT_PER_ENTITY, .fixtures = fixtures, .now = now,
                       .rules = rules};
    world_stats stats;
    ck_assert_msg(world_build(st, m, &o, &stats, err, sizeof err), "%s", err);
    long records = 0, violations = 0;
    json_t *v = json_array();
    for (size_t k = 0; k < m->count; k++) {
        const entity *e = &m->entities[k];
        buf page;
        buf_init(&page);
        long total;
        ck_assert_int_eq(store_list(st, e->name, NULL, 0, -1, &total, &page), STORE_OK);
        json_t *all = json_loads(page.data, 0, NULL);
        buf_free(&page);
        size_t i;
        json_t *r;
        json_array_foreach(all, i, r) {
            records++;
            json_array_clear(v);
            if (invariants_check(rules, r, e->name, now, v) == 0)
                continue;
            const char *id = json_string_value(json_object_get(r, e->id_prop ? e->id_prop : "instanceUid"));
            size_t j;
            json_t *x;
            json_array_foreach(v, j, x) {
                if (violations++ < 40)
                    printf("violation: %s %s %s at %s\n", e->name, id ? id : "?",
                           json_string_value(json_object_get(x, "rule")),
                           json_string_value(json_object_get(x, "at")));
            }
        }
        json_decref(all);
    }
    json_array_clear(v);
    ck_assert(invariants_check_store(rules, st, NOW, v));
    size_t j;
    json_t *x;
    json_array_foreach(v, j, x) {
        if (violations++ < 60)
            printf("violation: %s %s %s at %s\n", json_string_value(json_object_get(x, "type")),
                   json_string_value(json_object_get(x, "uid")),
                   json_string_value(json_object_get(x, "rule")),
                   json_string_value(json_object_get(x, "at")));
    }
    json_decref(v);
    printf("%ld-company world: %ld records in %.0f ms, %zu rules, %ld violations\n", companies,
           records, stats.ms, invariants_count(rules), violations);
    ck_assert_int_gt(records, 500);
    ck_assert_int_eq(violations, 0);
    drop_temp_store(st, dir);
}

START_TEST(default_world_keeps_every_rule) { walk_world(WORLD_DEFAULT_COMPANIES, NOW); }
END_TEST

START_TEST(thousand_company_world_keeps_every_rule) { walk_world(1000, NOW); }
END_TEST

/* The server builds its world at the present time, whatever day that is:
 * the repairs must settle for any "now", not only the one above. */
START_TEST(default_world_keeps_every_rule_on_other_days)
{
    for (time_t k = 1; k <= 12; k++)
        walk_world(WORLD_DEFAULT_COMPANIES, NOW + k * (37 * 86400 + 3911));
    walk_world(WORLD_DEFAULT_COMPANIES, time(NULL));
}
END_TEST

/* Build time of a 1,000-company world without and with the rules kept,
 * taking turns, best of three each (so another process's burst, or a warm
 * cache, does not count for one side). */
static double build_ms(const invariants *iv)
{
    char dir[TEMP_DIR_LEN], err[256];
    store *st = temp_store(dir);
    world_options o = {.seed = WORLD_DEFAULT_SEED, .companies = 1000,
                       .per_entity = WORLD_DEFAULT_PER_ENTITY, .fixtures = fixtures, .now = NOW,
                       .rules = iv};
    world_stats stats;
    ck_assert_msg(world_build(st, m, &o, &stats, err, sizeof err), "%s", err);
    drop_temp_store(st, dir);
    return stats.ms;
}

START_TEST(keeping_costs_little)
{
    double without = 1e12, with = 1e12;
    for (int k = 0; k < 3; k++) {
        double a = build_ms(NULL), b = build_ms(rules);
        without = a < without ? a : without;
        with = b < with ? b : with;
    }
    printf("1000-company world build: %.0f ms without the rules, %.0f ms with (x%.2f)\n", without,
           with, with / without);
    ck_assert_double_lt(with, 3 * without + 100);
}
END_TEST

/* The invariants really bind generated data: without them, the default
 * world breaks many (the 18 of 45 jobs, 157 of 179 hours...). */
START_TEST(unkept_world_breaks_them)
{
    char dir[TEMP_DIR_LEN], err[256];
    store *st = temp_store(dir);
    world_options o = {.seed = WORLD_DEFAULT_SEED, .companies = WORLD_DEFAULT_COMPANIES,
                       .per_entity = WORLD_DEFAULT_PER_ENTITY, .fixtures = fixtures, .now = NOW};
    ck_assert_msg(world_build(st, m, &o, NULL, err, sizeof err), "%s", err);
    long violations = 0;
    json_t *v = json_array();
    for (size_t k = 0; k < m->count; k++) {
        buf page;
        buf_init(&page);
        long total;
        ck_assert_int_eq(store_list(st, m->entities[k].name, NULL, 0, -1, &total, &page), STORE_OK);
        json_t *all = json_loads(page.data, 0, NULL);
        buf_free(&page);
        size_t i;
        json_t *r;
        json_array_foreach(all, i, r) violations += (long)invariants_check(rules, r, m->entities[k].name, NOW, v);
        json_decref(all);
    }
    json_array_clear(v);
    ck_assert(invariants_check_store(rules, st, NOW, v));
    long between = (long)json_array_size(v);
    json_decref(v);
    printf("default world without the rules kept: %ld violations, %ld of them between records\n",
           violations + between, between);
    ck_assert_int_gt(violations, 100);
    ck_assert_int_gt(between, 0); /* an invoice in another currency than its plan */
    drop_temp_store(st, dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("world_invariants");
    TCase *tc = tcase_create("world_invariants");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, timestamps_round_trip);
    tcase_add_test(tc, rules_are_many_and_well_formed);
    tcase_add_test(tc, kind_format);
    tcase_add_test(tc, kind_order_times);
    tcase_add_test(tc, kind_order_counts);
    tcase_add_test(tc, kind_range);
    tcase_add_test(tc, kind_sums);
    tcase_add_test(tc, kind_message);
    tcase_add_test(tc, kind_text_os_and_version);
    tcase_add_test(tc, kind_leading_number);
    tcase_add_test(tc, kind_same_as_ref_between_records);
    tcase_add_test(tc, kind_empty_recent_running);
    tcase_add_test(tc, created_records_keep_the_rules);
    tcase_add_test(tc, unkept_world_breaks_them);
    tcase_add_test(tc, default_world_keeps_every_rule);
    tcase_add_test(tc, thousand_company_world_keeps_every_rule);
    tcase_add_test(tc, default_world_keeps_every_rule_on_other_days);
    tcase_add_test(tc, keeping_costs_little);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
