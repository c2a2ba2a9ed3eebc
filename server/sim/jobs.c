/* jobs.c — backup jobs of every kind (simulation.json "jobs"): runs by
 * schedule and by a client's start/retry/stop, their sessions (sim_sessions)
 * and what a run moves on the job's record. */
#include "sim/sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/rng.h"
#include "base/uuid.h"

static const char *text_of(const json_t *row, const char *key)
{
    return json_string_value(json_object_get(row, key));
}

static void fill_kind(job_kind *k, const json_t *row)
{
    k->row = row;
    k->status = text_of(row, "status");
    k->schedule = text_of(row, "schedule");
    k->last_run = text_of(row, "lastRun");
    k->last_end = text_of(row, "lastEnd");
    k->last_duration = text_of(row, "lastDuration");
    k->avg_duration = text_of(row, "avgDuration");
    k->next_run = text_of(row, "nextRun");
    k->message = text_of(row, "message");
    k->tasks = text_of(row, "tasks");
    k->restore_points = text_of(row, "restorePoints");
    const json_t *values = json_object_get(row, "values");
    k->running = text_of(values, "running");
    k->stopped = text_of(values, "stopped");
    for (int i = 0; i < 3; i++)
        k->result[i] = text_of(values, sim_result_names[i]);
    const json_t *en = json_object_get(row, "enabled");
    k->enabled = text_of(en, "pointer");
    k->enabled_value = json_object_get(en, "value");
    k->periods = json_object_get(row, "periods");
    k->grow = json_object_get(row, "grow");
    k->shrink = json_object_get(row, "shrink");
    const json_t *d = json_object_get(row, "duration");
    k->dur_min = (int64_t)json_integer_value(json_array_get(d, 0));
    k->dur_max = (int64_t)json_integer_value(json_array_get(d, 1));
}

bool jobs_load_kinds(simulation *s, char *err, size_t errlen)
{
    const json_t *rows = json_object_get(s->params, "jobs");
    size_t n = json_array_size(rows);
    s->kinds = calloc(n ? n : 1, sizeof *s->kinds);
    if (!s->kinds) {
        snprintf(err, errlen, "simulation: out of memory");
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *row = json_array_get(rows, i);
        const char *like = text_of(row, "like");
        const json_t *base = row;
        for (size_t j = 0; like && j < i; j++)
            if (!strcmp(s->kinds[j].type, like))
                base = s->kinds[j].row;
        if (like && base == row) {
            snprintf(err, errlen, "simulation.json: jobs[%zu] is like '%s', no earlier row", i, like);
            return false;
        }
        job_kind *k = &s->kinds[s->nkinds];
        fill_kind(k, base);
        k->type = text_of(row, "type");
        if (!k->type || !entities_find(s->app->models[0], k->type) || !k->running ||
            k->dur_min <= 0 || k->dur_max < k->dur_min) {
            snprintf(err, errlen, "simulation.json: jobs[%zu]: needs a type of the contract, "
                     "values.running and a duration [min, max] above 0", i);
            return false;
        }
        s->nkinds++;
    }
    return true;
}

const job_kind *jobs_kind(simulation *s, const char *type)
{
    for (size_t i = 0; type && i < s->nkinds; i++)
        if (!strcmp(s->kinds[i].type, type))
            return &s->kinds[i];
    return NULL;
}

static bool is_enabled(const job_kind *k, json_t *job)
{
    return !k->enabled || json_equal(json_pointer_get(job, k->enabled), k->enabled_value);
}

/* The job's period in ms by its schedule type; 0: it does not run alone. */
static int64_t period_ms(const job_kind *k, json_t *job)
{
    const char *sched = k->schedule ? json_string_value(json_pointer_get(job, k->schedule)) : NULL;
    const json_t *p = sched ? json_object_get(k->periods, sched) : NULL;
    if (!p)
        p = json_object_get(k->periods, "default");
    return (int64_t)json_integer_value(p) * 1000;
}

/* The job's first slot after now: its runs keep a phase of their own
 * (from the seed and its uid), so a thousand daily jobs do not all start
 * at midnight. */
static int64_t next_slot(simulation *s, const char *uid, int64_t period, int64_t now)
{
    if (period <= 0)
        return INT64_MAX;
    int64_t phase = (int64_t)(rng_mix(s->seed, uid) % (uint64_t)period);
    int64_t k = (now - phase) / period + 1;
    if ((now - phase) < 0 && (now - phase) % period)
        k--;
    int64_t t = k * period + phase;
    return t > now ? t : t + period;
}

