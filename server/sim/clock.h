/* clock.h — the emulator's simulated time, which the simulation and every
 * time it writes read.
 *
 * Three modes (--clock, VSPC_CLOCK):
 *   real     simulated time is the wall clock;
 *   fast:N   N simulated seconds pass per real second (N > 0, decimals
 *            allowed), from the wall clock at start;
 *   manual   time moves only by clock_advance (tests, demos driven step
 *            by step); it starts at a fixed instant given at init, so the
 *            same advances give the same times.
 * clock_set changes the mode of a running clock (the admin API's "set
 * speed").
 * Times are milliseconds since the Unix epoch (UTC). Thread-safe.
 */
#ifndef VSPC_CLOCK_H
#define VSPC_CLOCK_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum clock_mode { CLOCK_REAL, CLOCK_FAST, CLOCK_MANUAL } clock_mode;

typedef struct sim_clock {
    clock_mode mode;
    double rate;           /* simulated per real second (1 when real) */
    int64_t origin_ms;     /* simulated time at anchor_real_ms (manual: now) */
    int64_t anchor_real_ms;
    pthread_mutex_t lock;
} sim_clock;

/* Reads "real", "fast:N" or "manual" ("" is real). False with err naming
 * what is wrong otherwise. */
bool clock_parse(const char *text, clock_mode *mode, double *rate, char *err, size_t errlen);

/* Starts c in mode/rate at the wall time real_ms; a manual clock starts at
 * manual_start_ms, the others at real_ms. */
void clock_init(sim_clock *c, clock_mode mode, double rate, int64_t real_ms,
                int64_t manual_start_ms);
void clock_destroy(sim_clock *c);

/* The simulated time when the wall clock reads real_ms (clock_now: now). */
int64_t clock_at(sim_clock *c, int64_t real_ms);
int64_t clock_now(sim_clock *c);
/* The wall clock, in ms. */
int64_t clock_real_ms(void);

/* Moves a manual clock forward by ms (>= 0); false (and nothing moves)
 * for the other modes or a negative ms. */
bool clock_advance(sim_clock *c, int64_t ms);

/* Changes c's mode (and rate) at the wall time real_ms without a jump: a
 * manual or fast clock goes on from the simulated time it had then. A real
 * clock reads the wall again, so it moves to it; false (nothing changes)
 * when the simulated time is ahead of the wall: time never goes back. */
bool clock_set(sim_clock *c, clock_mode mode, double rate, int64_t real_ms);
/* The mode and rate now (a clock_set may change them at any time). */
clock_mode clock_mode_of(sim_clock *c);
double clock_rate(sim_clock *c);

/* "real", "fast:60", "manual" into out. */
void clock_describe(sim_clock *c, char *out, size_t len);

/* ms as VSPC writes date-times ("2026-11-30T12:00:00.0000000+00:00"). */
#define CLOCK_TEXT_LEN 40
void clock_format(int64_t ms, char *out, size_t len);
/* Reads an ISO 8601 date-time ("...Z", "...+hh:mm", fractions allowed);
 * false when it is not one. */
bool clock_parse_time(const char *text, int64_t *ms);
/* The first instant of the month after ms's (UTC), and the first of ms's. */
int64_t clock_next_month(int64_t ms);
int64_t clock_month_start(int64_t ms);

#endif
