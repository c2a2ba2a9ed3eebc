/* upstreams.c — see upstreams.h. */
#include "proxy/upstreams.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/name_list.h"

/* One "product=URL" entry into *u. */
static bool parse_one(const char *entry, upstream *u, char *err, size_t errlen)
{
    const char *eq = strchr(entry, '=');
    size_t plen = eq ? (size_t)(eq - entry) : 0;
    if (!eq || !plen || plen >= sizeof u->product) {
        snprintf(err, errlen, "--proxy-upstream: '%s' is not product=URL", entry);
        return false;
    }
    snprintf(u->product, sizeof u->product, "%.*s", (int)plen, entry);
    const char *url = eq + 1;
    if (!strncasecmp(url, "https://", 8)) {
        u->tls = true;
        url += 8;
    } else if (!strncasecmp(url, "http://", 7)) {
        u->tls = false;
        url += 7;
    } else {
        snprintf(err, errlen, "--proxy-upstream: %s: '%s' is not an http:// or https:// URL",
                 u->product, eq + 1);
        return false;
    }
    const char *host_end, *rest;
    if (*url == '[') { /* [IPv6] */
        host_end = strchr(url, ']');
        if (!host_end) {
            snprintf(err, errlen, "--proxy-upstream: %s: unclosed '[' in the host", u->product);
            return false;
        }
        snprintf(u->host, sizeof u->host, "%.*s", (int)(host_end - url - 1), url + 1);
        rest = host_end + 1;
    } else {
        host_end = url + strcspn(url, ":/");
        snprintf(u->host, sizeof u->host, "%.*s", (int)(host_end - url), url);
        rest = host_end;
    }
    snprintf(u->port, sizeof u->port, "%s", u->tls ? "443" : "80");
    if (*rest == ':') {
        size_t n = strspn(rest + 1, "0123456789");
        if (!n || n > 5 || (rest[1 + n] && rest[1 + n] != '/')) {
            snprintf(err, errlen, "--proxy-upstream: %s: bad port in '%s'", u->product, eq + 1);
            return false;
        }
        snprintf(u->port, sizeof u->port, "%.*s", (int)n, rest + 1);
        rest += 1 + n;
    }
    if (!u->host[0]) {
        snprintf(err, errlen, "--proxy-upstream: %s: no host in '%s'", u->product, eq + 1);
        return false;
    }
    size_t blen = strlen(rest);
    while (blen && rest[blen - 1] == '/')
        blen--;
    if (blen >= sizeof u->base) {
        snprintf(err, errlen, "--proxy-upstream: %s: base path too long", u->product);
        return false;
    }
    snprintf(u->base, sizeof u->base, "%.*s", (int)blen, rest);
    return true;
}

bool upstreams_parse(const char *text, upstreams *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *p = text, *item;
    size_t len;
    char entry[600];
    while (name_list_next(&p, &item, &len)) {
        if (!len)
            continue;
        if (out->n == UPSTREAMS_MAX || len >= sizeof entry) {
            snprintf(err, errlen, "--proxy-upstream: at most %d entries of up to %zu characters",
                     UPSTREAMS_MAX, sizeof entry - 1);
            return false;
        }
        snprintf(entry, sizeof entry, "%.*s", (int)len, item);
        if (!parse_one(entry, &out->items[out->n], err, errlen))
            return false;
        if (upstreams_find(out, out->items[out->n].product)) {
            snprintf(err, errlen, "--proxy-upstream: %s is given twice", out->items[out->n].product);
            return false;
        }
        out->n++;
    }
    return true;
}

const upstream *upstreams_find(const upstreams *u, const char *product)
{
    for (size_t i = 0; product && i < u->n; i++)
        if (!strcasecmp(u->items[i].product, product))
            return &u->items[i];
    return NULL;
}
