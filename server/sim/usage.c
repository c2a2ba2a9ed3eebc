/* usage.c — the services and licence usage each organization shows follow
 * the world (simulation.json "usage"): once a simulated day (and at start)
 * the records counted are recounted, by owner, into the side table
 * sim_usage, and from it every organization's records are rewritten:
 *   - a company's services usage at its first location (companyUsage),
 *   - a reseller's, the sum over its companies (resellerUsage),
 *   - every organization's current licence usage (license): workloads per
 *     platform, their counts, the new ones of this month and their units
 *     (count x weight); a reseller's are its companies'.
 * A record is written only when its text changed, in batches of the file's
 * size (a cursor in sim_state keeps where the pass has got to), and the
 * pass ends by deleting the records of these types it did not write (the
 * generated world's, or those of an organization that is gone). */
#include "sim/sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/rng.h"
#include "base/uuid.h"
#include "tenancy/owners.h"

#define AT_KEY "usage_at"        /* when the next (or the running) pass is */
#define CURSOR_KEY "usage_cursor" /* seq of the last organization written */

void usage_init(simulation *s, int64_t now)
{
    if (sim_state_get(s, AT_KEY, INT64_MIN) == INT64_MIN)
        sim_state_set(s, AT_KEY, now);
}

int64_t usage_next_event(simulation *s)
{
    return json_object_get(s->params, "usage") ? sim_state_get(s, AT_KEY, INT64_MAX) : INT64_MAX;
}

static const json_t *cfg_of(simulation *s, const char *member)
{
    return json_object_get(json_object_get(s->params, "usage"), member);
}

static const char *cfg_text(const json_t *obj, const char *member)
{
    return json_string_value(json_object_get(obj, member));
}

/* Fills sim_usage with one count: (org, reseller, name) -> value, and how
 * many of them are new since month_from (a date-time text) when the row
 * names the member that says when a record appeared. */
static void count_into(simulation *s, const char *name, const json_t *row, const char *month_from)
{
    char sum_path[128], new_path[128];
    const char *sum = cfg_text(row, "sum"), *fresh = cfg_text(row, "new");
    sim_json_path(sum, sum_path, sizeof sum_path);
    sim_json_path(fresh, new_path, sizeof new_path);
    buf sql;
    buf_init(&sql);
    json_t *args = json_pack("[s]", name);
    buf_printf(&sql, "INSERT INTO sim_usage (org, reseller, name, value, fresh) SELECT org,"
                     " coalesce(reseller, ''), ?, ");
    if (sum) {
        buf_printf(&sql, "total(json_extract(body, ?)), ");
        json_array_append_new(args, json_string(sum_path));
    } else
        buf_printf(&sql, "count(*), ");
    if (fresh) {
        /* VSPC's date-times all carry an offset; the first 19 characters
         * compare as UTC for the emulator's, which are written in +00:00 */
        buf_printf(&sql, "total(substr(json_extract(body, ?), 1, 19) >= ?)");
        json_array_append_new(args, json_string(new_path));
        json_array_append_new(args, json_string(month_from));
    } else
        buf_printf(&sql, "0");
    buf_printf(&sql, " FROM records WHERE type = ? AND org IS NOT NULL");
    json_array_append(args, json_object_get(row, "count"));
    const char *ptr;
    json_t *value;
    json_object_foreach((json_t *)json_object_get(row, "where"), ptr, value) {
        char path[128];
        sim_json_path(ptr, path, sizeof path);
        buf_printf(&sql, " AND json_extract(body, ?) = ?");
        json_array_append_new(args, json_string(path));
        json_array_append(args, value);
    }
    buf_printf(&sql, " GROUP BY org, reseller");
    sim_sql(s, sql.data, args, 0, NULL);
    buf_free(&sql);
}

/* The counts' names: a counter is "c/<type>", a workload's platform
 * "w/<workload>/<typeId>". */
static void counter_name(const json_t *counter, char *out, size_t len)
{
    snprintf(out, len, "c/%s", cfg_text(counter, "type"));
}