static json_t *next_run_arg(int64_t t)
{
    return t == INT64_MAX ? json_null() : json_integer((json_int_t)t);
}

static void write_next_run(simulation *s, const job_kind *k, json_t *job, const char *uid)
{
    if (!k->next_run || !is_enabled(k, job)) /* a disabled job shows no next run, even run by hand */
        return;
    int64_t t = sim_sql_int(s, "SELECT next_run FROM sim_jobs WHERE type = ? AND uid = ?",
                            json_pack("[ss]", k->type, uid), INT64_MAX);
    if (t != INT64_MAX)
        sim_set_time(job, k->next_run, t);
}

static bool running_session(simulation *s, const job_kind *k, const char *uid)
{
    return sim_sql_int(s, "SELECT 1 FROM sim_sessions WHERE job_uid = ? AND type = ? AND running = 1",
                       json_pack("[ss]", uid, k->type), 0) == 1;
}

static json_t *task_of(const char *session, json_t *job, int64_t start, int64_t total,
                       const char *status)
{
    char start_text[CLOCK_TEXT_LEN];
    clock_format(start, start_text, sizeof start_text);
    const char *name = json_string_value(json_object_get(job, "name"));
    return json_pack("{s:s, s:s?, s:I, s:i, s:i, s:i, s:s, s:n, s:i, s:[], s:s}", "instanceUid",
                     session, "objectName", name, "totalObjects", (json_int_t)total,
                     "processedObjects", 0, "readDataSize", 0, "transferredDataSize", 0,
                     "startTime", start_text, "endTime", "duration", 0, "failureMessages",
                     "status", status);
}

void jobs_start(simulation *s, const job_kind *k, const char *uid, int64_t now, bool by_client)
{
    json_t *job = NULL;
    if (store_get(s->st, k->type, uid, &job, NULL) != STORE_OK) {
        sim_sql(s, "DELETE FROM sim_jobs WHERE type = ? AND uid = ?", json_pack("[ss]", k->type, uid),
                0, NULL);
        return;
    }
    if ((!by_client && !is_enabled(k, job)) || running_session(s, k, uid)) {
        json_decref(job);
        return;
    }
    sim_sql(s, "INSERT INTO sim_jobs (type, uid, next_run) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            json_pack("[sso]", k->type, uid, next_run_arg(next_slot(s, uid, period_ms(k, job), now))),
            0, NULL);
    int64_t runs = sim_sql_int(s, "SELECT runs FROM sim_jobs WHERE type = ? AND uid = ?",
                               json_pack("[ss]", k->type, uid), 0);
    /* every draw of a run from (seed, type, job, run number): the same
     * advances give the same sessions */
    rng r;
    rng_init(&r, rng_mix_u64(rng_mix(rng_mix(s->seed, k->type), uid), (uint64_t)runs));
    char session[UUID_STR_LEN];
    uuid_from_seed(rng_next(&r), session);
    int64_t duration = rng_range(&r, k->dur_min, k->dur_max) * 1000;
    const json_t *rates = json_object_get(s->params, "rates");
    double u = rng_unit(&r), acc = 0;
    int result = RESULT_FAILED;
    for (int i = 0; i < 3; i++) {
        acc += json_number_value(json_object_get(rates, sim_result_names[i]));
        if (u < acc) {
            result = i;
            break;
        }
    }
    const json_t *msgs = json_object_get(json_object_get(s->params, "messages"), sim_result_names[result]);
    size_t nmsg = json_array_size(msgs);
    const char *message = nmsg ? json_string_value(json_array_get(msgs, (size_t)rng_range(&r, 0, (int64_t)nmsg - 1))) : "";
    const json_t *objs = json_object_get(s->params, "taskObjects");
    int64_t total = rng_range(&r, json_integer_value(json_array_get(objs, 0)),
                              json_integer_value(json_array_get(objs, 1)));
    const char *first_grow = NULL;
    json_t *range = NULL;
    json_object_foreach((json_t *)k->grow, first_grow, range) break;
    int64_t bytes = range ? rng_range(&r, json_integer_value(json_array_get(range, 0)),
                                      json_integer_value(json_array_get(range, 1)))
                          : 0;
    sim_sql(s, "INSERT INTO sim_sessions (uid, type, job_uid, start_ms, end_ms, running, result, "
               "message, total, bytes) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
            json_pack("[sssIIssII]", session, k->type, uid, (json_int_t)now,
                      (json_int_t)(now + duration), sim_result_names[result], message ? message : "",
                      (json_int_t)total, (json_int_t)bytes),
            0, NULL);
    sim_sql(s, "UPDATE sim_jobs SET runs = runs + 1 WHERE type = ? AND uid = ?",
            json_pack("[ss]", k->type, uid), 0, NULL);
    sim_ptr_set(job, k->status, json_string(k->running));
    sim_set_time(job, k->last_run, now);
    if (k->message)
        sim_ptr_set(job, k->message, json_string(""));
    if (k->tasks)
        sim_ptr_set(job, k->tasks, json_pack("[o]", task_of(session, job, now, total, "Running")));
    write_next_run(s, k, job, uid);
    store_update(s->st, k->type, uid, job);
    counters_job_changed(s, k, job);
    json_decref(job);
}

