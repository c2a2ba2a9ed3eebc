/* simulate.c — the step loop and the simulation thread; see simulation.h.
 * What the concern files share is in sim_records.c. */
#include "sim/sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/json_file.h"
#include "base/log.h"
#include "metrics/metrics.h"

static const char *const tables[] = {
    "CREATE TABLE IF NOT EXISTS sim_state (key TEXT PRIMARY KEY, value INTEGER)",
    /* next_run NULL: the job does not run on its own */
    "CREATE TABLE IF NOT EXISTS sim_jobs (type TEXT NOT NULL, uid TEXT NOT NULL, next_run INTEGER,"
    " runs INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (type, uid))",
    "CREATE INDEX IF NOT EXISTS sim_jobs_due ON sim_jobs (next_run) WHERE next_run IS NOT NULL",
    "CREATE TABLE IF NOT EXISTS sim_sessions (uid TEXT PRIMARY KEY, type TEXT NOT NULL,"
    " job_uid TEXT NOT NULL, start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL,"
    " running INTEGER NOT NULL, result TEXT NOT NULL, message TEXT NOT NULL,"
    " total INTEGER NOT NULL, bytes INTEGER NOT NULL, done INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX IF NOT EXISTS sim_sessions_due ON sim_sessions (end_ms) WHERE running = 1",
    "CREATE INDEX IF NOT EXISTS sim_sessions_of ON sim_sessions (job_uid, start_ms)",
    "CREATE TABLE IF NOT EXISTS sim_alarms (type TEXT NOT NULL, job_uid TEXT NOT NULL,"
    " alarm_uid TEXT NOT NULL, PRIMARY KEY (type, job_uid))",
    "CREATE TABLE IF NOT EXISTS sim_beats (type TEXT NOT NULL, uid TEXT NOT NULL,"
    " next_ms INTEGER NOT NULL, PRIMARY KEY (type, uid))",
    "CREATE INDEX IF NOT EXISTS sim_beats_due ON sim_beats (next_ms)",
    /* usage.c's counts of one pass, by owner */
    "CREATE TABLE IF NOT EXISTS sim_usage (org TEXT NOT NULL, reseller TEXT NOT NULL,"
    " name TEXT NOT NULL, value REAL NOT NULL, fresh REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS sim_usage_of ON sim_usage (org)",
    "CREATE INDEX IF NOT EXISTS sim_usage_under ON sim_usage (reseller)",
};