static void platform_name(const json_t *workload, const json_t *platform, char *out, size_t len)
{
    snprintf(out, len, "w/%s/%s", cfg_text(workload, "name"), cfg_text(platform, "typeId"));
}

static void pass_begin(simulation *s, int64_t at)
{
    char month_from[CLOCK_TEXT_LEN];
    clock_format(clock_month_start(at), month_from, sizeof month_from);
    month_from[19] = 0;
    sim_sql(s, "DELETE FROM sim_usage", NULL, 0, NULL);
    size_t i, j;
    json_t *row, *platform;
    json_array_foreach(cfg_of(s, "counters"), i, row) {
        char name[160];
        counter_name(row, name, sizeof name);
        count_into(s, name, row, month_from);
    }
    json_array_foreach(cfg_of(s, "workloads"), i, row)
        json_array_foreach(json_object_get(row, "platforms"), j, platform) {
            char name[160];
            platform_name(row, platform, name, sizeof name);
            count_into(s, name, platform, month_from);
        }
}

/* name -> [value, fresh] of one organization (a reseller: its companies'). */
static json_t *counts_of(simulation *s, const char *org, bool reseller)
{
    json_t *rows = NULL, *out = json_object();
    sim_sql(s,
            reseller ? "SELECT name, total(value), total(fresh) FROM sim_usage WHERE reseller = ?"
                       " GROUP BY name"
                     : "SELECT name, total(value), total(fresh) FROM sim_usage WHERE org = ?"
                       " GROUP BY name",
            json_pack("[s]", org), 10000, &rows);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
        json_object_set_new(out, json_string_value(json_array_get(r, 0)),
                            json_pack("[OO]", json_array_get(r, 1), json_array_get(r, 2)));
    json_decref(rows);
    return out;
}

static double count_value(const json_t *counts, const char *name, int which)
{
    return json_number_value(json_array_get(json_object_get(counts, name), (size_t)which));
}

static json_t *counters_json(simulation *s, const json_t *counts)
{
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(cfg_of(s, "counters"), i, row) {
        char name[160];
        counter_name(row, name, sizeof name);
        json_array_append_new(out, json_pack("{s:I, s:O}", "value",
                                             (json_int_t)count_value(counts, name, 0), "type",
                                             json_object_get(row, "type")));
    }
    return out;
}

static double units(double n, double weight)
{
    return (double)(long long)(n * weight * 100 + 0.5) / 100;
}

/* The workloads an organization uses (those with nothing counted left out),
 * each with its platforms; the rental ones are those not new this month. */
static json_t *workloads_json(simulation *s, const json_t *counts)
{
    json_t *out = json_array();
    size_t i, j;
    json_t *row, *platform;
    json_array_foreach(cfg_of(s, "workloads"), i, row) {
        json_t *platforms = json_array();
        double used = 0, fresh = 0, used_units = 0, new_units = 0;
        json_array_foreach(json_object_get(row, "platforms"), j, platform) {
            char name[160];
            platform_name(row, platform, name, sizeof name);
            double n = count_value(counts, name, 0), f = count_value(counts, name, 1);
            double w = json_number_value(json_object_get(platform, "weight"));
            if (n <= 0)
                continue;
            used += n, fresh += f, used_units += units(n, w), new_units += units(f, w);
            json_array_append_new(
                platforms,
                json_pack("{s:O, s:O, s:f, s:f, s:f, s:f, s:I, s:I, s:I}", "typeId",
                          json_object_get(platform, "typeId"), "description",
                          json_object_get(platform, "description"), "weight", w, "rentalUnits",
                          units(n - f, w), "newUnits", units(f, w), "usedUnits", units(n, w),
                          "rentalCount", (json_int_t)(n - f), "newCount", (json_int_t)f,
                          "usedCount", (json_int_t)n));
        }
        if (!json_array_size(platforms)) {
            json_decref(platforms);
            continue;
        }
        /* a workload type's id is VSPC's constant, the same in every world */
        char id[UUID_STR_LEN];
        uuid_from_seed(rng_mix(0, cfg_text(row, "name")), id);
        json_array_append_new(
            out, json_pack("{s:s, s:O, s:O, s:f, s:f, s:f, s:I, s:I, s:I, s:o}", "id", id,
                           "description", json_object_get(row, "description"), "unitType",
                           cfg_of(s, "unitType"), "rentalUnits", used_units - new_units,
                           "newUnits", new_units, "usedUnits", used_units, "rentalCount",
                           (json_int_t)(used - fresh), "newCount", (json_int_t)fresh, "usedCount",
                           (json_int_t)used, "workloadsByPlatform", platforms));
    }
    return out;
}

