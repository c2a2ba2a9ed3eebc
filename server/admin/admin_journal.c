/* admin_journal.c — the request journal (journal/journal.h) through the
 * admin API: GET /_emulator/journal lists entries newest first, filtered
 * by method, path pattern, user, status and time; POST
 * /_emulator/journal/verify counts them against an expectation (WireMock's
 * verify); DELETE /_emulator/journal forgets them. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "admin/admin.h"
#include "admin/admin_endpoints.h"
#include "answer/errors.h"
#include "app/app.h"
#include "journal/journal.h"

#define DEFAULT_LIMIT 100

/* An instant as epoch seconds: a number, or an ISO 8601 date-time
 * (2026-12-02T13:04:47[.123](Z|+01:00)). */
static bool parse_time(const char *text, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (!errno && end != text && !*end && isfinite(v) && v >= 0) {
        *out = v;
        return true;
    }
    struct tm tm = {0};
    int used = 0;
    if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &used) != 6 || used != 19)
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    double secs = (double)timegm(&tm);
    const char *p = text + used;
    if (*p == '.') {
        double scale = 0.1;
        for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
            secs += (*p - '0') * scale;
    }
    int oh, om;
    if ((*p == 'Z' || *p == 'z') && !p[1]) {
        *out = secs;
        return true;
    }
    if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d%n", &oh, &om, &used) == 2 &&
        !p[1 + used]) {
        double offset = oh * 3600.0 + om * 60.0;
        *out = *p == '+' ? secs - offset : secs + offset;
        return true;
    }
    return false;
}

/* One bound of the filter from text; false (with the 400) when invalid. */
static bool time_bound(response *res, const char *name, const char *text, bool property,
                       double *out)
{
    if (!text || !*text)
        return true;
    if (parse_time(text, out))
        return true;
    const char *why = "Not a date-time (2026-12-02T13:04:47Z) or epoch seconds: '%s'.";
    if (property)
        error_bad_property(res, name, why, text);
    else
        error_bad_parameter(res, name, why, text);
    return false;
}

void admin_get_journal(request *req, response *res, const admin_params *p)
{
    (void)p;
    journal_filter f = {request_query(req, "method"), request_query(req, "path"),
                        request_query(req, "user"), request_query(req, "status"), 0, 0};
    if (!journal_status_valid(f.status)) {
        error_bad_parameter(res, "status", "A status (404) or a class of them (4xx): '%s'.",
                            f.status);
        return;
    }
    if (!time_bound(res, "since", request_query(req, "since"), false, &f.since) ||
        !time_bound(res, "until", request_query(req, "until"), false, &f.until))
        return;
    long limit = DEFAULT_LIMIT;
    const char *text = request_query(req, "limit");
    if (text) {
        char *end;
        errno = 0;
        limit = strtol(text, &end, 10);
        if (errno || end == text || *end || limit < 1 || limit > 1000000) {
            error_bad_parameter(res, "limit", "A number of entries from 1 to 1000000: '%s'.",
                                text);
            return;
        }
    }
    json_t *entries = NULL;
    size_t matched = journal_query(req->app->journal, &f, (size_t)limit, &entries);
    long count = (long)json_array_size(entries);
    response_page(res, entries, (long)matched, count, 0);
}

void admin_delete_journal(request *req, response *res, const admin_params *p)
{
    (void)p;
    journal_clear(req->app->journal);
    response_empty(res);
}

/* A string member of the expectation, or NULL; false when it is there and
 * not a string. */
static bool string_member(response *res, const json_t *body, const char *name, const char **out)
{
    const json_t *v = json_object_get(body, name);
    *out = NULL;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_string(v)) {
        error_bad_property(res, name, "Must be a string.");
        return false;
    }
    *out = json_string_value(v);
    return true;
}

/* count, atLeast, atMost: at most one, a whole number >= 0. */
static bool expectation(response *res, const json_t *body, const char **which, long *n)
{
    static const char *const names[] = {"count", "atLeast", "atMost"};
    *which = NULL;
    for (size_t i = 0; i < 3; i++) {
        const json_t *v = json_object_get(body, names[i]);
        if (!v)
            continue;
        if (*which) {
            error_bad_property(res, names[i], "Give one of count, atLeast and atMost.");
            return false;
        }
        if (!json_is_integer(v) || json_integer_value(v) < 0) {
            error_bad_property(res, names[i], "Must be a whole number, 0 or more.");
            return false;
        }
        *which = names[i];
        *n = (long)json_integer_value(v);
    }
    return true;
}

void admin_verify_journal(request *req, response *res, const admin_params *p)
{
    (void)p;
    json_error_t jerr;
    json_t *body = req->body_len ? json_loadb(req->body, req->body_len, 0, &jerr) : json_object();
    if (!json_is_object(body)) {
        error_answer(res, E_BAD_REQUEST, NULL,
                     "The body must be a JSON object: {\"method\", \"path\", \"user\", "
                     "\"status\", \"since\", \"until\", and one of \"count\", \"atLeast\", "
                     "\"atMost\"}.");
        json_decref(body);
        return;
    }
    journal_filter f = {0};
    char status[16] = "";
    const json_t *st = json_object_get(body, "status");
    const char *since = NULL, *until = NULL, *which = NULL;
    long n = 0;
    bool ok = string_member(res, body, "method", &f.method) &&
              string_member(res, body, "path", &f.path) &&
              string_member(res, body, "user", &f.user) &&
              string_member(res, body, "since", &since) &&
              string_member(res, body, "until", &until) &&
              time_bound(res, "since", since, true, &f.since) &&
              time_bound(res, "until", until, true, &f.until) && expectation(res, body, &which, &n);
    if (ok && st && !json_is_null(st)) {
        if (json_is_integer(st))
            snprintf(status, sizeof status, "%lld", (long long)json_integer_value(st));
        else if (json_is_string(st))
            snprintf(status, sizeof status, "%s", json_string_value(st));
        if (!status[0] || !journal_status_valid(status)) {
            error_bad_property(res, "status", "A status (404) or a class of them (\"4xx\").");
            ok = false;
        }
        f.status = status;
    }
    if (ok) {
        long matched = (long)journal_query(req->app->journal, &f, 0, NULL);
        bool met = !which                     ? matched >= 1 /* at least once, as WireMock */
                   : !strcmp(which, "count")   ? matched == n
                   : !strcmp(which, "atLeast") ? matched >= n
                                               : matched <= n;
        response_data(res, json_pack("{s:I, s:b}", "matched", (json_int_t)matched, "ok", met));
    }
    json_decref(body);
}
