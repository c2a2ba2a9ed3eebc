/* request.h — one HTTP request as the dispatcher and handlers see it.
 *
 * http.c fills the transport part (method, path, query, headers, body);
 * dispatch.c fills the rest (contract version, operation, path parameters,
 * typed parameters, parsed body) before a handler runs. Everything is
 * borrowed from the transport layer or owned by the request and released by
 * request_clear().
 */
#ifndef VSPC_REQUEST_H
#define VSPC_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "app/app.h"
#include "contract/contract.h"
#include "request/params.h"
#include "contract/router.h"
#include "faults/fault_hit.h"
#include "tenancy/scope.h"
#include "throttle/throttle.h"

typedef struct request {
    /* transport (borrowed) */
    const app *app;
    const void *client_addr; /* the peer's struct sockaddr, or NULL */
    const char *method_text;
    http_method method;
    const char *path;        /* decoded path, "/api/v3/about" */
    const char *target;      /* the request-target as sent (encoded, with its query) */
    const kv *query;
    size_t nquery;
    const kv *headers;
    size_t nheaders;
    const char *body;
    size_t body_len;
    bool body_too_large;

    /* set by dispatch */
    const contract *contract;  /* chosen by X-Client-Version */
    const operation *op;
    route_match route;
    json_t *params;            /* owned: typed parameters, see params.h */
    json_t *json_body;         /* owned: JSON body, or form fields as object */
    json_t *select;            /* owned: the select paths, or NULL */
    principal who;             /* the caller (who.known false: anonymous) */
    caller_scope scope;        /* what the caller may see (set by admit) */
    char client_ip[46];        /* request_client_ip's text, made on first use */
    throttle_hold held;        /* its places among the requests in process (throttle):
                                  the transport keeps them until the answer is sent */
    fault_hit fault;           /* what a fault rule does to it (faults/fault_hit.h; the
                                  fault stage draws it, the transport carries out
                                  latency, drop and truncate) */
} request;

/* The peer's address as text ("127.0.0.1", "::1"; "" when unknown),
 * formatted on first use: only the login guard needs it. */
const char *request_client_ip(request *req);
/* The value of header name (any case), or NULL. */
const char *request_header(const request *req, const char *name);
/* The typed value of parameter name, or NULL. */
const json_t *request_param(const request *req, const char *name);
/* An integer parameter (limit, offset...), or dflt when absent. */
long request_param_long(const request *req, const char *name, long dflt);
/* The text of path parameter name, or NULL. */
const char *request_path_param(const request *req, const char *name);

/* The raw text of query parameter name (any case), declared or not
 * (filter, sort and select are absent from the contract), or NULL. */
const char *request_query(const request *req, const char *name);
/* The schema of one resource of the operation's answer: the items of an
 * array `data`, else `data` itself; NULL when the answer has no data. */
const json_t *request_item_schema(const request *req);

void request_clear(request *req);

#endif
