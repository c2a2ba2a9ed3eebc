/* form.c — see form.h. */
#include "form.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

char *form_unescape(const char *src, size_t len)
{
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (src[i] == '+') {
            out[o++] = ' ';
        } else if (src[i] == '%') {
            int hi = i + 2 < len ? hex_value(src[i + 1]) : -1;
            int lo = i + 2 < len ? hex_value(src[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                free(out);
                return NULL;
            }
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = src[i];
        }
    }
    out[o] = 0;
    return out;
}

/* Sets obj[name] = text; false (with why) if either is not UTF-8. */
static bool set_text(json_t *obj, const char *name, const char *text, char *why, size_t whylen)
{
    json_t *v = json_string(text);
    if (!v || json_object_set_new(obj, name, v)) {
        snprintf(why, whylen, "The form field '%s' is not valid UTF-8 text.", name);
        return false;
    }
    return true;
}

json_t *form_parse_urlencoded(const char *body, size_t len, char *why, size_t whylen)
{
    json_t *obj = json_object();
    size_t i = 0;
    while (obj && i < len) {
        size_t end = i;
        while (end < len && body[end] != '&')
            end++;
        size_t eq = i;
        while (eq < end && body[eq] != '=')
            eq++;
        if (end > i) {
            char *name = form_unescape(body + i, eq - i);
            char *value = eq < end ? form_unescape(body + eq + 1, end - eq - 1) : strdup("");
            bool ok = name && value && *name && set_text(obj, name, value, why, whylen);
            if (!ok && (!name || !value || !*name))
                snprintf(why, whylen, "The form body has a malformed field near byte %zu.", i);
            free(name);
            free(value);
            if (!ok) {
                json_decref(obj);
                return NULL;
            }
        }
        i = end + 1;
    }
    return obj;
}

/* Finds needle[0..nlen) in hay[0..hlen); returns its offset or -1. */
static long find_bytes(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
    if (nlen == 0 || hlen < nlen)
        return -1;
    for (size_t i = 0; i + nlen <= hlen; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, nlen) == 0)
            return (long)i;
    return -1;
}

/* Copies the value of parameter `param` (e.g. boundary, name) out of a
 * header value such as `form-data; name="file"; filename="a.lic"`. */
static bool header_param(const char *hv, size_t hlen, const char *param, char *out, size_t outlen)
{
    size_t plen = strlen(param);
    for (size_t i = 0; i + plen < hlen; i++) {
        bool at_start = i == 0 || hv[i - 1] == ';' || hv[i - 1] == ' ';
        if (!at_start || strncasecmp(hv + i, param, plen) || hv[i + plen] != '=')
            continue;
        size_t v = i + plen + 1, e;
        if (v < hlen && hv[v] == '"') {
            v++;
            for (e = v; e < hlen && hv[e] != '"'; e++)
                ;
        } else {
            for (e = v; e < hlen && hv[e] != ';' && hv[e] != ' '; e++)
                ;
        }
        if (e - v >= outlen)
            return false;
        memcpy(out, hv + v, e - v);
        out[e - v] = 0;
        return true;
    }
    return false;
}

/* Handles one part (headers CRLF CRLF content); false with why on error. */
static bool parse_part(json_t *obj, const char *part, size_t len, char *why, size_t whylen)
{
    long hend = find_bytes(part, len, "\r\n\r\n", 4);
    if (hend < 0) {
        snprintf(why, whylen, "A multipart part has no header end.");
        return false;
    }
    char name[256] = "", filename[256] = "";
    bool has_file = false;
    for (size_t i = 0; i < (size_t)hend;) {
        long eol = find_bytes(part + i, (size_t)hend - i, "\r\n", 2);
        size_t llen = eol < 0 ? (size_t)hend - i : (size_t)eol;
        if (llen > 20 && !strncasecmp(part + i, "Content-Disposition:", 20)) {
            header_param(part + i + 20, llen - 20, "name", name, sizeof name);
            has_file = header_param(part + i + 20, llen - 20, "filename", filename, sizeof filename);
        }
        i += llen + 2;
    }
    if (!name[0]) {
        snprintf(why, whylen, "A multipart part has no name.");
        return false;
    }
    const char *content = part + hend + 4;
    size_t clen = len - (size_t)hend - 4;
    char *text = malloc(clen + 1);
    if (!text) {
        snprintf(why, whylen, "Out of memory.");
        return false;
    }
    memcpy(text, content, clen);
    text[clen] = 0;
    json_t *v = memchr(text, 0, clen) ? NULL : json_string(text);
    if (!v && has_file) {
        char placeholder[64];
        snprintf(placeholder, sizeof placeholder, "<binary %zu bytes>", clen);
        v = json_string(placeholder);
    }
    free(text);
    if (!v || json_object_set_new(obj, name, v)) {
        snprintf(why, whylen, "The form field '%s' is not valid UTF-8 text.", name);
        return false;
    }
    return true;
}

json_t *form_parse_multipart(const char *content_type, const char *body, size_t len,
                             char *why, size_t whylen)
{
    char boundary[128];
    char delim[134];
    if (!content_type ||
        !header_param(content_type, strlen(content_type), "boundary", boundary, sizeof boundary) ||
        !boundary[0]) {
        snprintf(why, whylen, "The multipart/form-data content type has no boundary.");
        return NULL;
    }
    int dlen = snprintf(delim, sizeof delim, "--%s", boundary);
    long at = find_bytes(body, len, delim, (size_t)dlen);
    if (at < 0) {
        snprintf(why, whylen, "The multipart body does not contain its boundary.");
        return NULL;
    }
    json_t *obj = json_object();
    size_t pos = (size_t)at + (size_t)dlen;
    while (obj) {
        if (pos + 2 <= len && !memcmp(body + pos, "--", 2))
            return obj; /* closing delimiter */
        if (pos + 2 > len || memcmp(body + pos, "\r\n", 2)) {
            snprintf(why, whylen, "The multipart body is malformed after a boundary.");
            break;
        }
        pos += 2;
        char next[136];
        int nlen = snprintf(next, sizeof next, "\r\n%s", delim);
        long end = find_bytes(body + pos, len - pos, next, (size_t)nlen);
        if (end < 0) {
            snprintf(why, whylen, "The multipart body is not terminated.");
            break;
        }
        if (!parse_part(obj, body + pos, (size_t)end, why, whylen))
            break;
        pos += (size_t)end + (size_t)nlen;
    }
    json_decref(obj);
    return NULL;
}
