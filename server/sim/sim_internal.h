/* sim_internal.h — what the simulation's files share (simulate.c the step
 * loop; jobs.c, alarms.c, heartbeats.c, billing.c, usage.c one concern each). Not
 * for other modules: they use simulation.h. */
#ifndef VSPC_SIM_INTERNAL_H
#define VSPC_SIM_INTERNAL_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "app/app.h"
#include "base/buf.h"
#include "base/json_pointer.h"
#include "sim/clock.h"
#include "sim/simulation.h"

/* One row of simulation.json's "jobs": JSON Pointers into the record
 * (NULL: the type has no such member). */
typedef struct job_kind {
    const char *type;
    const json_t *row;     /* the row (after "like"), for its objects */
    const char *status, *schedule, *last_run, *last_end, *last_duration, *avg_duration;
    const char *next_run, *message, *tasks, *restore_points;
    const char *running, *stopped, *result[3]; /* values of status */
    const char *enabled;   /* pointer */
    const json_t *enabled_value;
    const json_t *periods, *grow, *shrink;
    const char *repo_type, *repo_key;
    int64_t dur_min, dur_max; /* seconds */
} job_kind;

enum { RESULT_SUCCESS, RESULT_WARNING, RESULT_FAILED, RESULT_STOPPED };
extern const char *const sim_result_names[4];

struct simulation {
    app *app;
    store *st;
    json_t *params;        /* simulation.json */
    uint64_t seed;
    sim_clock clock;
    job_kind *kinds;
    size_t nkinds;
    long batch;            /* records written per transaction */
    long tick_ms;
    pthread_mutex_t step_lock; /* one step at a time (thread or advance) */
    pthread_mutex_t control_lock; /* one change of the clock's mode at a time */
    pthread_mutex_t wake_lock;
    pthread_cond_t wake;
    bool stopping, has_thread;
    pthread_t thread;
    long ticks;            /* steps run by the thread (re-registration pace) */
    struct timespec usage_began; /* usage.c: when the running count began (monotonic) */
    long usage_orgs;       /* and the organizations it has counted */
};

/* Setting a member by JSON Pointer (plain names, as base/json_pointer.h
 * reads them): steals value, makes the objects on the way. */
void sim_ptr_set(json_t *doc, const char *ptr, json_t *value);
/* "$.a.b" of "/a/b": SQLite's JSON path of a pointer of plain names. */
void sim_json_path(const char *ptr, char *out, size_t len);
/* Appends "?, ?, ..." for each of values (an array) to sql and the values
 * to args: the list of an IN (...). */
void sim_sql_list(buf *sql, json_t *args, const json_t *values);
/* A time member as the clock writes it. */
void sim_set_time(json_t *doc, const char *ptr, int64_t ms);

/* Side tables: a statement with args (sql placeholders), rows as store_exec. */
bool sim_sql(simulation *s, const char *sql, json_t *args, size_t max_rows, json_t **rows);
/* The integer of the first column of the first row (def when none/NULL). */
int64_t sim_sql_int(simulation *s, const char *sql, json_t *args, int64_t def);
/* Side state (sim_state): integer by key. */
int64_t sim_state_get(simulation *s, const char *key, int64_t def);
void sim_state_set(simulation *s, const char *key, int64_t value);

/* jobs.c */
bool jobs_load_kinds(simulation *s, char *err, size_t errlen);
const job_kind *jobs_kind(simulation *s, const char *type);
void jobs_register(simulation *s, int64_t now);
int64_t jobs_next_event(simulation *s); /* INT64_MAX when none */
void jobs_step(simulation *s, int64_t now);   /* ends then starts what is due at now */
void jobs_progress(simulation *s, int64_t now);
void jobs_start(simulation *s, const job_kind *k, const char *uid, int64_t now, bool by_client);
void jobs_stop(simulation *s, const job_kind *k, const char *uid, int64_t now);

/* alarms.c: a failed run of a job raises its active alarm (one per job);
 * its next success resolves it. */
void alarms_failed(simulation *s, const job_kind *k, const char *uid, json_t *job,
                   const char *message, int64_t now);
void alarms_succeeded(simulation *s, const job_kind *k, const char *uid, json_t *job, int64_t now);

/* counters.c: counts kept on a record of others (a backup agent's jobs) */
void counters_job_changed(simulation *s, const job_kind *k, json_t *job);
void counters_refresh(simulation *s);

/* repositories.c: a run's bytes land on a repository of the job's server */
void repositories_filled(simulation *s, const job_kind *k, json_t *job, int64_t bytes);

/* heartbeats.c */
void heartbeats_register(simulation *s, int64_t now);
void heartbeats_step(simulation *s, int64_t now);

/* billing.c: the month that closes next, and closing it (in batches:
 * called again while it returns false). */
void billing_init(simulation *s, int64_t now); /* the month of now is open */
int64_t billing_next_event(simulation *s);
bool billing_close(simulation *s, int64_t month_end);

/* usage.c: services and licence usage of every organization, recounted
 * from the world once a day (in batches: called again while it returns
 * false). */
void usage_init(simulation *s, int64_t now); /* the first pass is at now */
int64_t usage_next_event(simulation *s);
bool usage_step(simulation *s, int64_t at);

#endif
