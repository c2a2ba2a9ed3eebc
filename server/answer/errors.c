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

/* VSPC's own codes (1000 and up) and the HTTP status they are sent with. */
static const struct {
    int code;
    int status;
} code_status[] = {
    {1000, 400}, /* operation cannot be performed at the moment */
    {1001, 400}, /* JSON Patch modifications failed to apply */
    {1050, 400}, {1051, 400},
    {1100, 404}, /* user does not exist */
    {1101, 403}, /* functionality disabled by the service provider */
    {1200, 404}, {1201, 400}, {1202, 409}, {1203, 400}, {1204, 400},
    {1205, 400}, {1206, 403}, {1207, 400}, {1208, 400}, {1209, 400},
    {1210, 400}, {1250, 409}, {1251, 400}, {1252, 409}, {1253, 400},
    {1254, 400}, {1255, 400}, {1300, 400}, {1301, 409}, {1500, 400},
    {3000, 400}, {3001, 409}, {4000, 400}, {4001, 400}, {4002, 409},
    {5000, 400}, {5001, 400}, {5002, 400}, {5003, 404}, {5004, 400},
    {5005, 400}, {5006, 400}, {5007, 400}, {5008, 400}, {5009, 400},
    {6000, 400}, {7000, 400}, {9000, 400},
};

int error_http_status(int code)
{
    if (code >= 400 && code <= 499)
        return code;
    if (code >= 500 && code <= 599)
        return 520; /* every server error goes out as 520 */
    for (size_t i = 0; i < sizeof code_status / sizeof code_status[0]; i++)
        if (code_status[i].code == code)
            return code_status[i].status;
    return 520;
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
static void error_send(response *r, int code, json_t *err)
{
    json_t *body = err ? json_pack("{s:[o]}", "errors", err) : NULL;
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);

    free(r->body);
    if (text) {
        r->body = text;
        r->len = strlen(text);
    } else { /* out of memory: a fixed body still tells the client */
        static const char fallback[] =
            "{\"errors\":[{\"message\":\"Out of memory.\",\"type\":\"unspecified\",\"code\":500}]}";
        r->body = strdup(fallback);
        r->len = r->body ? strlen(fallback) : 0;
    }
    r->status = error_http_status(code);
    r->content_type = CT_JSON;
}

void error_respond(response *r, int code, error_type type, error_subject subject,
                   const char *name, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    error_send(r, code, error_object(code, type, subject, name, message));
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
    json_t *err = error_object(429, ERROR_TRANSPORT, SUBJECT_NONE, NULL, message);
    if (err)
        json_object_set_new(err, "retryAfter", json_integer(retry_after_seconds));
    error_send(r, 429, err);
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

void error_to_oauth(response *r, bool grant_type_given)
{
    json_t *env = r->body ? json_loadb(r->body, r->len, 0, NULL) : NULL;
    const json_t *first = json_array_get(json_object_get(env, "errors"), 0);
    const char *message = json_string_value(json_object_get(first, "message"));
    const char *prop = json_string_value(json_object_get(first, "propertyName"));
    bool grant = grant_type_given && prop && !strcmp(prop, "grant_type");
    error_oauth(r, grant ? "unsupported_grant_type" : "invalid_request", "%s%s%s",
                prop ? prop : "", prop ? ": " : "", message ? message : "Invalid request.");
    json_decref(env);
}
