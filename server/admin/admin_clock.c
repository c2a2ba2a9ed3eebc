/* admin_clock.c — the simulation's clock and sessions (sim/simulation.h):
 * GET /_emulator/clock, PUT /_emulator/clock {"mode": "real" | "fast:N" |
 * "manual"} (sets its speed without a jump in time), POST
 * /_emulator/clock/advance?seconds=N (a manual clock only: moves it and
 * runs every step that fell due before answering) and GET /_emulator/sessions?jobUid=U[&limit=N] (the
 * sessions of a job, newest first: the contract has no entity for them). */
#include <errno.h>
#include <stdlib.h>

#include "admin/admin_endpoints.h"
#include "answer/errors.h"
#include "app/app.h"
#include "sim/simulation.h"

static bool whole_number(const char *text, long long *out)
{
    if (!text || !*text)
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

void admin_get_clock(request *req, response *res, const admin_params *p)
{
    (void)p;
    response_data(res, sim_clock_json(req->app->sim));
}

void admin_set_clock(request *req, response *res, const admin_params *p)
{
    (void)p;
    json_error_t jerr;
    json_t *body = json_loadb(req->body ? req->body : "", req->body_len, JSON_REJECT_DUPLICATES,
                              &jerr);
    const char *mode = json_string_value(json_object_get(body, "mode"));
    char err[256];
    if (!json_is_object(body))
        error_answer(res, E_BAD_REQUEST, NULL,
                     "The request body is not a JSON object such as {\"mode\": \"fast:60\"}.");
    else if (!mode)
        error_answer(res, E_BAD_PROPERTY, "mode",
                     "mode is required: real, fast:N or manual, as a string.");
    else if (!sim_set_clock(req->app->sim, mode, err, sizeof err))
        error_answer(res, E_BAD_PROPERTY, "mode", "%s", err);
    else
        response_data(res, sim_clock_json(req->app->sim));
    json_decref(body);
}

void admin_advance_clock(request *req, response *res, const admin_params *p)
{
    (void)p;
    long long seconds;
    char err[160];
    if (!whole_number(request_query(req, "seconds"), &seconds))
        error_answer(res, E_BAD_PARAMETER, "seconds", "seconds must be a whole number.");
    else if (!sim_advance(req->app->sim, seconds, err, sizeof err))
        error_answer(res, E_BAD_PARAMETER, "seconds", "%s", err);
    else
        response_data(res, sim_clock_json(req->app->sim));
}

void admin_get_sessions(request *req, response *res, const admin_params *p)
{
    (void)p;
    const char *job = request_query(req, "jobUid"), *lt = request_query(req, "limit");
    long long limit = 100;
    if (!job)
        error_answer(res, E_BAD_PARAMETER, "jobUid", "jobUid is required.");
    else if (lt && (!whole_number(lt, &limit) || limit < 1 || limit > 1000))
        error_answer(res, E_BAD_PARAMETER, "limit", "limit is a whole number from 1 to 1000.");
    else
        response_data(res, sim_sessions_json(req->app->sim, job, (long)limit));
}
