/* dispatch.h — from a request to an answer, the same way for every route:
 * the request pipeline. The map, in order (dispatch.c's stage table):
 *
 *   transport     http/http.h: bytes to a request (limits, the raw target)
 *   route         the path under /api/v3 (else 404); X-Client-Version picks
 *                 the contract (400 if unsupported); the route index finds
 *                 the operation (404, or 405 with Allow)
 *   fault         the admin API's fault rules (faults/faults.h): a status
 *                 or a 429 answered at once, a drop, a forced async, a
 *                 latency or a truncated body carried out by the
 *                 transport (http/http_delay.h)
 *   authenticate  the credential (401 whatever failed; 403 read-only writes),
 *                 except for the anonymous operations of the handler table
 *   admit         the caller's role may call the operation (403 `security`,
 *                 tenancy/admission.h); the caller's scope of records
 *                 (tenancy/scope.h), which the handlers' queries carry
 *   throttle      VSPC's request limits for the caller's groups (all
 *                 requests, its address, its user, its user at that
 *                 address; throttle/throttle.h): 429 `transport` over one,
 *                 with retryAfter when a per-time-unit limit is reached
 *   validate      a body over --max-body (413); query, path and header
 *                 parameters (400 parameterName); the body: media type
 *                 (415), presence, syntax and schema (400 propertyName); a
 *                 GET's select paths (400 "select")
 *   negotiate     the request's Accept names a format the emulator writes:
 *                 JSON, XML or CSV (406 otherwise; pipeline/negotiate.h)
 *   async         an operation VSPC takes longer to answer than the wait
 *                 threshold (contract/durations.h) is accepted as an async
 *                 action: 202 with its Location (async/actions.h), run
 *                 later by dispatch_deferred
 *   handle        the operation's handler (handlers/handlers.h) answers a
 *                 value (answer/response.h)
 *   shape         a client of an older version reads the data in its
 *                 version's shape (contract/conform.h: the table of
 *                 differences, contract/differences.h; the newest
 *                 version's clients skip it); then select keeps only the
 *                 properties asked for; a refused request of an OAuth
 *                 operation takes the OAuth 2.0 error shape
 *   serialise     the answer becomes bytes, once, in the REST overview's
 *                 envelope (response_serialise), in the format Accept
 *                 asks for (pipeline/negotiate.h)
 *   record        the metrics' counters (metrics/metrics.h) and the
 *                 journal's entry (journal/journal.h, secrets redacted),
 *                 once the answer is bytes. Once the answer has been sent,
 *                 dispatch_finished gives back the places the request held
 *                 among the requests in process (throttle)
 *
 * A stage that answers ends the run; shape, serialise and record always
 * follow.
 *
 * Paths outside /api/v3 take their own way: /_emulator/ (the emulator's
 * admin API, admin/admin.h: its own secret, no VSPC stage), GET /metrics
 * (metrics/metrics.h) and /api/swagger/ (swagger/swagger.h) are answered
 * by their module and serialised, not recorded; /proxy/ (request
 * proxying, proxy/proxy.h) is authenticated, admitted and throttled as the
 * operation schema/proxy.json names, then forwarded, serialised and
 * recorded — the product's answer is neither validated nor shaped.
 * Every failure is one row of VSPC's error vocabulary (answer/errors.h).
 */
#ifndef VSPC_DISPATCH_H
#define VSPC_DISPATCH_H

#include "request/request.h"
#include "answer/response.h"

#define API_PREFIX "/api/v3"

void dispatch(request *req, response *res);

/* The pipeline for an async action's request when it is due: req->who is
 * its initiator, already authenticated and counted; route, admit,
 * validate, handle, shape and serialise run again, async never. */
void dispatch_deferred(request *req, response *res);

/* The end of a request, called by the transport once its answer has been
 * sent or its connection lost (a client slow to read an answer keeps its
 * request in process until then): gives back what the request held
 * (req->held, which the transport keeps past the request). */
void dispatch_finished(throttle_hold *held);

#endif
