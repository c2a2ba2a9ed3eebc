/* timespan.h — durations as .NET's TimeSpan writes them, the form of
 * VSPC's appsettings.json ("00:05:00" is five minutes). Accepted, with an
 * optional '-' and spaces around:
 *   d                 whole days (so a bare "5" is five days, as .NET reads it)
 *   [d.]h:mm[:ss]     days, hours 0-23, minutes and seconds 0-59
 *   d:h:mm:ss
 * each form with seconds may end in .fffffff (1-7 digits of a second).
 * Kept in milliseconds (finer digits are dropped); days up to 10675199,
 * TimeSpan.MaxValue's. */
#ifndef VSPC_TIMESPAN_H
#define VSPC_TIMESPAN_H

#include <stdbool.h>
#include <stddef.h>

/* False, *ms untouched, when text is not a TimeSpan. */
bool timespan_parse(const char *text, long long *ms);

/* The text of a duration: "00:05:00", "1.00:00:00", "00:00:00.250". */
void timespan_format(long long ms, char *out, size_t len);

#endif
