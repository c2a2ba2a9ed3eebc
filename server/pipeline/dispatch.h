/* dispatch.h — from a request to an answer, the same way for every route.
 *
 *   1. the path must lie under /api/v3, else 404;
 *   2. X-Client-Version picks the contract document (400 if unsupported);
 *   3. the route index finds the operation (404 unknown path, 405 known
 *      path with another method, with an Allow header);
 *   4. a body larger than --max-body is refused (413);
 *   5. query, path and header parameters are checked (400 parameterName);
 *   6. the body is checked: media type (415), presence, syntax and schema
 *      (400 propertyName), and a GET's select paths (400 "select");
 *   7. the operation's handler answers (handlers.h), and select keeps only
 *      the properties asked for.
 * Every failure is VSPC's error envelope (errors.h).
 */
#ifndef VSPC_DISPATCH_H
#define VSPC_DISPATCH_H

#include "request/request.h"
#include "answer/response.h"

#define API_PREFIX "/api/v3"

void dispatch(request *req, response *res);

#endif
