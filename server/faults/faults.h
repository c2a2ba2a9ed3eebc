/* faults.h — fault injection: rules an integration tester adds through
 * the admin API (/_emulator/faults) that make chosen VSPC requests slow,
 * fail, throttled, async, dropped or cut short, reproducibly.
 *
 * A rule matches a request by method ("*": any), by a path pattern ("*"
 * matches any run of characters, "/" included, case-insensitively; a
 * pattern not under /api/ is taken under /api/v3) or an operationId, and
 * optionally by the caller's login. It applies with a probability drawn
 * from its own seeded stream (its "seed", else one derived from --seed and
 * the rule's text: the same rule added again fails the same requests of
 * the same sequence), at most "count" times when a count is given, with
 * ONE effect whose properties and bounds are the table of
 * schema/faults.json (latency, status, throttle, async, drop, truncate).
 *
 * Rules are tried in the order they were added; the first that matches and
 * whose draw hits applies (a rule that matches draws once per request,
 * hit or miss). faults_draw says what to do; the pipeline (the "fault"
 * stage, pipeline/dispatch.h) and the transport (http/http_delay.h) carry
 * it out. Thread-safe: one mutex; with no rules a draw costs one atomic
 * read. */
#ifndef VSPC_FAULTS_H
#define VSPC_FAULTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "faults/fault_hit.h"

typedef struct faults faults;

/* The effects' table from schema_dir/faults.json; seed: --seed. NULL with
 * err. */
faults *faults_open(const char *schema_dir, long seed, char *err, size_t errlen);
void faults_close(faults *f);

/* Adds a rule (the admin API's FaultRule): its stored form with "id",
 * "seed", "applied" and "matched", or NULL when not valid, with the
 * property at fault in prop ("effect.status"; "" for the body) and why. */
json_t *faults_add(faults *f, const json_t *rule, char *prop, size_t proplen, char *why,
                   size_t whylen);
/* Every rule in order, with how many requests matched and how many it
 * applied to. */
json_t *faults_list(faults *f);
/* Removes rule id; false when there is none. */
bool faults_remove(faults *f, long id);
/* Removes every rule; how many there were. */
size_t faults_clear(faults *f);

/* Whether any live rule names a user (then the pipeline finds out who the
 * caller is before drawing). */
bool faults_want_user(faults *f);
/* Draws for q: true with *hit filled when a rule applies. */
bool faults_draw(faults *f, const fault_request *q, fault_hit *hit);

#endif
