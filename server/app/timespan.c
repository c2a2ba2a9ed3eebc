/* timespan.c — see timespan.h. The text is cut into numbers and the
 * separators between them; the string of separators says which form it
 * is. */
#include "app/timespan.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define MAX_DAYS 10675199LL

typedef struct form {
    const char *seps;
    /* which number each position is: d(ays) h m s f(raction) */
    const char *fields;
} form;

static const form forms[] = {
    {"", "d"},          {".:", "dhm"},       {".::", "dhms"}, {".::.", "dhmsf"},
    {":", "hm"},        {"::", "hms"},       {"::.", "hmsf"}, {":::", "dhms"},
    {":::.", "dhmsf"},
};

bool timespan_parse(const char *text, long long *ms)
{
    if (!text)
        return false;
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    bool negative = *p == '-';
    if (negative)
        p++;
    long long nums[6];
    int digits[6];
    char seps[6];
    size_t n = 0, nsep = 0;
    for (;;) {
        if (n == 6 || !isdigit((unsigned char)*p))
            return false;
        long long v = 0;
        int d = 0;
        while (isdigit((unsigned char)*p)) {
            if (++d > 8)
                return false;
            v = v * 10 + (*p++ - '0');
        }
        nums[n] = v;
        digits[n++] = d;
        if (*p != '.' && *p != ':')
            break;
        seps[nsep++] = *p++;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p)
        return false;
    seps[nsep] = 0;
    const form *f = NULL;
    for (size_t i = 0; i < sizeof forms / sizeof forms[0] && !f; i++)
        if (!strcmp(forms[i].seps, seps))
            f = &forms[i];
    if (!f)
        return false;
    long long d = 0, h = 0, m = 0, s = 0, frac_ms = 0;
    for (size_t i = 0; i < n; i++) {
        switch (f->fields[i]) {
        case 'd': d = nums[i]; break;
        case 'h': h = nums[i]; break;
        case 'm': m = nums[i]; break;
        case 's': s = nums[i]; break;
        case 'f': {
            if (digits[i] > 7)
                return false;
            long long v = nums[i];
            for (int k = digits[i]; k < 3; k++)
                v *= 10;
            for (int k = digits[i]; k > 3; k--)
                v /= 10;
            frac_ms = v;
            break;
        }
        }
        if (f->fields[i] != 'd' && f->fields[i] != 'f' && digits[i] > 2)
            return false;
    }
    if (d > MAX_DAYS || h > 23 || m > 59 || s > 59)
        return false;
    long long v = (((d * 24 + h) * 60 + m) * 60 + s) * 1000 + frac_ms;
    *ms = negative ? -v : v;
    return true;
}

void timespan_format(long long ms, char *out, size_t len)
{
    const char *sign = ms < 0 ? "-" : "";
    unsigned long long v = ms < 0 ? (unsigned long long)-ms : (unsigned long long)ms;
    unsigned long long f = v % 1000, s = v / 1000 % 60, m = v / 60000 % 60,
                       h = v / 3600000 % 24, d = v / 86400000;
    char days[32] = "", frac[8] = "";
    if (d)
        snprintf(days, sizeof days, "%llu.", d);
    if (f)
        snprintf(frac, sizeof frac, ".%03llu", f);
    snprintf(out, len, "%s%s%02llu:%02llu:%02llu%s", sign, days, h, m, s, frac);
}
