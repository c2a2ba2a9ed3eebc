/* request.c — see request.h. */
#include "request/request.h"

#include <arpa/inet.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

const char *request_client_ip(request *req)
{
    const struct sockaddr *sa = req->client_addr;
    if (req->client_ip[0] || !sa)
        return req->client_ip;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, req->client_ip,
                  sizeof req->client_ip);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, req->client_ip,
                  sizeof req->client_ip);
    return req->client_ip;
}

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
