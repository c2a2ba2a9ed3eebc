/* admin.c — see admin.h. */
#include "admin/admin.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "admin/admin_routes.h"
#include "answer/errors.h"
#include "app/app.h"
#include "auth/credentials.h"
#include "base/json_file.h"
#include "base/name_list.h"
#include "throttle/networks.h"

#define ADMIN_MAX_NETWORKS 32

struct admin {
    json_t *document; /* schema/admin-openapi.json */
    time_t started;
    char secret[129];
    bool any_address;
    size_t nnets;
    net_prefix nets[ADMIN_MAX_NETWORKS];
};

/* The addresses allowed: --admin-bind's addresses and networks ("any":
 * every address); loopback when it names none. */
static bool parse_bind(admin *a, const char *text, char *err, size_t errlen)
{
    static const char *const loopback[] = {"127.0.0.0/8", "::1/128"};
    if (!text[0])
        for (size_t i = 0; i < 2; i++)
            net_prefix_parse(loopback[i], &a->nets[a->nnets++]);
    const char *p = text, *item;
    size_t len;
    char one[80];
    while (name_list_next(&p, &item, &len)) {
        snprintf(one, sizeof one, "%.*s", (int)(len < sizeof one ? len : sizeof one - 1), item);
        net_address addr;
        if (!one[0])
            continue;
        if (!strcasecmp(one, "any")) {
            a->any_address = true;
        } else if (a->nnets == ADMIN_MAX_NETWORKS) {
            snprintf(err, errlen, "--admin-bind: more than %d addresses and networks",
                     ADMIN_MAX_NETWORKS);
            return false;
        } else if (net_address_parse(one, &addr)) {
            a->nets[a->nnets++] = net_prefix_host(&addr);
        } else if (!net_prefix_parse(one, &a->nets[a->nnets++])) {
            snprintf(err, errlen,
                     "--admin-bind: '%s' is neither an address, a network (a.b.c.d/n) nor \"any\"",
                     one);
            return false;
        }
    }
    return true;
}

admin *admin_open(const config *cfg, char *err, size_t errlen)
{
    admin *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, errlen, "admin: out of memory");
        return NULL;
    }
    if (cfg->admin_secret[0]) {
        snprintf(a->secret, sizeof a->secret, "%s", cfg->admin_secret);
    } else if (!credentials_random_hex(a->secret, 16)) {
        snprintf(err, errlen, "admin: no random bytes for the admin secret");
        free(a);
        return NULL;
    }
    a->started = time(NULL);
    if (!parse_bind(a, cfg->admin_bind, err, errlen) ||
        !(a->document = json_file_load_in(cfg->schema_dir, "admin-openapi.json", 0, err, errlen))) {
        free(a);
        return NULL;
    }
    return a;
}

void admin_close(admin *a)
{
    if (a)
        json_decref(a->document);
    free(a);
}

const json_t *admin_document(const admin *a) { return a->document; }

time_t admin_started(const admin *a) { return a->started; }

const char *admin_secret(const admin *a) { return a->secret; }

bool admin_is_path(const char *path)
{
    size_t n = strlen(ADMIN_PREFIX);
    return path && !strncmp(path, ADMIN_PREFIX, n) && (path[n] == '/' || !path[n]);
}

static bool address_allowed(const admin *a, const request *req)
{
    net_address addr;
    if (a->any_address)
        return true;
    if (!net_address_of(req->client_addr, &addr))
        return false;
    for (size_t i = 0; i < a->nnets; i++)
        if (net_prefix_contains(&a->nets[i], &addr))
            return true;
    return false;
}

/* The bearer token is the secret; compared in constant time. */
static bool secret_given(const admin *a, const request *req)
{
    const char *h = request_header(req, "Authorization");
    if (!h || strncasecmp(h, "Bearer ", 7))
        return false;
    const char *given = h + 7;
    size_t n = strlen(a->secret);
    return strlen(given) == n && CRYPTO_memcmp(given, a->secret, n) == 0;
}

void admin_dispatch(request *req, response *res)
{
    const admin *a = req->app->admin;
    if (!a || !address_allowed(a, req)) {
        error_answer(res, E_FORBIDDEN, NULL,
                     "The emulator's admin API answers only the addresses --admin-bind allows.");
        return;
    }
    if (!secret_given(a, req)) {
        error_answer(res, E_UNAUTHORIZED, NULL, NULL);
        return;
    }
    admin_params p;
    const admin_route *r =
        admin_route_find(req->method_text, req->path, &p, res->allow, sizeof res->allow);
    if (r) {
        res->allow[0] = 0;
        r->handler(req, res, &p);
    } else if (res->allow[0]) {
        error_answer(res, E_METHOD_NOT_ALLOWED, NULL,
                     "The %s method is not allowed for the resource '%s'. Allowed: %s.",
                     req->method_text, req->path, res->allow);
    } else {
        error_answer(res, E_NOT_FOUND, NULL, "The resource '%s' does not exist.", req->path);
    }
}