/* The end of session row [uid, type, job_uid, start, end, result, message,
 * total, bytes] at its end time: the job's record takes the run's result. */
static void finish(simulation *s, json_t *row, bool stopped, int64_t now)
{
    const char *session = json_string_value(json_array_get(row, 0));
    const job_kind *k = jobs_kind(s, json_string_value(json_array_get(row, 1)));
    const char *uid = json_string_value(json_array_get(row, 2));
    int64_t start = json_integer_value(json_array_get(row, 3));
    int64_t end = stopped ? now : json_integer_value(json_array_get(row, 4));
    const char *result_name = stopped ? "Stopped" : json_string_value(json_array_get(row, 5));
    const json_t *stop_msgs = json_object_get(json_object_get(s->params, "messages"), "stopped");
    const char *message = stopped ? json_string_value(json_array_get(stop_msgs, 0))
                                  : json_string_value(json_array_get(row, 6));
    int64_t total = json_integer_value(json_array_get(row, 7));
    int64_t bytes = stopped ? 0 : json_integer_value(json_array_get(row, 8));
    int result = RESULT_STOPPED;
    for (int i = 0; i < 3 && !stopped; i++)
        if (!strcmp(result_name, sim_result_names[i]))
            result = i;
    sim_sql(s, "UPDATE sim_sessions SET running = 0, end_ms = ?, result = ?, message = ?, done = ? "
               "WHERE uid = ?",
            json_pack("[IssIs]", (json_int_t)end, result_name, message ? message : "",
                      stopped ? 0 : (json_int_t)total, session),
            0, NULL);
    json_t *job = NULL;
    if (!k || store_get(s->st, k->type, uid, &job, NULL) != STORE_OK)
        return;
    int64_t secs = (end - start) / 1000;
    const char *status = result == RESULT_STOPPED ? k->stopped : k->result[result];
    if (status)
        sim_ptr_set(job, k->status, json_string(status));
    sim_set_time(job, k->last_end, end);
    if (k->last_duration)
        sim_ptr_set(job, k->last_duration, json_integer((json_int_t)secs));
    if (k->avg_duration) {
        int64_t runs = sim_sql_int(s, "SELECT runs FROM sim_jobs WHERE type = ? AND uid = ?",
                                   json_pack("[ss]", k->type, uid), 1);
        json_t *avg = json_pointer_get(job, k->avg_duration);
        int64_t before = json_is_integer(avg) ? json_integer_value(avg) : secs;
        sim_ptr_set(job, k->avg_duration,
                    json_integer((json_int_t)((before * (runs - 1) + secs) / (runs > 0 ? runs : 1))));
    }
    if (k->message)
        sim_ptr_set(job, k->message, json_string(message ? message : ""));
    if (result == RESULT_SUCCESS || result == RESULT_WARNING) {
        const char *member;
        json_t *range;
        json_object_foreach((json_t *)k->grow, member, range) {
            json_t *v = json_pointer_get(job, member);
            sim_ptr_set(job, member, json_integer((json_int_t)(json_integer_value(v) + bytes)));
        }
        json_t *from;
        json_object_foreach((json_t *)k->shrink, member, from) {
            (void)from; /* a free space shrinks by what the run wrote */
            int64_t left = json_integer_value(json_pointer_get(job, member)) - bytes;
            sim_ptr_set(job, member, json_integer((json_int_t)(left > 0 ? left : 0)));
        }
        if (k->restore_points) {
            json_t *v = json_pointer_get(job, k->restore_points);
            sim_ptr_set(job, k->restore_points, json_integer(json_integer_value(v) + 1));
        }
    }
    if (k->tasks) {
        static const char *const task_status[4] = {"Success", "Warning", "Failed", "Failed"};
        char end_text[CLOCK_TEXT_LEN];
        clock_format(end, end_text, sizeof end_text);
        json_t *task = task_of(session, job, start, total, task_status[result]);
        json_object_set_new(task, "processedObjects",
                            json_integer(result == RESULT_STOPPED ? 0 : (json_int_t)total));
        json_object_set_new(task, "readDataSize", json_integer((json_int_t)(bytes + bytes / 4)));
        json_object_set_new(task, "transferredDataSize", json_integer((json_int_t)bytes));
        json_object_set_new(task, "endTime", json_string(end_text));
        json_object_set_new(task, "duration", json_integer((json_int_t)secs));
        if (result != RESULT_SUCCESS && message && *message)
            json_array_append_new(json_object_get(task, "failureMessages"), json_string(message));
        sim_ptr_set(job, k->tasks, json_pack("[o]", task));
    }
    write_next_run(s, k, job, uid);
    if (result == RESULT_FAILED)
        alarms_failed(s, k, uid, job, message, end);
    else if (result == RESULT_SUCCESS)
        alarms_succeeded(s, k, uid, job, end);
    if (result == RESULT_SUCCESS || result == RESULT_WARNING)
        repositories_filled(s, k, job, bytes);
    store_update(s->st, k->type, uid, job);
    counters_job_changed(s, k, job);
    json_decref(job);
}

