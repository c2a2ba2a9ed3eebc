/* world_progress.h — the progress of a long world build in the log
 * (--scale companies=100000 takes minutes): records written of those
 * expected, the rate, and the time left at that rate, at most once a
 * second and not at all for a build done within its first second.
 *
 * world_progress_note is a world_options.progress callback (world.h): the
 * build calls it after each record; it looks at the clock only every
 * WORLD_PROGRESS_EVERY records, so it costs nothing next to a record. */
#ifndef VSPC_WORLD_PROGRESS_H
#define VSPC_WORLD_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

#define WORLD_PROGRESS_EVERY 256
#define WORLD_PROGRESS_SECONDS 1.0

typedef struct world_progress {
    double started;     /* monotonic seconds at the first note, 0: not yet */
    double last;        /* when the last line was logged (or started) */
    long last_done;     /* records written then */
    long lines;         /* lines logged */
} world_progress;

/* The line for done of expected records at rate records a second (since
 * the last line: later records cost more than the first, so the mean since
 * the start would promise too early an end), into out: "world: 120000 of
 * 1200000 records (10%), 40000 records/s, about 27 s left". */
void world_progress_format(char *out, size_t len, long done, long expected, double rate);

/* Whether a line is due at monotonic time now (seconds), and marks it
 * logged when it is. */
bool world_progress_due(world_progress *p, double now);

/* The callback: ctx is a world_progress (zeroed before the build). */
void world_progress_note(void *ctx, long done, long expected);

#endif
