/* upstreams.h — where proxied requests go: one upstream base URL per
 * product, from --proxy-upstream "vbr=URL,vb365=URL,vone=URL".
 *
 * The product names are the URL representations of the REST overview's
 * Request Proxying (/proxy/{managementAgentUid}/{product}/...), and
 * schema/proxy.json ties each to its ProxyProduct. A URL is http:// or
 * https://, a host (name, IPv4 or [IPv6]), an optional port and an
 * optional base path the proxied path is appended to. */
#ifndef VSPC_UPSTREAMS_H
#define VSPC_UPSTREAMS_H

#include <stdbool.h>
#include <stddef.h>

#define UPSTREAMS_MAX 8

typedef struct upstream {
    char product[16]; /* "vbr" */
    bool tls;
    char host[256];
    char port[8];
    char base[256];   /* "" or "/api" (no trailing slash) */
} upstream;

typedef struct upstreams {
    size_t n;
    upstream items[UPSTREAMS_MAX];
} upstreams;

/* Parses the flag's text ("" gives none). False with err naming the
 * faulty entry. */
bool upstreams_parse(const char *text, upstreams *out, char *err, size_t errlen);

/* The upstream of product (case-insensitive), or NULL. */
const upstream *upstreams_find(const upstreams *u, const char *product);

#endif