static int64_t min3(int64_t a, int64_t b, int64_t c)
{
    int64_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Every event up to target, in time order; then what is continuous
 * (progress, heartbeats) brought to target. */
static void run_until(simulation *s, int64_t target)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_mutex_lock(&s->step_lock);
    for (;;) {
        int64_t jobs_at = jobs_next_event(s), month_at = billing_next_event(s);
        int64_t usage_at = usage_next_event(s);
        int64_t t = min3(jobs_at, month_at, usage_at);
        if (t > target)
            break;
        if (t == jobs_at)
            jobs_step(s, t);
        if (t == month_at)
            billing_close(s, t);
        if (t == usage_at)
            usage_step(s, t);
    }
    jobs_progress(s, target);
    heartbeats_step(s, target);
    /* where a manual clock resumes after a restart; a moving clock's time
     * is the wall's, so its idle ticks write nothing */
    if (clock_mode_of(&s->clock) == CLOCK_MANUAL)
        sim_state_set(s, "now", target);
    pthread_mutex_unlock(&s->step_lock);
    /* a step: what fell due up to target, and the progress and beats at it
     * (the lock's wait included: a step that waited for another is slow) */
    clock_gettime(CLOCK_MONOTONIC, &t1);
    metrics_observe_sim_step(s->app->metrics, (double)(t1.tv_sec - t0.tv_sec) +
                                                  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
}

static bool make_tables(simulation *s)
{
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        if (!sim_sql(s, tables[i], NULL, 0, NULL))
            return false;
    return true;
}

/* The jobs and agents the world has that the side tables do not yet
 * (created by clients since, or all of a new world), registered at now. */
static void register_new(simulation *s, int64_t now)
{
    jobs_register(s, now);
    heartbeats_register(s, now);
}

/* The world as it is taken up at now: what is open (the month, the usage
 * count) marked where the world has no mark yet, the jobs and agents
 * registered, the counts refreshed and what is due run. */
static void take_up(simulation *s, int64_t now)
{
    billing_init(s, now);
    usage_init(s, now);
    register_new(s, now);
    counters_refresh(s);
    run_until(s, now);
}

void sim_world_replaced(simulation *s)
{
    if (!s)
        return;
    /* a world from the fixtures has no side tables; a snapshot has its own */
    if (!make_tables(s))
        log_warn("simulation: side tables of the new world: %s", store_errmsg(s->st));
    take_up(s, clock_now(&s->clock));
}

/* The thread of a real or fast clock: a step every tickMs; the jobs and
 * agents the clients created since are registered every minute. */
static void *sim_thread(void *arg)
{
    simulation *s = arg;
    pthread_mutex_lock(&s->wake_lock);
    while (!s->stopping) {
        pthread_mutex_unlock(&s->wake_lock);
        int64_t now = clock_now(&s->clock);
        if (++s->ticks % (60000 / (s->tick_ms > 0 ? s->tick_ms : 1) + 1) == 0)
            register_new(s, now);
        run_until(s, now);
        pthread_mutex_lock(&s->wake_lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        long ns = until.tv_nsec + (s->tick_ms % 1000) * 1000000L;
        until.tv_sec += s->tick_ms / 1000 + ns / 1000000000L;
        until.tv_nsec = ns % 1000000000L;
        if (!s->stopping)
            pthread_cond_timedwait(&s->wake, &s->wake_lock, &until);
    }
    pthread_mutex_unlock(&s->wake_lock);
    return NULL;
}

static bool start_thread(simulation *s)
{
    s->stopping = false;
    s->has_thread = pthread_create(&s->thread, NULL, sim_thread, s) == 0;
    return s->has_thread;
}

/* Stops the thread after its step (none: nothing to do). */
static void stop_thread(simulation *s)
{
    if (!s->has_thread)
        return;
    pthread_mutex_lock(&s->wake_lock);
    s->stopping = true;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->wake_lock);
    pthread_join(s->thread, NULL);
    s->has_thread = false;
}

time_t sim_world_now(const char *schema_dir, const char *clock_text)
{
    clock_mode mode;
    double rate;
    char err[160];
    if (!clock_parse(clock_text, &mode, &rate, err, sizeof err) || mode != CLOCK_MANUAL)
        return 0;
    json_t *params = json_file_load_in(schema_dir, "simulation.json", 0, err, sizeof err);
    int64_t start = 0;
    bool ok = params &&
              clock_parse_time(json_string_value(json_object_get(params, "manualStart")), &start);
    json_decref(params);
    return ok ? (time_t)(start / 1000) : 0;
}

simulation *sim_open(app *a, const char *clock_text, char *err, size_t errlen)
{
    clock_mode mode;
    double rate;
    if (!clock_parse(clock_text, &mode, &rate, err, errlen))
        return NULL;
    simulation *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "simulation: out of memory");
        return NULL;
    }
    s->app = a;
    s->st = a->store;
    s->seed = (uint64_t)a->cfg.seed;
    pthread_mutex_init(&s->step_lock, NULL);
    pthread_mutex_init(&s->control_lock, NULL);
    pthread_mutex_init(&s->wake_lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    s->params = json_file_load_in(a->cfg.schema_dir, "simulation.json", 0, err, errlen);
    int64_t manual_start = 0;
    if (!s->params)
        goto fail;
    if (!clock_parse_time(json_string_value(json_object_get(s->params, "manualStart")),
                          &manual_start)) {
        snprintf(err, errlen, "simulation.json: manualStart is not a date-time");
        goto fail;
    }
    s->batch = (long)json_integer_value(json_object_get(s->params, "batch"));
    s->tick_ms = (long)json_integer_value(json_object_get(s->params, "tickMs"));
    if (s->batch <= 0 || s->tick_ms <= 0) {
        snprintf(err, errlen, "simulation.json: batch and tickMs must be above 0");
        goto fail;
    }
    if (!jobs_load_kinds(s, err, errlen))
        goto fail;
    if (!make_tables(s)) {
        snprintf(err, errlen, "simulation: side tables: %s", store_errmsg(s->st));
        goto fail;
    }
    /* a manual clock starts where an earlier run of this data dir stopped
     * (the world moved that far), else at the file's fixed instant */
    int64_t stopped_at = sim_state_get(s, "now", INT64_MIN);
    if (mode == CLOCK_MANUAL && stopped_at != INT64_MIN && stopped_at > manual_start)
        manual_start = stopped_at;
    clock_init(&s->clock, mode, rate, clock_real_ms(), manual_start);
    int64_t now = clock_now(&s->clock);
    /* a moving clock's first usage count is its thread's, two steps after
     * the start, not part of it: counting a large world holds the store's
     * write lock in turns, which the rest of the start (the signing key)
     * would wait for. A manual clock's is part of the start, as every
     * step is. */
    if (mode != CLOCK_MANUAL)
        usage_init(s, now + (int64_t)(2.0 * (double)s->tick_ms * rate));
    take_up(s, now);
    if (mode != CLOCK_MANUAL && !start_thread(s)) {
        snprintf(err, errlen, "simulation: no thread");
        clock_destroy(&s->clock);
        goto fail;
    }
    char desc[32];
    clock_describe(&s->clock, desc, sizeof desc);
    log_info("simulation: clock %s, %zu job types, step every %ld ms", desc, s->nkinds,
             mode == CLOCK_MANUAL ? 0L : s->tick_ms);
    return s;
fail:
    json_decref(s->params);
    free(s->kinds);
    free(s);
    return NULL;
}

void sim_close(simulation *s)
{
    if (!s)
        return;
    stop_thread(s);
    clock_destroy(&s->clock);
    pthread_mutex_destroy(&s->control_lock);
    pthread_mutex_destroy(&s->step_lock);
    pthread_mutex_destroy(&s->wake_lock);
    pthread_cond_destroy(&s->wake);
    json_decref(s->params);
    free(s->kinds);
    free(s);
}