void jobs_stop(simulation *s, const job_kind *k, const char *uid, int64_t now)
{
    json_t *rows = NULL;
    if (sim_sql(s, "SELECT uid, type, job_uid, start_ms, end_ms, result, message, total, bytes "
                   "FROM sim_sessions WHERE job_uid = ? AND type = ? AND running = 1",
                json_pack("[ss]", uid, k->type), 1, &rows) &&
        json_array_size(rows))
        finish(s, json_array_get(rows, 0), true, now);
    json_decref(rows);
}

void jobs_register(simulation *s, int64_t now)
{
    for (size_t i = 0; i < s->nkinds; i++) {
        const job_kind *k = &s->kinds[i];
        for (;;) {
            json_t *rows = NULL;
            if (!sim_sql(s, "SELECT r.uid, r.body FROM records r WHERE r.type = ? AND NOT EXISTS "
                            "(SELECT 1 FROM sim_jobs j WHERE j.type = r.type AND j.uid = r.uid) "
                            "ORDER BY r.seq LIMIT ?",
                         json_pack("[sI]", k->type, (json_int_t)s->batch), (size_t)s->batch, &rows)) {
                json_decref(rows);
                break;
            }
            size_t n = json_array_size(rows), j;
            json_t *row;
            store_begin(s->st);
            json_array_foreach(rows, j, row) {
                const char *uid = json_string_value(json_array_get(row, 0));
                json_t *job = json_loads(json_string_value(json_array_get(row, 1)), 0, NULL);
                int64_t next = next_slot(s, uid, period_ms(k, job), now);
                sim_sql(s, "INSERT INTO sim_jobs (type, uid, next_run) VALUES (?, ?, ?) "
                           "ON CONFLICT DO NOTHING",
                        json_pack("[sso]", k->type, uid, next_run_arg(next)), 0, NULL);
                const char *status = json_string_value(json_pointer_get(job, k->status));
                if (status && !strcmp(status, k->running)) {
                    /* a world that says Running has a running session */
                    jobs_start(s, k, uid, now, true);
                } else if (k->next_run && next != INT64_MAX && job && is_enabled(k, job)) {
                    /* a disabled job shows no next run it will not make */
                    sim_set_time(job, k->next_run, next);
                    store_update(s->st, k->type, uid, job);
                }
                json_decref(job);
            }
            store_commit(s->st);
            json_decref(rows);
            if (n < (size_t)s->batch)
                break;
        }
    }
}

int64_t jobs_next_event(simulation *s)
{
    int64_t a = sim_sql_int(s, "SELECT MIN(next_run) FROM sim_jobs WHERE next_run IS NOT NULL",
                            NULL, INT64_MAX);
    int64_t b = sim_sql_int(s, "SELECT MIN(end_ms) FROM sim_sessions WHERE running = 1", NULL,
                            INT64_MAX);
    return a < b ? a : b;
}

