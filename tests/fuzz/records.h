/* records.h — a small store of generated records for the query harnesses.
 *
 * fuzz_records() opens, once per process, a store in fuzz_temp_dir() holding
 * FUZZ_RECORDS generated records (generate.h) of each of FUZZ_NTYPES item
 * schemas, so that compiled filters and sorts can be run by SQLite as the
 * server runs them (store_query_list). */
#ifndef VSPC_FUZZ_RECORDS_H
#define VSPC_FUZZ_RECORDS_H

#include <jansson.h>

#include "store/store.h"

#define FUZZ_NTYPES 5
#define FUZZ_RECORDS 3

/* The item schemas, by name: Company, User, ActiveAlarm, UserLogin, BackupServerJob. */
extern const char *const fuzz_types[FUZZ_NTYPES];

store *fuzz_records(void);

/* Runs an accepted query (its indexes made first) on the records of
 * fuzz_types[t], as a list of the first 10; aborts with `what` ("an
 * accepted filter runs") if the store refuses. Returns the list's total. */
long fuzz_run_query(size_t t, const store_query *q, const json_t *indexes, const char *what);

/* One generated record of fuzz_types[t] (borrowed). */
const json_t *fuzz_record(size_t t);

#endif
