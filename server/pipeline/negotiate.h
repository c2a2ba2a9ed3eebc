/* negotiate.h — the answer's format from the request's Accept
 * (answer/accept.h): JSON, XML or CSV.
 *
 * Two places in the pipeline (dispatch.h):
 *   negotiate  a stage after validate and before async and handle: a
 *              request whose Accept names no format the emulator writes is
 *              refused with 406 before anything is done (ASP.NET would run
 *              the action first; a refusal without side effects is what a
 *              client can retry). Downloads (the contract's
 *              application/octet-stream answers: PDF, CSV, the XML
 *              configurations and metadata) are files and go out as they
 *              are, whatever the Accept, as ASP.NET's file results do;
 *   serialise  every answer, errors included, is written in the format
 *              Accept asks for when there is one (an error before the
 *              negotiate stage, such as a 401, in JSON when Accept names
 *              none), with the schema of its body for XML's element names:
 *              the operation's answer, ErrorResponse for errors,
 *              OAuth2Error for the token endpoint's.
 */
#ifndef VSPC_NEGOTIATE_H
#define VSPC_NEGOTIATE_H

#include <stdbool.h>

#include "answer/response.h"
#include "request/request.h"

/* The stage: false (406 answered) when Accept allows no format. */
bool negotiate_stage(request *req, response *res);

/* Sets res's format and body schema for response_serialise. */
void negotiate_format(const request *req, response *res);

#endif
