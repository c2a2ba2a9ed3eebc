/* actions.h — VSPC's async actions: an operation that takes VSPC longer
 * than the wait threshold to answer (contract/durations.h) is accepted
 * with 202 and a Location of /api/v3/asyncActions/{id}, and runs later.
 *
 * An action is a stored record (ASYNC_TYPE, its UID the action's id):
 * the body is what GET /asyncActions shows (id, initiatorUid, actionName =
 * the operationId, status running | succeed | failed | canceled,
 * queryParameters, requestBody); its scope keeps the request (method,
 * path, query, version header, body), the initiator, when it is due, and
 * once finished the operation's answer (status, content type, bytes).
 *
 * The worker thread runs a due action's request through the pipeline
 * (the runner given to async_open: route, admit, validate, handle, shape,
 * serialise, as the initiator) inside one store transaction that also
 * marks the action finished, so the effect and the status land together
 * or not at all; an action canceled before it is due never runs. At
 * start, actions an earlier run left running are failed: they were never
 * applied. Finished actions are forgotten after the result or failure
 * expiration time, checked every timer resolution (VSPC's AsyncAction
 * settings).
 *
 * x-request-id gives the action its UID: the same request again with it,
 * while the action runs or its result is kept, returns the same action
 * (the operation runs once); the id of an action of another method, path
 * or initiator is a 400 naming x-request-id.
 */
#ifndef VSPC_ASYNC_ACTIONS_H
#define VSPC_ASYNC_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "answer/response.h"
#include "contract/durations.h"
#include "request/request.h"
#include "store/store.h"

#define ASYNC_TYPE "AsyncActionInfo"
#define ASYNC_PATH "/api/v3/asyncActions/"

typedef struct async_settings {
    double after_seconds;   /* --async-after: longer operations go async */
    const char *forced;     /* --async-operations: operationIds always
                             * async, comma-separated, or NULL */
    long result_ttl_ms;     /* ResultExpirationTime (5 min) */
    long failure_ttl_ms;    /* FailureExpirationTime (1 h) */
    long timer_ms;          /* TimerResolution (1 min) */
} async_settings;

/* The pipeline for a deferred request: req->who is the initiator. */
typedef void (*async_runner)(request *req, response *res);

typedef struct async_actions async_actions;

/* Fails the actions an earlier run left running, then starts the worker.
 * a is the app requests are run in; d gives each operation's time. NULL
 * with err on failure. */
async_actions *async_open(const app *a, const durations *d, const async_settings *s,
                          async_runner run, char *err, size_t errlen);
/* Stops the worker (an action being run finishes first). */
void async_close(async_actions *aa);

/* The async stage: whether req (routed, authenticated, admitted and
 * validated) runs as an async action. When it does, true, with res the
 * 202 and the action (or the 409 of a reused x-request-id). */
bool async_take(async_actions *aa, request *req, response *res);

/* Whether operationId is in the forced list (for tests). */
bool async_forced(const async_settings *s, const char *operation_id);

/* The store's records were replaced (a snapshot restored, a reset): the
 * worker looks again for the earliest due running action, so that one of
 * the restored world runs when due, not at the next expiry check. */
void async_rescan(async_actions *aa);

/* The settings' result retention in seconds (GET /asyncActions/config). */
long async_retention_seconds(const async_actions *aa);

#endif
