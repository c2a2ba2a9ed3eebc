/* world_progress.c — see world_progress.h. */
#include "world/world_progress.h"

#include <stdio.h>
#include <time.h>

#include "base/log.h"

void world_progress_format(char *out, size_t len, long done, long expected, double rate)
{
    int n = snprintf(out, len, "world: %ld of %ld records (%.0f%%), %.0f records/s", done,
                     expected, expected > 0 ? 100.0 * (double)done / (double)expected : 100.0,
                     rate);
    if (n < 0 || (size_t)n >= len)
        return;
    long left = expected - done;
    if (rate > 0 && left > 0) {
        double s = (double)left / rate;
        if (s < 90)
            snprintf(out + n, len - (size_t)n, ", about %.0f s left", s);
        else
            snprintf(out + n, len - (size_t)n, ", about %.0f min left", s / 60);
    }
}

bool world_progress_due(world_progress *p, double now)
{
    if (p->started == 0) {
        p->started = p->last = now;
        return false;
    }
    if (now - p->last < WORLD_PROGRESS_SECONDS)
        return false;
    p->last = now;
    p->lines++;
    return true;
}

void world_progress_note(void *ctx, long done, long expected)
{
    world_progress *p = ctx;
    if (done % WORLD_PROGRESS_EVERY != 1)
        return;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    double now = (double)t.tv_sec + (double)t.tv_nsec / 1e9;
    if (done == 1) /* a build starts (one per contract version): its own clock */
        *p = (world_progress){0};
    double since = now - p->last;
    if (!world_progress_due(p, now))
        return;
    char line[160];
    world_progress_format(line, sizeof line, done, expected,
                          since > 0 ? (double)(done - p->last_done) / since : 0);
    p->last_done = done;
    log_info("%s", line);
}
