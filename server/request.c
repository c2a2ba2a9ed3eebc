/* request.c — see request.h. */
#include "request.h"

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
    const schema_ctx *ctx = &req->contract->schemas;
    const json_t *env = schema_resolve(ctx, req->op->response_schema);
    const json_t *data = json_object_get(json_object_get(env, "properties"), "data");
    const json_t *resolved = schema_resolve(ctx, data);
    const char *type = json_string_value(json_object_get(resolved, "type"));
    if (type && !strcmp(type, "array"))
        return json_object_get(resolved, "items");
    return data;
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
