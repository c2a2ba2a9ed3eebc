/* errors.c — see errors.h. */
#include "answer/errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"

static const char *const type_names[] = {
    [ERROR_LOGICAL] = "logical",
    [ERROR_RETRYABLE_LOGICAL] = "retryableLogical",
    [ERROR_SECURITY] = "security",
    [ERROR_TRANSPORT] = "transport",
    [ERROR_UNSPECIFIED] = "unspecified",
};

const char *error_type_name(error_type t)
{
    return (t >= ERROR_LOGICAL && t <= ERROR_UNSPECIFIED) ? type_names[t] : "unspecified";
}

/* One error object {"message","type","code"[,"parameterName"|"propertyName"]}. */
static json_t *error_object(int code, error_type type, error_subject subject, const char *name,
                            char *message)
{
    /* messages and names quote client text: an answer must stay JSON
     * whatever bytes were quoted */
    utf8_trim_partial(message);
    utf8_repair(message);
    json_t *err = json_pack("{s:s, s:s, s:i}", "message", message, "type",
                            error_type_name(type), "code", code);
    if (err && subject != SUBJECT_NONE && name) {
        char safe[256];
        snprintf(safe, sizeof safe, "%s", name);
        utf8_trim_partial(safe);
        utf8_repair(safe);
        json_object_set_new(err, subject == SUBJECT_PARAMETER ? "parameterName"
                                                              : "propertyName",
                            json_string(safe));
    }
    return err;
}

/* Replaces r's body with the envelope {"errors":[err]} (takes err). */
static void error_send(response *r, int status, json_t *err)
{
    json_t *body = err ? json_pack("{s:[o]}", "errors", err) : NULL;
    if (body) {
        response_json(r, status, body);
        return;
    }
    /* out of memory: a fixed body still tells the client */
    static const char fallback[] =
        "{\"errors\":[{\"message\":\"Out of memory.\",\"type\":\"unspecified\",\"code\":500}]}";
    response_bytes(r, status, CT_JSON, fallback, sizeof fallback - 1);
}

/* The rows of vspc_error (errors.h). */
static const struct {
    int code;
    int status;
    error_type type;
    error_subject names; /* what a given name is */
    const char *message; /* fixed message, or NULL: the caller's */
} rows[E_COUNT] = {
    [E_BAD_PARAMETER] = {400, 400, ERROR_LOGICAL, SUBJECT_PARAMETER, NULL},
    [E_BAD_PROPERTY] = {400, 400, ERROR_LOGICAL, SUBJECT_PROPERTY, NULL},
    [E_BAD_REQUEST] = {400, 400, ERROR_LOGICAL, SUBJECT_NONE, NULL},
    [E_UNAUTHORIZED] = {401, 401, ERROR_SECURITY, SUBJECT_NONE,
                        "To perform the requested operation, authorization is required."},
    [E_READ_ONLY] = {403, 403, ERROR_SECURITY, SUBJECT_NONE,
                     "Access to the requested resource is forbidden: the credential is "
                     "read-only."},
    [E_FORBIDDEN] = {403, 403, ERROR_SECURITY, SUBJECT_NONE, NULL},
    [E_NOT_FOUND] = {404, 404, ERROR_LOGICAL, SUBJECT_NONE, NULL},
    [E_METHOD_NOT_ALLOWED] = {405, 405, ERROR_LOGICAL, SUBJECT_NONE, NULL},
    [E_NOT_ACCEPTABLE] = {406, 406, ERROR_LOGICAL, SUBJECT_NONE, NULL},
    [E_CONFLICT] = {409, 409, ERROR_LOGICAL, SUBJECT_PROPERTY, NULL},
    [E_BODY_TOO_LARGE] = {413, 413, ERROR_LOGICAL, SUBJECT_PARAMETER, NULL},
    [E_URI_TOO_LONG] = {414, 414, ERROR_LOGICAL, SUBJECT_NONE, NULL},
    [E_MEDIA_TYPE] = {415, 415, ERROR_LOGICAL, SUBJECT_NONE, NULL},
    [E_THROTTLED] = {429, 429, ERROR_TRANSPORT, SUBJECT_NONE, NULL},
    [E_HEADERS_TOO_LARGE] = {431, 431, ERROR_LOGICAL, SUBJECT_NONE, NULL},
    [E_INTERNAL] = {500, 520, ERROR_UNSPECIFIED, SUBJECT_NONE, NULL},
    [E_BAD_GATEWAY] = {502, 502, ERROR_TRANSPORT, SUBJECT_NONE, NULL},
    /* refused by the HTTP layer, which answers the status itself */
    [E_HTTP_VERSION] = {505, 505, ERROR_TRANSPORT, SUBJECT_NONE,
                        "The HTTP version of the request is not supported; use HTTP/1.1."},
    [E_PATCH_FAILED] = {1001, 400, ERROR_LOGICAL, SUBJECT_PROPERTY, NULL},
    [E_USER_NOT_FOUND] = {1100, 404, ERROR_LOGICAL, SUBJECT_PARAMETER,
                          "Specified user does not exist."},
    [E_KEY_TAKEN] = {1202, 409, ERROR_LOGICAL, SUBJECT_NONE,
                     "Provided key is already assigned to a different user."},
    [E_KEY_PROTECTED] = {1203, 400, ERROR_LOGICAL, SUBJECT_NONE,
                         "Provided key is protected with password."},
    [E_KEY_NOT_RSA] = {1204, 400, ERROR_LOGICAL, SUBJECT_PROPERTY,
                       "Non-RSA keys are not supported."},
    [E_KEY_FORMAT] = {1205, 400, ERROR_LOGICAL, SUBJECT_NONE,
                      "Format of the provided key is not supported."},
    [E_LAST_LOCATION] = {1500, 400, ERROR_LOGICAL, SUBJECT_NONE,
                         "Specified location cannot be deleted: a company keeps at least one "
                         "location."},
    [E_TOTP_INVALID] = {1207, 400, ERROR_LOGICAL, SUBJECT_PARAMETER,
                        "Specified TOTP code is invalid."},
    [E_NO_PRIVATE_KEY] = {1210, 400, ERROR_LOGICAL, SUBJECT_PROPERTY,
                          "Container does not include a private key."},
};