void jobs_step(simulation *s, int64_t now)
{
    json_t *rows = NULL;
    /* ends first: a job due again at the instant its run ends runs again */
    if (sim_sql(s, "SELECT uid, type, job_uid, start_ms, end_ms, result, message, total, bytes "
                   "FROM sim_sessions WHERE running = 1 AND end_ms <= ? ORDER BY end_ms, uid LIMIT ?",
                json_pack("[II]", (json_int_t)now, (json_int_t)s->batch), (size_t)s->batch, &rows) &&
        json_array_size(rows)) {
        size_t i;
        json_t *row;
        store_begin(s->st);
        json_array_foreach(rows, i, row) finish(s, row, false, now);
        store_commit(s->st);
    }
    json_decref(rows);
    rows = NULL;
    if (sim_sql(s, "SELECT type, uid FROM sim_jobs WHERE next_run <= ? ORDER BY next_run, type, uid "
                   "LIMIT ?",
                json_pack("[II]", (json_int_t)now, (json_int_t)s->batch), (size_t)s->batch, &rows) &&
        json_array_size(rows)) {
        size_t i;
        json_t *row;
        store_begin(s->st);
        json_array_foreach(rows, i, row) {
            const job_kind *k = jobs_kind(s, json_string_value(json_array_get(row, 0)));
            const char *uid = json_string_value(json_array_get(row, 1));
            json_t *job = NULL;
            if (!k || store_get(s->st, k->type, uid, &job, NULL) != STORE_OK) {
                sim_sql(s, "DELETE FROM sim_jobs WHERE type = ? AND uid = ?",
                        json_pack("[ss]", json_string_value(json_array_get(row, 0)), uid), 0, NULL);
                continue;
            }
            /* the next slot first, so that the run's record shows it */
            sim_sql(s, "UPDATE sim_jobs SET next_run = ? WHERE type = ? AND uid = ?",
                    json_pack("[oss]", next_run_arg(next_slot(s, uid, period_ms(k, job), now)),
                              k->type, uid),
                    0, NULL);
            json_decref(job);
            jobs_start(s, k, uid, now, false);
        }
        store_commit(s->st);
    }
    json_decref(rows);
}

void jobs_progress(simulation *s, int64_t now)
{
    json_t *rows = NULL;
    if (!sim_sql(s, "SELECT uid, type, job_uid, start_ms, end_ms, total, bytes, done FROM sim_sessions "
                    "WHERE running = 1 ORDER BY end_ms, uid LIMIT ?",
                 json_pack("[I]", (json_int_t)(s->batch * 5)), (size_t)s->batch * 5, &rows)) {
        json_decref(rows);
        return;
    }
    size_t i;
    json_t *row;
    bool open = false;
    json_array_foreach(rows, i, row) {
        int64_t start = json_integer_value(json_array_get(row, 3));
        int64_t end = json_integer_value(json_array_get(row, 4));
        int64_t total = json_integer_value(json_array_get(row, 5));
        int64_t bytes = json_integer_value(json_array_get(row, 6));
        int64_t done = json_integer_value(json_array_get(row, 7));
        double part = end > start ? (double)(now - start) / (double)(end - start) : 1;
        part = part < 0 ? 0 : part > 1 ? 1 : part;
        int64_t processed = (int64_t)((double)total * part);
        if (processed >= total)
            processed = total - 1; /* the last object ends with the session */
        if (processed <= done)
            continue;
        const job_kind *k = jobs_kind(s, json_string_value(json_array_get(row, 1)));
        const char *uid = json_string_value(json_array_get(row, 2));
        if (!open)
            open = store_begin(s->st);
        sim_sql(s, "UPDATE sim_sessions SET done = ? WHERE uid = ?",
                json_pack("[IO]", (json_int_t)processed, json_array_get(row, 0)), 0, NULL);
        json_t *job = NULL;
        if (!k || !k->tasks || store_get(s->st, k->type, uid, &job, NULL) != STORE_OK)
            continue;
        json_t *task = json_array_get(json_pointer_get(job, k->tasks), 0);
        if (json_is_object(task)) {
            json_int_t moved = (json_int_t)((double)bytes * part);
            json_object_set_new(task, "processedObjects", json_integer((json_int_t)processed));
            json_object_set_new(task, "readDataSize", json_integer(moved + moved / 4));
            json_object_set_new(task, "transferredDataSize", json_integer(moved));
            json_object_set_new(task, "duration", json_integer((json_int_t)((now - start) / 1000)));
            store_update(s->st, k->type, uid, job);
        }
        json_decref(job);
    }
    if (open)
        store_commit(s->st);
    json_decref(rows);
}
