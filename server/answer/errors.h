/* errors.h — VSPC's error vocabulary, in one place.
 *
 * Every error the emulator answers goes through error_respond(): the body is
 * the VSPC envelope {"errors":[{"message","type","code","parameterName" or
 * "propertyName"}]}; the HTTP status is the code for client errors (400-499)
 * and 520 for server errors, as the REST overview says; error codes above 999
 * (1001 JSON Patch failed, 1207 bad TOTP...) travel with the HTTP status the
 * table below gives them.
 */
#ifndef VSPC_ERRORS_H
#define VSPC_ERRORS_H

#include "answer/response.h"

typedef enum error_type {
    ERROR_LOGICAL,
    ERROR_RETRYABLE_LOGICAL,
    ERROR_SECURITY,
    ERROR_TRANSPORT,
    ERROR_UNSPECIFIED,
} error_type;

/* The VSPC name of an error type: "logical", "retryableLogical", ... */
const char *error_type_name(error_type t);

/* The HTTP status VSPC answers with for an error code. */
int error_http_status(int code);

/* Which property names the culprit. */
typedef enum error_subject {
    SUBJECT_NONE,
    SUBJECT_PARAMETER, /* a query, path or header parameter: "parameterName" */
    SUBJECT_PROPERTY,  /* a property of the request body: "propertyName" */
} error_subject;

/* Fills r with one error. `name` is the parameter or property (ignored with
 * SUBJECT_NONE); message is printf-style. Replaces any earlier body. */
void error_respond(response *r, int code, error_type type, error_subject subject,
                   const char *name, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* 429 as the REST overview's "Throttling" shows it: {"errors":[{"message",
 * "type":"transport","code":429,"retryAfter":N}]} and a Retry-After header
 * of N seconds (N >= 1). */
void error_throttled(response *r, long retry_after_seconds, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The token endpoint answers errors in the OAuth 2.0 shape (RFC 6749 5.2,
 * the contract's OAuth2Error): 400 {"error": code, "error_description": ...}. */
void error_oauth(response *r, const char *error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Rewrites a VSPC error envelope already in r into the OAuth 2.0 shape:
 * a grant_type that was given but is not valid becomes
 * unsupported_grant_type, anything else invalid_request (RFC 6749 5.2). */
void error_to_oauth(response *r, bool grant_type_given);

/* Shorthands for the common cases. */
#define error_bad_parameter(r, name, ...) \
    error_respond((r), 400, ERROR_LOGICAL, SUBJECT_PARAMETER, (name), __VA_ARGS__)
#define error_bad_property(r, name, ...) \
    error_respond((r), 400, ERROR_LOGICAL, SUBJECT_PROPERTY, (name), __VA_ARGS__)
#define error_not_found(r, ...) \
    error_respond((r), 404, ERROR_LOGICAL, SUBJECT_NONE, NULL, __VA_ARGS__)
#define error_internal(r, ...) \
    error_respond((r), 500, ERROR_UNSPECIFIED, SUBJECT_NONE, NULL, __VA_ARGS__)

#endif