int error_code(vspc_error e) { return rows[e].code; }

const char *error_message(vspc_error e) { return rows[e].message ? rows[e].message : ""; }

/* Fills r with row e and message. */
static void answer_row(response *r, vspc_error e, const char *name, char *message)
{
    error_subject subject = name ? rows[e].names : SUBJECT_NONE;
    error_send(r, rows[e].status, error_object(rows[e].code, rows[e].type, subject, name, message));
}

void error_answer(response *r, vspc_error e, const char *name, const char *fmt, ...)
{
    char message[512];
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(message, sizeof message, fmt, ap);
        va_end(ap);
    } else {
        snprintf(message, sizeof message, "%s", rows[e].message ? rows[e].message : "");
    }
    answer_row(r, e, name, message);
}

void error_injected(response *r, int status, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    error_type type = status >= 500               ? ERROR_UNSPECIFIED
                      : status == 401 || status == 403 ? ERROR_SECURITY
                      : status == 408 || status == 429 ? ERROR_TRANSPORT
                                                       : ERROR_LOGICAL;
    error_send(r, status == 500 ? 520 : status,
               error_object(status, type, SUBJECT_NONE, NULL, message));
}

void error_throttled(response *r, long retry_after_seconds, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    if (retry_after_seconds < 1)
        retry_after_seconds = 1;
    answer_row(r, E_THROTTLED, NULL, message);
    /* the row's error object, with the seconds the REST overview adds */
    json_t *err = json_array_get(json_object_get(r->value, "errors"), 0);
    if (err)
        json_object_set_new(err, "retryAfter", json_integer(retry_after_seconds));
    r->retry_after = retry_after_seconds;
}

void error_oauth(response *r, const char *error, const char *fmt, ...)
{
    char description[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(description, sizeof description, fmt, ap);
    va_end(ap);
    json_t *body = json_pack("{s:s, s:s, s:n}", "error", error, "error_description",
                             description, "error_uri");
    response_json(r, 400, body);
}

void error_oauth_row(response *r, const char *error, vspc_error e)
{
    error_oauth(r, error, "%s (%d)", error_message(e), rows[e].code);
}

void error_to_oauth(response *r, bool grant_type_given)
{
    const json_t *first = json_array_get(json_object_get(r->value, "errors"), 0);
    const char *message = json_string_value(json_object_get(first, "message"));
    const char *prop = json_string_value(json_object_get(first, "propertyName"));
    bool grant = grant_type_given && prop && !strcmp(prop, "grant_type");
    char description[512];
    snprintf(description, sizeof description, "%s%s%s", prop ? prop : "", prop ? ": " : "",
             message ? message : "Invalid request.");
    error_oauth(r, grant ? "unsupported_grant_type" : "invalid_request", "%s", description);
}
