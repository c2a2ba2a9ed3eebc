/* journal.h — the request journal: what clients sent and what they got,
 * for a test to look at afterwards (GET /_emulator/journal) or to count
 * (POST /_emulator/journal/verify, WireMock's verify).
 *
 * A bounded ring of the newest --journal-size entries (VSPC_JOURNAL_SIZE,
 * default 10,000; 0: nothing is kept, for load runs) of every request to
 * the paths schema/journal.json lists (/api/v3, /proxy/); the admin API
 * and /metrics are never journalled. An entry: its number, time, the user
 * (login and uid, when authenticated), method, path, query, the request
 * headers schema/journal.json lists, the body (its first bodyBytes, with a
 * truncated flag), the operationId, status, duration in ms, for a 202
 * the async action's id, and the fault rule that applied (its id and
 * effect) if one did. Requests the transport refuses before the
 * pipeline (414, 431, a Content-Length over --max-body: http/http.c) never
 * reach it. Secrets are redacted before anything is kept
 * (journal/redact.h): a password never reaches the ring.
 *
 * Recorded by the pipeline's record step (pipeline/dispatch.h), once the
 * answer is serialised. Thread-safe and cheap: the entry is built outside
 * the lock, which is held only to put its pointer in the ring (the entry
 * it replaces is freed outside it too) and to read entries. */
#ifndef VSPC_JOURNAL_H
#define VSPC_JOURNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "answer/response.h"
#include "request/request.h"

#define JOURNAL_DEFAULT_SIZE 10000

typedef struct journal journal;

/* A ring of capacity entries (0: a journal that keeps nothing), with the
 * rules of schema_dir/journal.json. NULL with err. */
journal *journal_open(const char *schema_dir, size_t capacity, char *err, size_t errlen);
void journal_free(journal *j);

/* Whether a request to path is journalled. */
bool journal_wants(const journal *j, const char *path);

/* Records req and its answer res (serialised), which took duration_ms. */
void journal_record(journal *j, const request *req, const response *res, double duration_ms);

/* Entries kept now, and the ring's size. */
size_t journal_count(journal *j);
size_t journal_capacity(const journal *j);

/* Which entries a query or a verify is about; NULL or "" fields match
 * everything. method: exact, ignoring case. path: a pattern where '*'
 * matches within one segment and '**' across segments, ignoring case.
 * user: the login (ignoring case) or the uid. status: "404", or a class
 * "4xx". since / until: epoch seconds, inclusive (0: no bound). */
typedef struct journal_filter {
    const char *method;
    const char *path;
    const char *user;
    const char *status;
    double since, until;
} journal_filter;

/* Whether status is a valid filter ("" , "201", "2xx"). */
bool journal_status_valid(const char *status);

/* The entries that match, newest first, at most limit of them (each a new
 * JSON object in *out, an array); returns how many match in all. */
size_t journal_query(journal *j, const journal_filter *f, size_t limit, json_t **out);

/* Forgets every entry (the numbering goes on). */
void journal_clear(journal *j);

#endif
