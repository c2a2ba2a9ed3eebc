/* timestamps.h — VSPC's date-time text, read and written.
 *
 * VSPC writes every date-time as ISO 8601 with seven fraction digits and an
 * offset: yyyy-MM-ddTHH:mm:ss.fffffffK (the REST overview's example
 * 2023-01-16T16:30:09.4952609+01:00). ts_parse reads that and the looser
 * forms clients and older fixtures use (no fraction, "Z", no seconds);
 * ts_format always writes VSPC's form, in UTC (+00:00). Times are seconds
 * since the epoch as doubles, so the fraction survives a round trip to
 * 100 ns. No locale, no time zone database: the calendar is computed.
 */
#ifndef VSPC_TIMESTAMPS_H
#define VSPC_TIMESTAMPS_H

#include <stdbool.h>
#include <stddef.h>

/* Seconds since 1970-01-01T00:00:00Z of text; false when text is not a
 * date-time (a date alone, "yyyy-MM-dd", counts as its midnight UTC). */
bool ts_parse(const char *text, double *epoch);

/* True when text is exactly in VSPC's form. */
bool ts_is_vspc(const char *text);

/* VSPC's form of epoch, in UTC: "2023-01-16T15:30:09.4952609+00:00". */
void ts_format(double epoch, char *out, size_t len);

/* text (any form ts_parse reads) rewritten exactly in VSPC's form, in
 * UTC, fraction kept to the 100 ns; false when text is not a date-time. */
bool ts_normalize(const char *text, char *out, size_t len);

#endif