int64_t sim_now(simulation *s)
{
    return clock_now(&s->clock);
}

bool sim_advance(simulation *s, int64_t seconds, char *err, size_t errlen)
{
    if (clock_mode_of(&s->clock) != CLOCK_MANUAL) {
        snprintf(err, errlen, "The clock is not manual: only a manual clock is advanced (--clock "
                              "manual, or PUT /_emulator/clock {\"mode\": \"manual\"}).");
        return false;
    }
    if (seconds < 0 || seconds > 10LL * 366 * 86400) {
        snprintf(err, errlen, "seconds must be between 0 and ten years.");
        return false;
    }
    /* what clients created since the last advance takes part in this one */
    int64_t before = clock_now(&s->clock);
    register_new(s, before);
    clock_advance(&s->clock, seconds * 1000);
    run_until(s, clock_now(&s->clock));
    return true;
}

void sim_on_action(simulation *s, const char *type, const char *uid, const char *action)
{
    const job_kind *k = s ? jobs_kind(s, type) : NULL;
    if (!k || !action)
        return;
    int64_t now = clock_now(&s->clock);
    /* one transaction (a savepoint inside an async action's): the session
     * and the record change together, never half-way through a step's */
    if (!store_begin(s->st))
        return;
    if (!strcmp(action, "start") || !strcmp(action, "retry"))
        jobs_start(s, k, uid, now, true);
    else if (!strcmp(action, "stop"))
        jobs_stop(s, k, uid, now);
    store_commit(s->st);
}

bool sim_set_clock(simulation *s, const char *text, char *err, size_t errlen)
{
    clock_mode mode;
    double rate;
    char why[160];
    if (!clock_parse(text, &mode, &rate, why, sizeof why)) {
        snprintf(err, errlen, "mode is real, fast:N (N simulated seconds a second, above 0 and "
                              "at most a year) or manual.");
        return false;
    }
    pthread_mutex_lock(&s->control_lock);
    /* a clock that stops moving has no thread: it stops first, so that no
     * step runs past the time the clock stops at */
    if (mode == CLOCK_MANUAL)
        stop_thread(s);
    bool ok = clock_set(&s->clock, mode, rate, clock_real_ms());
    if (ok) {
        /* a real clock after a slower one may have jumped: what fell due
         * in between runs now, with what clients created meanwhile */
        int64_t now = clock_now(&s->clock);
        register_new(s, now);
        run_until(s, now);
        if (mode != CLOCK_MANUAL && !s->has_thread && !start_thread(s))
            log_error("simulation: no thread for the %s clock", text);
        char desc[32];
        clock_describe(&s->clock, desc, sizeof desc);
        log_info("simulation: clock set to %s", desc);
    } else {
        char at[CLOCK_TEXT_LEN];
        clock_format(clock_now(&s->clock), at, sizeof at);
        snprintf(err, errlen, "The simulated time (%s) is ahead of the wall clock, and time "
                              "does not go back: a real clock cannot follow; fast:1 moves at "
                              "its pace.", at);
    }
    pthread_mutex_unlock(&s->control_lock);
    return ok;
}

json_t *sim_clock_json(simulation *s)
{
    char desc[32], text[CLOCK_TEXT_LEN];
    clock_describe(&s->clock, desc, sizeof desc);
    int64_t now = clock_now(&s->clock);
    clock_format(now, text, sizeof text);
    return json_pack("{s:s, s:s, s:I, s:f}", "mode", desc, "now", text, "nowMs", (json_int_t)now,
                     "rate", clock_rate(&s->clock));
}

json_t *sim_sessions_json(simulation *s, const char *job_uid, long limit)
{
    json_t *rows = NULL, *out = json_array();
    sim_sql(s,
            "SELECT uid, type, job_uid, start_ms, end_ms, running, result, message, total, bytes, "
            "done FROM sim_sessions WHERE job_uid = ? ORDER BY start_ms DESC, uid LIMIT ?",
            json_pack("[sI]", job_uid, (json_int_t)limit), (size_t)limit, &rows);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        char start[CLOCK_TEXT_LEN], end[CLOCK_TEXT_LEN];
        clock_format(json_integer_value(json_array_get(r, 3)), start, sizeof start);
        clock_format(json_integer_value(json_array_get(r, 4)), end, sizeof end);
        bool running = json_integer_value(json_array_get(r, 5)) != 0;
        json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:s, s:s?, s:s?, s:s, s:O, s:O, s:O, s:O}",
            "instanceUid", json_array_get(r, 0), "jobType", json_array_get(r, 1),
            "jobUid", json_array_get(r, 2), "startTime", start,
            "endTime", running ? NULL : end, "expectedEndTime", running ? end : NULL, "status", running ? "Running" : json_string_value(json_array_get(r, 6)),
            "message", json_array_get(r, 7), "totalObjects", json_array_get(r, 8),
            "processedObjects", json_array_get(r, 10), "transferredDataSize", json_array_get(r, 9)));
    }
    json_decref(rows);
    return out;
}
