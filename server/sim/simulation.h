/* simulation.h — a world that moves: on the clock (clock.h), backup jobs
 * of every kind run by their schedule, agents heartbeat, failures raise
 * alarms that the next success resolves, and each month closes an invoice
 * per company. What moves, and how, is data: schema/simulation.json.
 *
 * Every change is written through the store (store.h), in short
 * transactions of at most the file's "batch" records, so every view (lists,
 * filters, async action results, older versions) sees it and no request
 * waits long. What the contract has no entity for (job sessions, the
 * schedule's next run of a type without nextRun, which alarm a job raised)
 * lives in side tables of the same database (sim_*).
 *
 * Steps are event-driven: the next due run, session end or month end is
 * processed in time order up to the clock's now, so a manual advance of a
 * month runs every session of that month; heartbeats and progress are then
 * brought to now once. A real or fast clock is stepped by one thread of its
 * own every tickMs; a manual clock only by sim_advance, on the caller's
 * thread. Same seed, same advances, same world.
 */
#ifndef VSPC_SIMULATION_H
#define VSPC_SIMULATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "app/app.h"

typedef struct simulation simulation;

/* Reads schema/simulation.json from the schema dir, makes the side tables,
 * registers the world's jobs and agents and starts the clock clock_text
 * ("real", "fast:N", "manual"); a real or fast clock gets its thread.
 * NULL with err on a bad clock text or file. */
simulation *sim_open(app *a, const char *clock_text, char *err, size_t errlen);
/* The time a new world is built at for clock_text, in seconds since the
 * epoch: a manual clock's start (simulation.json's manualStart), so that
 * the world and its clock agree and the same seed gives the same world
 * on any day; 0 (the present) for a real or fast clock, or when the file
 * cannot say. */
time_t sim_world_now(const char *schema_dir, const char *clock_text);
/* Stops the thread (if any) and frees s; NULL is fine. */
void sim_close(simulation *s);

/* The simulated time now, in ms since the epoch. */
int64_t sim_now(simulation *s);

/* Manual clock: moves it seconds forward and runs every step up to the new
 * time before returning. False with err for another clock or a negative
 * number. */
bool sim_advance(simulation *s, int64_t seconds, char *err, size_t errlen);

/* Changes the clock's mode ("real", "fast:N", "manual") while the server
 * runs, without a jump in simulated time (sim/clock.h clock_set): a manual
 * clock stops the simulation's thread, a moving one starts it. False with
 * err (for the client) when text is not a mode, or for "real" when the
 * simulated time is ahead of the wall clock. */
bool sim_set_clock(simulation *s, const char *text, char *err, size_t errlen);

/* After the store's world was replaced (a reset or a snapshot restored):
 * the simulation takes it up at the clock's time (side tables made where
 * the world has none, its jobs and agents registered, what is due run,
 * usage counted where the world has not been). NULL is fine. */
void sim_world_replaced(simulation *s);

/* What a client's POST .../{id}/<action> does beyond its stored effect:
 * start and retry open a running session of job (type, uid) at once,
 * stop ends the running one. Anything else, or a type that is not a job,
 * is ignored. */
void sim_on_action(simulation *s, const char *type, const char *uid, const char *action);

/* {"mode": "manual", "now": "<date-time>", "nowMs": n, "rate": r}. */
json_t *sim_clock_json(simulation *s);
/* The sessions of job uid (every kind), newest first, at most limit. */
json_t *sim_sessions_json(simulation *s, const char *job_uid, long limit);

#endif
