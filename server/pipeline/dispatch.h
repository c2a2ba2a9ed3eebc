/* dispatch.h — from a request to an answer, the same way for every route:
 * the request pipeline. The map, in order (dispatch.c's stage table):
 *
 *   transport     http/http.h: bytes to a request (limits, the raw target)
 *   route         the path under /api/v3 (else 404); X-Client-Version picks
 *                 the contract (400 if unsupported); the route index finds
 *                 the operation (404, or 405 with Allow)
 *   authenticate  the credential (401 whatever failed; 403 read-only writes),
 *                 except for the anonymous operations of the handler table
 *   admit         the caller's role may call the operation (403 `security`,
 *                 tenancy/admission.h); the caller's scope of records
 *                 (tenancy/scope.h), which the handlers' queries carry
 *   (throttle)    VSPC's request limits: issue 13
 *   validate      a body over --max-body (413); query, path and header
 *                 parameters (400 parameterName); the body: media type
 *                 (415), presence, syntax and schema (400 propertyName); a
 *                 GET's select paths (400 "select")
 *   handle        the operation's handler (handlers/handlers.h) answers a
 *                 value (answer/response.h)
 *   shape         select keeps only the properties asked for; a refused
 *                 request of an OAuth operation takes the OAuth 2.0 error
 *                 shape
 *   serialise     the answer becomes bytes, once (response_serialise)
 *   (record)      the journal and metrics: later issues
 *
 * A stage that answers ends the run; shape and serialise always follow.
 * Every failure is one row of VSPC's error vocabulary (answer/errors.h).
 */
#ifndef VSPC_DISPATCH_H
#define VSPC_DISPATCH_H

#include "request/request.h"
#include "answer/response.h"

#define API_PREFIX "/api/v3"

void dispatch(request *req, response *res);

#endif
