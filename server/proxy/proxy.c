/* proxy.c — see proxy.h. */
#include "proxy/proxy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "answer/errors.h"
#include "app/app.h"
#include "base/buf.h"
#include "base/json_file.h"
#include "base/log.h"
#include "handlers/handlers.h"
#include "proxy/forward.h"

proxy_settings *proxy_open(const char *schema_dir, const char *upstream_flag, char *err,
                           size_t errlen)
{
    proxy_settings *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "proxy: out of memory");
        return NULL;
    }
    p->doc = json_file_load_in(schema_dir, "proxy.json", 0, err, errlen);
    if (!p->doc || !upstreams_parse(upstream_flag, &p->up, err, errlen)) {
        proxy_close(p);
        return NULL;
    }
    const char *product;
    json_t *name;
    json_t *products = json_object_get(p->doc, "products");
    for (size_t i = 0; i < p->up.n; i++) {
        bool known = false;
        json_object_foreach(products, product, name) known =
            known || !strcasecmp(json_string_value(name) ? json_string_value(name) : "",
                                 p->up.items[i].product);
        if (!known) {
            snprintf(err, errlen, "--proxy-upstream: '%s' is no product of schema/proxy.json",
                     p->up.items[i].product);
            proxy_close(p);
            return NULL;
        }
    }
    return p;
}

void proxy_close(proxy_settings *p)
{
    if (p)
        json_decref(p->doc);
    free(p);
}

const char *proxy_operation(const proxy_settings *p)
{
    return json_string_value(json_object_get(p->doc, "operation"));
}

static const char *setting(const proxy_settings *p, const char *name)
{
    const char *v = json_string_value(json_object_get(p->doc, name));
    return v ? v : "";
}

bool proxy_is_path(const char *path)
{
    size_t n = strlen(PROXY_PREFIX);
    return path && !strncmp(path, PROXY_PREFIX, n) && (path[n] == '/' || !path[n]);
}

/* The URL representation of a ProxyProduct ("vbr"), or NULL. */
static const char *url_name(const proxy_settings *p, const char *product)
{
    return product ? json_string_value(json_object_get(json_object_get(p->doc, "products"), product))
                   : NULL;
}

/* Whether the agent's proxyable products include `product` (by its URL
 * representation, as stored, or as schema/proxy.json names it). */
static bool agent_has(const request *req, const proxy_settings *p, const char *agent,
                      const char *product)
{
    store_filter f = {1, {"managementAgentUid"}, {agent}};
    long total = 0;
    buf page;
    buf_init(&page);
    bool found = false;
    if (store_list(req->app->store, setting(p, "productsType"), &f, 0, 100, &total, &page) ==
        STORE_OK) {
        json_t *items = json_loadb(page.data, page.len, 0, NULL);
        size_t i;
        json_t *item;
        json_array_foreach(items, i, item) {
            const char *stored = json_string_value(json_object_get(item, "proxyProductUrlRepresentation"));
            const char *named = url_name(p, json_string_value(json_object_get(item, "proxyProduct")));
            found = found || (stored && !strcasecmp(stored, product)) ||
                    (named && !strcasecmp(named, product));
        }
        json_decref(items);
    }
    buf_free(&page);
    return found;
}

/* "/proxy/{agent}/{product}/rest" of the raw target: the agent and product
 * segments, and where the rest (encoded, with the query) starts. */
static bool split_target(const char *target, char *agent, size_t alen, char *product, size_t plen,
                         const char **rest)
{
    const char *p = target + strlen(PROXY_PREFIX);
    if (*p != '/')
        return false;
    p++;
    size_t n = strcspn(p, "/?");
    if (!n || n >= alen)
        return false;
    snprintf(agent, alen, "%.*s", (int)n, p);
    p += n;
    if (*p != '/')
        return false;
    p++;
    n = strcspn(p, "/?");
    if (!n || n >= plen)
        return false;
    snprintf(product, plen, "%.*s", (int)n, p);
    *rest = p + n;
    return true;
}

void proxy_answer(request *req, response *res)
{
    const proxy_settings *p = req->app->proxy;
    char agent[64], product[32];
    const char *rest = NULL;
    if (!req->target || !split_target(req->target, agent, sizeof agent, product, sizeof product, &rest)) {
        error_not_found(res, "The resource '%s' does not exist: a proxied request's path is "
                             "/proxy/{managementAgentUid}/{product}/{path}.",
                        req->path);
        return;
    }
    if (handlers_seen(req, setting(p, "agentType"), agent) != SEEN_INSIDE) {
        error_not_found(res, "The management agent %s does not exist.", agent);
        return;
    }
    if (!agent_has(req, p, agent, product)) {
        error_not_found(res, "The management agent %s has no product '%s' to proxy to.", agent,
                        product);
        return;
    }
    const upstream *u = upstreams_find(&p->up, product);
    if (!u) {
        error_answer(res, E_BAD_GATEWAY, NULL,
                     "The %s product of management agent %s cannot be reached: the emulator has "
                     "no upstream for it (--proxy-upstream %s=URL).",
                     product, agent, product);
        return;
    }
    char target[8192];
    snprintf(target, sizeof target, "%s%s%s", u->base, *rest == '/' || !*rest ? "" : "/",
             *rest ? rest : "/");
    long timeout = (long)json_integer_value(json_object_get(p->doc, "timeoutSeconds"));
    forward_request rq = {.method = req->method_text, .target = target, .headers = req->headers,
                          .nheaders = req->nheaders, .body = req->body, .body_len = req->body_len,
                          .timeout_ms = (int)((timeout > 0 ? timeout : 30) * 1000)};
    forward_answer a;
    char why[256];
    if (!forward_send(u, &rq, &a, why, sizeof why)) {
        log_info("proxy: %s %s -> %s:%s: %s", req->method_text, req->path, u->host, u->port, why);
        error_answer(res, E_BAD_GATEWAY, NULL,
                     "The %s product of management agent %s did not answer: %s.", product, agent,
                     why);
        return;
    }
    response_bytes_typed(res, a.status, a.content_type, a.body, a.len);
    free(a.body);
}
