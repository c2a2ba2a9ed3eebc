/* timestamps.c — see timestamps.h. */
#include "world/timestamps.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil): no timegm, which C11 does not have. */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, long *m, long *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* n digits at *p into *out; advances p. */
static bool digits(const char **p, int n, long *out)
{
    long v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return false;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return true;
}

/* text as whole seconds since the epoch and 100 ns ticks, exactly. */
static bool parse_exact(const char *text, long long *secs, long *ticks)
{
    const char *p = text;
    long y, mo, d, h = 0, mi = 0, s = 0;
    if (!p || !digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
        !digits(&p, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
        return false;
    long frac = 0, offset = 0;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi) || h > 23 || mi > 59)
            return false;
        if (*p == ':') {
            p++;
            if (!digits(&p, 2, &s) || s > 60)
                return false;
        }
        if (*p == '.') {
            p++;
            long scale = 1000000;
            if (!isdigit((unsigned char)*p))
                return false;
            for (; isdigit((unsigned char)*p); p++, scale /= 10)
                frac += (*p - '0') * scale; /* digits past the 7th are dropped */
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1;
            long oh, om = 0;
            if (!digits(&p, 2, &oh))
                return false;
            if (*p == ':')
                p++;
            if (isdigit((unsigned char)*p) && !digits(&p, 2, &om))
                return false;
            offset = sign * (oh * 3600 + om * 60);
        }
    }
    if (*p)
        return false;
    *secs = (long long)days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset;
    *ticks = frac;
    return true;
}

bool ts_parse(const char *text, double *epoch)
{
    long long secs;
    long ticks;
    if (!parse_exact(text, &secs, &ticks))
        return false;
    *epoch = (double)secs + (double)ticks / 1e7;
    return true;
}

/* VSPC's form of secs + ticks, in UTC. */
static void format_exact(long long secs, long ticks, char *out, size_t len)
{
    long days = (long)(secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400));
    long rem = (long)(secs - (long long)days * 86400);
    long y, m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(out, len, "%04ld-%02ld-%02ldT%02ld:%02ld:%02ld.%07ld+00:00", y, m, d, rem / 3600,
             rem / 60 % 60, rem % 60, ticks);
}

bool ts_normalize(const char *text, char *out, size_t len)
{
    long long secs;
    long ticks;
    if (!parse_exact(text, &secs, &ticks))
        return false;
    format_exact(secs, ticks, out, len);
    return true;
}

bool ts_is_vspc(const char *text)
{
    /* yyyy-MM-ddTHH:mm:ss.fffffff+hh:mm */
    static const char shape[] = "dddd-dd-ddTdd:dd:dd.ddddddd+dd:dd";
    if (!text || strlen(text) != sizeof shape - 1)
        return false;
    for (size_t i = 0; shape[i]; i++) {
        char c = text[i];
        bool ok = shape[i] == 'd' ? isdigit((unsigned char)c) != 0
                  : shape[i] == '+' ? c == '+' || c == '-'
                                    : c == shape[i];
        if (!ok)
            return false;
    }
    double e;
    return ts_parse(text, &e);
}

void ts_format(double epoch, char *out, size_t len)
{
    double whole = floor(epoch);
    long ticks = (long)llround((epoch - whole) * 1e7);
    if (ticks >= 10000000) { /* rounding reached the next second */
        whole += 1;
        ticks -= 10000000;
    }
    format_exact((long long)whole, ticks, out, len);
}
