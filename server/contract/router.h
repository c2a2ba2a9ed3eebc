/* router.h — the route index: path templates to operations.
 *
 * A trie of path segments. Each node keeps its literal children in a small
 * open-addressing hash table keyed by the lower-cased segment, and at most
 * one parameter child ("{companyUid}"), so matching costs one hash lookup per
 * segment; a literal is preferred to a parameter, and the walk falls back to
 * the parameter branch only where the literal branch dead-ends (so
 * /organizations/companies/billing and /organizations/companies/{companyUid}
 * coexist). Literal segments match case-insensitively, as VSPC's ASP.NET
 * routing does; parameter values keep their case. A template ending in '/'
 * has a final empty segment and is matched as such; a request that differs
 * from a template only by a final '/' still matches it when nothing matches
 * exactly.
 *
 * A segment that is a literal at its place never fills a UUID parameter
 * there (it is no UUID): the walk does not fall back from that literal to a
 * parameter child whose every template types it as a UUID, so such a path
 * is a 404 (or a 405), never a 400 "not a valid UUID". The literals of
 * other routers can be laid into one (router_shadow: the other API
 * versions'), where they block such parameters without routing anything:
 * 3.5.1's /configuration/backupPolicies/{policyUid} does not take 3.6's
 * "mac".
 *
 * The router stores an opaque payload per (template, method) and never owns
 * it. Matching is read-only and safe from many threads at once.
 */
#ifndef VSPC_ROUTER_H
#define VSPC_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

typedef enum http_method {
    HTTP_GET,
    HTTP_POST,
    HTTP_PUT,
    HTTP_PATCH,
    HTTP_DELETE,
    HTTP_METHOD_COUNT,
    HTTP_METHOD_OTHER = -1,
} http_method;

/* "GET" -> HTTP_GET (case-sensitive, as HTTP says); HTTP_METHOD_OTHER else. */
http_method http_method_parse(const char *name);
/* HTTP_GET -> "GET". */
const char *http_method_name(http_method m);

#define ROUTER_MAX_PARAMS 8
#define ROUTER_MAX_SEGMENTS 32
#define ROUTER_MAX_PATH 2048

typedef struct router router;

router *router_new(void);
void router_free(router *r);

/* Adds `method template -> payload`. template starts with '/', parameters
 * are whole segments "{name}". False on a malformed template, too many
 * segments or parameters, a duplicate (template, method), or no memory. */
bool router_add(router *r, const char *path_template, http_method method, void *payload);
/* The same, with bit i of uuid_params set when the template's i-th
 * parameter is a UUID (router_add: none is). */
bool router_add_typed(router *r, const char *path_template, http_method method, void *payload,
                      unsigned uuid_params);

/* Lays every literal segment of other's templates, at its place, into r:
 * they route nothing in r, but a request segment equal to one no longer
 * fills a UUID parameter there. Not thread-safe; before matching starts. */
bool router_shadow(router *r, const router *other);

/* Number of (template, method) pairs added. */
size_t router_size(const router *r);

typedef enum route_status {
    ROUTE_FOUND,
    ROUTE_NOT_FOUND,          /* no template matches the path */
    ROUTE_METHOD_NOT_ALLOWED, /* templates match, none for this method */
} route_status;

typedef struct route_match {
    void *payload;               /* ROUTE_FOUND: what router_add stored */
    const char *path_template;   /* ROUTE_FOUND: the template matched */
    size_t nparams;
    const char *names[ROUTER_MAX_PARAMS];  /* parameter names, in order */
    const char *values[ROUTER_MAX_PARAMS]; /* their values (point into buf) */
    unsigned allowed;            /* methods the matched path has (1u << m) */
    char buf[ROUTER_MAX_PATH];   /* the request path, split in place */
} route_match;

/* Matches `path` (no query string, already percent-decoded) and `method`. */
route_status router_match(const router *r, http_method method, const char *path,
                          route_match *out);

/* Writes the allowed methods as "GET, POST" into buf (for the Allow header). */
void router_allowed_text(unsigned allowed, char *buf, size_t len);

#endif
