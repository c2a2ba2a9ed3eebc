/* admin_clock.c — the simulation's clock and sessions (sim/simulation.h):
 * GET /_emulator/clock, POST /_emulator/clock/advance?seconds=N (a
 * --clock manual server only: moves it and runs every step that fell due
 * before answering) and GET /_emulator/sessions?jobUid=U[&limit=N] (the
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
