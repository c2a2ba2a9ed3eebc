/* durations.h — how long VSPC takes to answer each operation, from
 * schema/durations.json: its processing time (a job start handed to its
 * backup server, an installer built, a company torn down), not how long
 * what it starts then runs. The async stage (issue 13) answers 202 for an
 * operation whose time exceeds the wait threshold.
 *
 * The table: "default" seconds, then "rules" tried in order, each
 * "METHOD pattern" where `*` matches one path segment (and, inside a
 * segment, any run of characters) and `**` any number of whole segments;
 * "operations" overrides by operationId. Loading refuses a rule that
 * matches no operation of the newest contract and an operationId it lacks,
 * so the table cannot rot silently.
 *
 * Whether an operation may run as an async action at all is the
 * contract's: it lists a 202 response (all but the /asyncActions
 * operations, the token endpoint and the RSA key, in 3.6.1).
 */
#ifndef VSPC_DURATIONS_H
#define VSPC_DURATIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "contract/contract.h"

typedef struct durations durations;

/* The table of schema_dir/durations.json for every contract of set. NULL
 * with err on failure. */
durations *durations_load(const char *schema_dir, const contract_set *set, char *err,
                          size_t errlen);
void durations_free(durations *d);

/* The processing time of op (an operation of one of the set's contracts),
 * in seconds; 0 for one the table was not loaded for. */
double durations_of(const durations *d, const operation *op);

/* Whether op's contract lists a 202 response for it. */
bool durations_async_capable(const durations *d, const operation *op);

/* Whether "METHOD pattern" (the table's rule syntax) matches method and
 * path template. Exposed for tests. */
bool durations_match(const char *rule, const char *method, const char *path);

#endif
