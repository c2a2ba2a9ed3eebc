/* clock.c — see clock.h. */
#include "sim/clock.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool clock_parse(const char *text, clock_mode *mode, double *rate, char *err, size_t errlen)
{
    if (!text || !*text || !strcmp(text, "real")) {
        *mode = CLOCK_REAL;
        *rate = 1;
        return true;
    }
    if (!strcmp(text, "manual")) {
        *mode = CLOCK_MANUAL;
        *rate = 0;
        return true;
    }
    if (!strncmp(text, "fast:", 5)) {
        char *end;
        errno = 0;
        double n = strtod(text + 5, &end);
        /* a rate above a year a second is a typo, not a demo */
        if (text[5] && !*end && !errno && isfinite(n) && n > 0 && n <= 31536000) {
            *mode = CLOCK_FAST;
            *rate = n;
            return true;
        }
        snprintf(err, errlen, "--clock: '%s': fast:N needs N simulated seconds per second, "
                 "a number above 0", text);
        return false;
    }
    snprintf(err, errlen, "--clock: '%s' is not real, fast:N or manual", text);
    return false;
}

void clock_init(sim_clock *c, clock_mode mode, double rate, int64_t real_ms,
                int64_t manual_start_ms)
{
    c->mode = mode;
    c->rate = mode == CLOCK_REAL ? 1 : mode == CLOCK_MANUAL ? 0 : rate;
    c->anchor_real_ms = real_ms;
    c->origin_ms = mode == CLOCK_MANUAL ? manual_start_ms : real_ms;
    pthread_mutex_init(&c->lock, NULL);
}

void clock_destroy(sim_clock *c)
{
    pthread_mutex_destroy(&c->lock);
}

int64_t clock_real_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The simulated time at real_ms; c->lock held. */
static int64_t at_locked(const sim_clock *c, int64_t real_ms)
{
    if (c->mode == CLOCK_MANUAL)
        return c->origin_ms;
    if (c->mode == CLOCK_REAL)
        return real_ms;
    return c->origin_ms + (int64_t)llround((double)(real_ms - c->anchor_real_ms) * c->rate);
}

int64_t clock_at(sim_clock *c, int64_t real_ms)
{
    pthread_mutex_lock(&c->lock);
    int64_t now = at_locked(c, real_ms);
    pthread_mutex_unlock(&c->lock);
    return now;
}

int64_t clock_now(sim_clock *c)
{
    return clock_at(c, clock_real_ms());
}

bool clock_advance(sim_clock *c, int64_t ms)
{
    pthread_mutex_lock(&c->lock);
    bool ok = c->mode == CLOCK_MANUAL && ms >= 0;
    if (ok)
        c->origin_ms += ms;
    pthread_mutex_unlock(&c->lock);
    return ok;
}

bool clock_set(sim_clock *c, clock_mode mode, double rate, int64_t real_ms)
{
    pthread_mutex_lock(&c->lock);
    /* read and replaced under one lock: an advance between would be lost */
    int64_t now = at_locked(c, real_ms);
    bool ok = mode != CLOCK_REAL || now <= real_ms;
    if (ok) {
        c->mode = mode;
        c->rate = mode == CLOCK_REAL ? 1 : mode == CLOCK_MANUAL ? 0 : rate;
        c->anchor_real_ms = real_ms;
        c->origin_ms = mode == CLOCK_REAL ? real_ms : now;
    }
    pthread_mutex_unlock(&c->lock);
    return ok;
}

clock_mode clock_mode_of(sim_clock *c)
{
    pthread_mutex_lock(&c->lock);
    clock_mode m = c->mode;
    pthread_mutex_unlock(&c->lock);
    return m;
}

double clock_rate(sim_clock *c)
{
    pthread_mutex_lock(&c->lock);
    double r = c->rate;
    pthread_mutex_unlock(&c->lock);
    return r;
}

void clock_describe(sim_clock *c, char *out, size_t len)
{
    pthread_mutex_lock(&c->lock);
    if (c->mode == CLOCK_REAL)
        snprintf(out, len, "real");
    else if (c->mode == CLOCK_MANUAL)
        snprintf(out, len, "manual");
    else
        snprintf(out, len, "fast:%g", c->rate);
    pthread_mutex_unlock(&c->lock);
}

void clock_format(int64_t ms, char *out, size_t len)
{
    time_t s = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    int frac = (int)(ms - (int64_t)s * 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03d0000+00:00", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

bool clock_parse_time(const char *text, int64_t *ms)
{
    if (!text)
        return false;
    int y, mo, d, h, mi, sec, n = 0;
    if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
        return false;
    const char *p = text + n;
    double frac = 0;
    if (*p == '.') {
        double scale = 0.1;
        for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
            frac += (*p - '0') * scale;
    }
    int offset_min = 0;
    if (*p == 'Z')
        p++;
    else if (*p == '+' || *p == '-') {
        int oh, om, k = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &k) != 2 || k != 5)
            return false;
        offset_min = (*p == '-' ? -1 : 1) * (oh * 60 + om);
        p += 6;
    } else
        return false;
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return false;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
                    .tm_min = mi, .tm_sec = sec};
    int64_t s = (int64_t)timegm(&tm) - (int64_t)offset_min * 60;
    *ms = s * 1000 + (int64_t)llround(frac * 1000);
    return true;
}

int64_t clock_month_start(int64_t ms)
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    struct tm first = {.tm_year = tm.tm_year, .tm_mon = tm.tm_mon, .tm_mday = 1};
    return (int64_t)timegm(&first) * 1000;
}

int64_t clock_next_month(int64_t ms)
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    struct tm next = {.tm_year = tm.tm_year + (tm.tm_mon == 11), .tm_mon = (tm.tm_mon + 1) % 12,
                      .tm_mday = 1};
    return (int64_t)timegm(&next) * 1000;
}
