/* admin_faults.c — /_emulator/faults: the fault rules (faults/faults.h).
 * GET lists them with how many requests each matched and applied to; POST
 * adds one (a FaultRule, checked: 400 naming the property at fault) and
 * answers it with its id; DELETE /{id} removes one (404 when none has it),
 * DELETE removes them all. */
#include <stdlib.h>
#include <string.h>

#include "admin/admin.h"
#include "admin/admin_endpoints.h"
#include "answer/errors.h"
#include "app/app.h"

void admin_list_faults(request *req, response *res, const admin_params *p)
{
    (void)p;
    response_data(res, faults_list(req->app->faults));
}

void admin_add_fault(request *req, response *res, const admin_params *p)
{
    (void)p;
    json_error_t jerr;
    json_t *rule = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!rule) {
        error_answer(res, E_BAD_REQUEST, NULL,
                     "The request body is not a JSON object: %s (line %d, column %d).", jerr.text,
                     jerr.line, jerr.column);
        return;
    }
    char prop[96], why[256];
    json_t *added = faults_add(req->app->faults, rule, prop, sizeof prop, why, sizeof why);
    json_decref(rule);
    if (!added) {
        if (prop[0])
            error_bad_property(res, prop, "%s", why);
        else
            error_answer(res, E_BAD_REQUEST, NULL, "%s", why);
        return;
    }
    response_data(res, added);
}

void admin_delete_fault(request *req, response *res, const admin_params *p)
{
    const char *text = admin_param(p, "id");
    char *end;
    long id = strtol(text, &end, 10);
    if (*end || id <= 0 || !faults_remove(req->app->faults, id)) {
        error_not_found(res, "There is no fault rule '%s'.", text);
        return;
    }
    response_empty(res);
}

void admin_clear_faults(request *req, response *res, const admin_params *p)
{
    (void)p;
    faults_clear(req->app->faults);
    response_empty(res);
}
