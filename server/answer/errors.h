/* errors.h — VSPC's error vocabulary, in one place.
 *
 * Every error the emulator answers is a named row (vspc_error below) and goes
 * out through error_answer(): the body is
 * the VSPC envelope {"errors":[{"message","type","code","parameterName" or
 * "propertyName"}]}; the HTTP status is the code for client errors (400-499)
 * and 520 for server errors, as the REST overview says; error codes above 999
 * (1001 JSON Patch failed, 1207 bad TOTP...) travel with the HTTP status
 * their row gives them.
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

/* Which property names the culprit. */
typedef enum error_subject {
    SUBJECT_NONE,
    SUBJECT_PARAMETER, /* a query, path or header parameter: "parameterName" */
    SUBJECT_PROPERTY,  /* a property of the request body: "propertyName" */
} error_subject;

/* Every error the emulator answers is one named row of errors.c: its code
 * (VSPC's: 400-499, 500, or 1000 and up), the HTTP status it goes out with,
 * its type, which kind of name it carries when one is given
 * (parameterName or propertyName), and its message. A row with a fixed
 * message takes no format; a row without one takes the caller's sentence.
 * Call sites name the row, never a code. */
typedef enum vspc_error {
    E_BAD_PARAMETER,      /* 400, parameterName: a query, path or header parameter */
    E_BAD_PROPERTY,       /* 400, propertyName: a property of the body */
    E_BAD_REQUEST,        /* 400, naming nothing */
    E_UNAUTHORIZED,       /* 401, fixed message */
    E_READ_ONLY,          /* 403, fixed message: a read-only credential writing */
    E_FORBIDDEN,          /* 403 */
    E_NOT_FOUND,          /* 404 */
    E_METHOD_NOT_ALLOWED, /* 405 */
    E_NOT_ACCEPTABLE,     /* 406: no format of the request's Accept (answer/accept.h) */
    E_CONFLICT,           /* 409, propertyName when given */
    E_BODY_TOO_LARGE,     /* 413, parameterName when given */
    E_URI_TOO_LONG,       /* 414 */
    E_MEDIA_TYPE,         /* 415 */
    E_THROTTLED,          /* 429, transport; see error_throttled */
    E_HEADERS_TOO_LARGE,  /* 431 */
    E_INTERNAL,           /* 500, sent as 520 */
    E_BAD_GATEWAY,        /* 502: a proxied request's product could not be reached */
    E_HTTP_VERSION,       /* 505, transport: refused by the HTTP layer */
    E_PATCH_FAILED,       /* 1001, propertyName: JSON Patch modifications failed */
    E_USER_NOT_FOUND,     /* 1100, fixed message, parameterName when given */
    E_KEY_TAKEN,          /* 1202, fixed message */
    E_KEY_PROTECTED,      /* 1203, fixed message */
    E_KEY_NOT_RSA,        /* 1204, fixed message, propertyName when given */
    E_KEY_FORMAT,         /* 1205, fixed message */
    E_TOTP_INVALID,       /* 1207, fixed message, parameterName when given */
    E_NO_PRIVATE_KEY,     /* 1210, fixed message, propertyName when given */
    E_LAST_LOCATION,      /* 1500, fixed message: a company's last location */
    E_COUNT
} vspc_error;

/* Fills r with error e (replacing any earlier body). name: the parameter
 * or property at fault, or NULL. fmt: the message (printf-style) for rows
 * without a fixed one; NULL for rows with one. */
void error_answer(response *r, vspc_error e, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The row's code and fixed message ("" when it has none). */
int error_code(vspc_error e);
const char *error_message(vspc_error e);

/* 429 as the REST overview's "Throttling" shows it: {"errors":[{"message",
 * "type":"transport","code":429,"retryAfter":N}]} and a Retry-After header
 * of N seconds (N >= 1). A limit with no time to tell (requests in process
 * at once) is error_answer(r, E_THROTTLED, ...): neither. */
void error_throttled(response *r, long retry_after_seconds, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The error a fault rule (faults/faults.h) answers: code `status`, sent
 * with that status, except 500, sent as 520 as VSPC sends its server
 * errors; type security for 401 and 403, transport for 408 and 429,
 * unspecified for 5xx, logical otherwise. */
void error_injected(response *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The token endpoint answers errors in the OAuth 2.0 shape (RFC 6749 5.2,
 * the contract's OAuth2Error): 400 {"error": code, "error_description": ...}. */
void error_oauth(response *r, const char *error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same with a VSPC row's message and code as the description:
 * "Specified TOTP code is invalid. (1207)". */
void error_oauth_row(response *r, const char *error, vspc_error e);

/* Rewrites a VSPC error envelope already in r into the OAuth 2.0 shape:
 * a grant_type that was given but is not valid becomes
 * unsupported_grant_type, anything else invalid_request (RFC 6749 5.2). */
void error_to_oauth(response *r, bool grant_type_given);

/* Shorthands for the common rows. */
#define error_bad_parameter(r, name, ...) error_answer((r), E_BAD_PARAMETER, (name), __VA_ARGS__)
#define error_bad_property(r, name, ...) error_answer((r), E_BAD_PROPERTY, (name), __VA_ARGS__)
#define error_not_found(r, ...) error_answer((r), E_NOT_FOUND, NULL, __VA_ARGS__)
#define error_internal(r, ...) error_answer((r), E_INTERNAL, NULL, __VA_ARGS__)

#endif