/* The uid of the record of `type` an organization has (one per organization). */
static void record_uid(simulation *s, const char *type, const char *org, char out[UUID_STR_LEN])
{
    uuid_from_seed(rng_mix(rng_mix(rng_mix(s->seed, "usage"), type), org), out);
}

/* Writes (type, uid of org) unless it already holds body; steals body. */
static void write_record(simulation *s, const char *type, const char *org, json_t *body)
{
    char uid[UUID_STR_LEN];
    record_uid(s, type, org, uid);
    char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
    buf old;
    buf_init(&old);
    bool same = store_get_text(s->st, type, uid, &old) == STORE_OK && text && old.data &&
                !strcmp(old.data, text);
    if (!same) {
        store_record rec = {.type = type, .uid = uid, .body = body};
        if (store_put(s->st, &rec, true) == STORE_OK)
            owners_derive_one(s->st, s->app->owners, type, uid);
    }
    buf_free(&old);
    free(text);
    json_decref(body);
}

static void organization(simulation *s, const char *org, const char *kind, const char *reseller,
                         const char *provider, const char *date)
{
    const json_t *kinds = cfg_of(s, "kinds");
    bool is_company = !strcmp(kind, cfg_text(kinds, "company"));
    bool is_reseller = !strcmp(kind, cfg_text(kinds, "reseller"));
    json_t *counts = counts_of(s, org, is_reseller);
    const json_t *company_usage = cfg_of(s, "companyUsage"), *license = cfg_of(s, "license");
    if (is_company) {
        json_t *rows = NULL;
        sim_sql(s, "SELECT uid FROM records WHERE type = ? AND org = ? ORDER BY seq LIMIT 1",
                json_pack("[ss]", cfg_text(company_usage, "location"), org), 1, &rows);
        const char *loc = json_string_value(json_array_get(json_array_get(rows, 0), 0));
        write_record(s, cfg_text(company_usage, "type"), org,
                     json_pack("{s:s, s:s?, s:s?, s:s, s:o}", "companyUid", org, "resellerUid",
                               reseller && *reseller ? reseller : NULL, "locationUid", loc,
                               "date", date, "counters", counters_json(s, counts)));
        json_decref(rows);
    } else if (is_reseller)
        write_record(s, cfg_text(cfg_of(s, "resellerUsage"), "type"), org,
                     json_pack("{s:s, s:s, s:o}", "resellerUid", org, "date", date, "counters",
                               counters_json(s, counts)));
    json_t *workloads = workloads_json(s, counts);
    json_t *servers = json_array();
    if (json_array_size(workloads)) {
        char server_uid[UUID_STR_LEN];
        uuid_from_seed(rng_mix(s->seed, "vspc-server"), server_uid);
        json_array_append_new(servers, json_pack("{s:s, s:O, s:o}", "serverUid", server_uid,
                                                 "serverType", json_object_get(license, "serverType"),
                                                 "workloads", workloads));
    } else
        json_decref(workloads);
    write_record(s, cfg_text(license, "type"), org,
                 json_pack("{s:s, s:s, s:s?, s:o}", "organizationUid", org, "organizationType",
                           kind, "providerUid", *provider ? provider : NULL, "servers", servers));
    json_decref(counts);
}

