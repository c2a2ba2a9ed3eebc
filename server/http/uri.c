/* uri.c — see uri.h. */
#include "http/uri.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes src[0..len) into dst (room for len + 1 bytes), NUL-terminates it
 * and returns the decoded length; *had_nul tells whether a %00 was met. */
static size_t decode(const char *src, size_t len, bool plus_is_space, char *dst, bool *had_nul)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = src[i];
        if (c == '%' && i + 2 < len && hex_value(src[i + 1]) >= 0 &&
            hex_value(src[i + 2]) >= 0) {
            c = (char)(hex_value(src[i + 1]) * 16 + hex_value(src[i + 2]));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            c = ' ';
        }
        if (c == 0)
            *had_nul = true;
        dst[n++] = c;
    }
    dst[n] = 0;
    return n;
}

/* Copies text into name[0..namelen) with NULs shown as "\0". */
static void name_of(const char *text, size_t len, char *name, size_t namelen)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 3 < namelen; i++) {
        if (text[i] == 0) {
            name[n++] = '\\';
            name[n++] = '0';
        } else {
            name[n++] = text[i];
        }
    }
    if (namelen)
        name[n < namelen ? n : namelen - 1] = 0;
}

uri_status uri_parse(const char *target, size_t len, uri_parts *out, char *why, size_t whylen,
                     char *name, size_t namelen)
{
    memset(out, 0, sizeof *out);
    if (whylen)
        why[0] = 0;
    if (namelen)
        name[0] = 0;
    if (len > URI_MAX_TARGET) {
        snprintf(why, whylen, "The request URI is longer than %d bytes.", URI_MAX_TARGET);
        return URI_TOO_LONG;
    }
    const char *q = memchr(target, '?', len);
    size_t path_len = q ? (size_t)(q - target) : len;
    if (!(out->path = malloc(path_len + 1)))
        return URI_NO_MEMORY;
    bool nul = false;
    size_t decoded = decode(target, path_len, false, out->path, &nul);
    if (nul) {
        snprintf(name, namelen, "path");
        snprintf(why, whylen, "The request path contains a NUL character (%%00).");
        return URI_BAD;
    }
    if (decoded > URI_MAX_PATH) {
        snprintf(why, whylen, "The request path is longer than %d bytes.", URI_MAX_PATH);
        return URI_TOO_LONG;
    }
    if (!q)
        return URI_OK;

    const char *query = q + 1;
    size_t qlen = len - path_len - 1;
    /* count first, so that no more than the limit is ever allocated */
    size_t pairs = 0;
    for (size_t i = 0, start = 0; i <= qlen; i++) {
        if (i == qlen || query[i] == '&') {
            if (i > start)
                pairs++;
            start = i + 1;
        }
    }
    if (pairs > URI_MAX_PARAMS) {
        snprintf(why, whylen, "The request has %zu query parameters; at most %d are accepted.",
                 pairs, URI_MAX_PARAMS);
        return URI_TOO_MANY;
    }
    if (!pairs)
        return URI_OK;
    /* every pair decodes to at most its own bytes plus two NULs */
    out->text = malloc(qlen + 2 * pairs + 1);
    out->query = calloc(pairs, sizeof *out->query);
    if (!out->text || !out->query)
        return URI_NO_MEMORY;
    char *dst = out->text;
    for (size_t i = 0, start = 0; i <= qlen; i++) {
        if (i < qlen && query[i] != '&')
            continue;
        const char *pair = query + start;
        size_t plen = i - start;
        start = i + 1;
        if (!plen)
            continue;
        const char *eq = memchr(pair, '=', plen);
        size_t klen = eq ? (size_t)(eq - pair) : plen;
        bool key_nul = false, value_nul = false;
        char *key = dst;
        size_t kdec = decode(pair, klen, true, key, &key_nul);
        dst += kdec + 1;
        char *value = dst;
        size_t vdec = eq ? decode(eq + 1, plen - klen - 1, true, value, &value_nul) : 0;
        if (!eq)
            value[0] = 0;
        dst += vdec + 1;
        if (key_nul || value_nul) {
            if (kdec)
                name_of(key, kdec, name, namelen);
            else /* "?=%00": a pair without a name */
                snprintf(name, namelen, "query");
            snprintf(why, whylen, "The query parameter %s a NUL character (%%00).",
                     key_nul ? "name contains" : "value contains");
            return URI_BAD;
        }
        out->query[out->nquery++] = (kv){key, value};
    }
    return URI_OK;
}

void uri_parts_clear(uri_parts *parts)
{
    free(parts->path);
    free(parts->query);
    free(parts->text);
    memset(parts, 0, sizeof *parts);
}
