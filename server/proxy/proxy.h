/* proxy.h — request proxying: /proxy/{managementAgentUid}/{product}/{path}
 * (the REST overview's Request Proxying) forwarded to the product's
 * upstream (--proxy-upstream, upstreams.h) and its answer passed back as
 * it came: status, Content-Type and body.
 *
 * Before forwarding, as VSPC does: the caller is authenticated and
 * admitted like a call of schema/proxy.json's operation (a read-only
 * credential may only GET; the pipeline does this, pipeline/dispatch.c);
 * the agent must exist and be the caller's to see (else 404); the product
 * must be one of the agent's proxyable products (its records of
 * productsType, by URL representation; else 404). No upstream for the
 * product, or one that cannot be reached or answers no HTTP: 502 in VSPC's
 * envelope. */
#ifndef VSPC_PROXY_H
#define VSPC_PROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "answer/response.h"
#include "proxy/upstreams.h"
#include "request/request.h"

#define PROXY_PREFIX "/proxy"

typedef struct proxy_settings {
    json_t *doc;       /* schema/proxy.json */
    upstreams up;      /* --proxy-upstream */
} proxy_settings;

/* Loads schema/proxy.json from schema_dir and parses the upstreams flag.
 * NULL with err. */
proxy_settings *proxy_open(const char *schema_dir, const char *upstream_flag, char *err,
                           size_t errlen);
void proxy_close(proxy_settings *p);

/* The operationId proxied requests are admitted as. */
const char *proxy_operation(const proxy_settings *p);

/* Whether path lies under PROXY_PREFIX ("/proxy/..."). */
bool proxy_is_path(const char *path);

/* Forwards an authenticated, admitted request (not serialised). */
void proxy_answer(request *req, response *res);

#endif