/* Deletes the records of `type` the pass did not write: not under the uid
 * of the organization its key names, or of an organization that is gone. */
static void drop_others(simulation *s, const char *type, const char *key)
{
    char path[128];
    snprintf(path, sizeof path, "$.%s", key);
    json_t *rows = NULL;
    sim_sql(s,
            "SELECT r.uid, json_extract(r.body, ?) AS k, EXISTS (SELECT 1 FROM records o WHERE"
            " o.type = ? AND o.uid = json_extract(r.body, ?)) FROM records r WHERE r.type = ?",
            json_pack("[ssss]", path, cfg_text(cfg_of(s, "organizations"), "type"), path, type),
            1000000, &rows);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        const char *uid = json_string_value(json_array_get(r, 0));
        const char *org = json_string_value(json_array_get(r, 1));
        char want[UUID_STR_LEN] = "";
        if (org)
            record_uid(s, type, org, want);
        if (uid && (!org || !json_integer_value(json_array_get(r, 2)) || strcmp(uid, want)))
            store_delete(s->st, type, uid);
    }
    json_decref(rows);
}

bool usage_step(simulation *s, int64_t at)
{
    const json_t *orgs = cfg_of(s, "organizations");
    int64_t cursor = sim_state_get(s, CURSOR_KEY, 0);
    store_begin(s->st);
    if (cursor == 0 || !s->usage_began.tv_sec) { /* a count resumed after a restart, too */
        clock_gettime(CLOCK_MONOTONIC, &s->usage_began);
        s->usage_orgs = 0;
    }
    if (cursor == 0)
        pass_begin(s, at);
    char date[CLOCK_TEXT_LEN], provider[STORE_OWNER_LEN];
    clock_format(at, date, sizeof date);
    date[10] = 0; /* yyyy-MM-dd */
    owner_rules_provider(s->app->owners, s->st, provider);
    char kind_path[128];
    sim_json_path(cfg_text(orgs, "kind"), kind_path, sizeof kind_path);
    json_t *rows = NULL;
    sim_sql(s,
            "SELECT seq, uid, json_extract(body, ?), coalesce(reseller, '') FROM records"
            " WHERE type = ? AND seq > ? ORDER BY seq LIMIT ?",
            json_pack("[ssII]", kind_path, cfg_text(orgs, "type"), (json_int_t)cursor,
                      (json_int_t)s->batch),
            (size_t)s->batch, &rows);
    size_t n = json_array_size(rows), i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *uid = json_string_value(json_array_get(row, 1));
        const char *kind = json_string_value(json_array_get(row, 2));
        if (uid && kind) {
            organization(s, uid, kind, json_string_value(json_array_get(row, 3)), provider, date);
            s->usage_orgs++;
        }
        cursor = json_integer_value(json_array_get(row, 0));
    }
    bool done = n < (size_t)s->batch;
    if (done) {
        drop_others(s, cfg_text(cfg_of(s, "companyUsage"), "type"),
                    cfg_text(cfg_of(s, "companyUsage"), "key"));
        drop_others(s, cfg_text(cfg_of(s, "resellerUsage"), "type"),
                    cfg_text(cfg_of(s, "resellerUsage"), "key"));
        drop_others(s, cfg_text(cfg_of(s, "license"), "type"), cfg_text(cfg_of(s, "license"), "key"));
        int64_t period = json_integer_value(cfg_of(s, "period")) * 1000;
        if (period <= 0)
            period = 86400000;
        sim_state_set(s, AT_KEY, at - at % period + period);
        sim_state_set(s, CURSOR_KEY, 0);
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        log_info("simulation: usage of %ld organizations counted for %s in %.0f ms", s->usage_orgs,
                 date, (double)(t.tv_sec - s->usage_began.tv_sec) * 1e3 +
                           (double)(t.tv_nsec - s->usage_began.tv_nsec) / 1e6);
    } else
        sim_state_set(s, CURSOR_KEY, cursor);
    store_commit(s->st);
    json_decref(rows);
    return done;
}
