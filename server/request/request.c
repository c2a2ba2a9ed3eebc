/* request.c — see request.h. */
#include "request/request.h"

#include <string.h>
#include <strings.h>

const char *request_header(const request *req, const char *name)
{
    return kv_find(req->headers, req->nheaders, name);
}

const json_t *request_param(const request *req, const char *name)
{
    return json_object_get(req->params, name);
}

long request_param_long(const request *req, const char *name, long dflt)
{
    const json_t *v = request_param(req, name);
    return json_is_integer(v) ? (long)json_integer_value(v) : dflt;
}

const char *request_path_param(const request *req, const char *name)
{
    for (size_t i = 0; i < req->route.nparams; i++)
        if (!strcasecmp(req->route.names[i], name))
            return req->route.values[i];
    return NULL;
}

const char *request_query(const request *req, const char *name)
{
    return kv_find(req->query, req->nquery, name);
}

const json_t *request_item_schema(const request *req)
{
    return operation_data_schema(req->op, NULL);
}

void request_clear(request *req)
{
    json_decref(req->params);
    json_decref(req->json_body);
    json_decref(req->select);
    req->params = NULL;
    req->json_body = NULL;
    req->select = NULL;
}
