/* negotiate.c — see negotiate.h. */
#include "pipeline/negotiate.h"

#include "answer/accept.h"
#include "answer/errors.h"

bool negotiate_stage(request *req, response *res)
{
    if (req->op && req->op->response_binary)
        return true; /* a file: as it is */
    const char *accept = request_header(req, "Accept");
    if (accept_choose(accept).acceptable)
        return true;
    error_answer(res, E_NOT_ACCEPTABLE, NULL,
                 "None of the media types in the Accept header ('%s') can be answered; "
                 "supported: %s.",
                 accept, accept_supported_text());
    return false;
}

void negotiate_format(const request *req, response *res)
{
    accept_choice c = accept_choose(request_header(req, "Accept"));
    if (!c.acceptable)
        return; /* JSON */
    res->format = c.format;
    res->format_type = c.content_type;
    const contract *k = req->contract ? req->contract
                                      : contract_set_find(&req->app->contracts, NULL);
    if (!k)
        return;
    res->schemas = &k->schemas;
    if (res->status >= 400) {
        res->schema_name = json_object_get(res->value, "error") ? "OAuth2Error" : "ErrorResponse";
        res->schema = schema_by_name(&k->schemas, res->schema_name);
    } else if (res->status == 200 && req->op) {
        res->schema = req->op->response_schema;
        res->schema_name = schema_ref_name(res->schema);
    }
}
