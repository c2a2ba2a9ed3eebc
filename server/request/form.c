/* form.c — see form.h. */
#include "request/form.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* Decodes src[0..len) into a new string of *outlen bytes plus a NUL (which
 * may also occur inside it); NULL on a malformed escape. */
static char *decode(const char *src, size_t len, size_t *outlen)
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
    *outlen = o;
    return out;
}

char *form_unescape(const char *src, size_t len)
{
    size_t n;
    char *out = decode(src, len, &n);
    if (out && strlen(out) != n) {
        free(out);
        return NULL;
    }
    return out;
}


/* Copies the first len bytes of text into field, cut to fit; "" instead
 * when they are not UTF-8 text, since the name goes into a JSON answer. */
static void name_field(char *field, size_t fieldlen, const char *text, size_t len)
{
    if (fieldlen == 0)
        return;
    if (len >= fieldlen) {
        len = fieldlen - 1;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--; /* do not cut a character */
    }
    memcpy(field, text, len);
    field[len] = 0;
    if (!utf8_valid(field))
        field[0] = 0;
}


/* One name[=value] of an urlencoded body into obj; false with why and
 * field on a problem. Messages quote the name only when it is UTF-8 text
 * without a NUL: they end up in a JSON error body. */
static bool parse_pair(json_t *obj, const char *pair, size_t len, size_t at, char *field,
                       size_t fieldlen, char *why, size_t whylen)
{
    const char *eq = memchr(pair, '=', len);
    size_t name_len = eq ? (size_t)(eq - pair) : len, nlen = 0, vlen = 0;
    char *name = decode(pair, name_len, &nlen);
    char *value = eq ? decode(eq + 1, len - name_len - 1, &vlen) : strdup("");
    bool good_name = name && nlen > 0 && strlen(name) == nlen && utf8_valid(name);
    bool ok = false;
    if (good_name)
        name_field(field, fieldlen, name, nlen);
    else
        name_field(field, fieldlen, pair, name_len); /* as sent */
    if (!name || !value || nlen == 0)
        snprintf(why, whylen, "The form body has a malformed field near byte %zu.", at);
    else if (strlen(name) != nlen)
        snprintf(why, whylen, "A form field name contains a NUL byte.");
    else if (!good_name)
        snprintf(why, whylen, "A form field name is not valid UTF-8 text.");
    else if (strlen(value) != vlen)
        snprintf(why, whylen, "The form field '%s' contains a NUL byte.", name);
    else if (!utf8_valid(value))
        snprintf(why, whylen, "The form field '%s' is not valid UTF-8 text.", name);
    else if (json_object_set_new(obj, name, json_string(value)) == 0)
        ok = true;
    else
        snprintf(why, whylen, "Out of memory.");
    free(name);
    free(value);
    return ok;
}

json_t *form_parse_urlencoded(const char *body, size_t len, char *field, size_t fieldlen,
                              char *why, size_t whylen)
{
    json_t *obj = json_object();
    name_field(field, fieldlen, "", 0);
    size_t i = 0;
    while (obj && i < len) {
        size_t end = i;
        while (end < len && body[end] != '&')
            end++;
        if (end > i && !parse_pair(obj, body + i, end - i, i, field, fieldlen, why, whylen)) {
            if (whylen)
                utf8_trim_partial(why);
            json_decref(obj);
            return NULL;
        }
        i = end + 1;
    }
    if (obj)
        name_field(field, fieldlen, "", 0);
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
 * header value such as `form-data; name="file"; filename="a.lic"`; *got
 * (when not NULL) receives its length in bytes, so that a NUL among them
 * shows as strlen(out) < *got. False when absent or too long. */
static bool header_param(const char *hv, size_t hlen, const char *param, char *out, size_t outlen,
                         size_t *got)
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
        if (got)
            *got = e - v;
        return true;
    }
    return false;
}

/* Handles one part (headers CRLF CRLF content); false with why (and field
 * when the part has a name) on error. */
static bool parse_part(json_t *obj, const char *part, size_t len, char *field, size_t fieldlen,
                       char *why, size_t whylen)
{
    long hend = find_bytes(part, len, "\r\n\r\n", 4);
    if (hend < 0) {
        snprintf(why, whylen, "A multipart part has no header end.");
        return false;
    }
    char name[256] = "", filename[256] = "";
    bool has_file = false, name_nul = false;
    for (size_t i = 0; i < (size_t)hend;) {
        long eol = find_bytes(part + i, (size_t)hend - i, "\r\n", 2);
        size_t llen = eol < 0 ? (size_t)hend - i : (size_t)eol;
        if (llen > 20 && !strncasecmp(part + i, "Content-Disposition:", 20)) {
            size_t nlen = 0;
            if (header_param(part + i + 20, llen - 20, "name", name, sizeof name, &nlen))
                name_nul = strlen(name) != nlen;
            has_file = header_param(part + i + 20, llen - 20, "filename", filename,
                                    sizeof filename, NULL);
        }
        i += llen + 2;
    }
    if (!name[0]) {
        snprintf(why, whylen, "A multipart part has no name.");
        return false;
    }
    name_field(field, fieldlen, name, strlen(name));
    if (name_nul || !utf8_valid(name)) {
        snprintf(why, whylen, "A multipart part name %s.",
                 name_nul ? "contains a NUL byte" : "is not valid UTF-8 text");
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
    bool nul = memchr(text, 0, clen) != NULL;
    json_t *v = nul ? NULL : json_string(text);
    if (!v && has_file) {
        char placeholder[64];
        snprintf(placeholder, sizeof placeholder, "<binary %zu bytes>", clen);
        v = json_string(placeholder);
    }
    free(text);
    if (!v && nul) {
        snprintf(why, whylen, "The form field '%s' contains a NUL byte.", name);
        return false;
    }
    if (!v || json_object_set_new(obj, name, v)) {
        snprintf(why, whylen, "The form field '%s' is not valid UTF-8 text.", name);
        return false;
    }
    return true;
}

json_t *form_parse_multipart(const char *content_type, const char *body, size_t len,
                             char *field, size_t fieldlen, char *why, size_t whylen)
{
    name_field(field, fieldlen, "", 0);
    char boundary[128];
    char delim[134];
    if (!content_type ||
        !header_param(content_type, strlen(content_type), "boundary", boundary, sizeof boundary,
                      NULL) ||
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
        if (!parse_part(obj, body + pos, (size_t)end, field, fieldlen, why, whylen)) {
            if (whylen)
                utf8_trim_partial(why);
            break;
        }
        pos += (size_t)end + (size_t)nlen;
    }
    json_decref(obj);
    return NULL;
}
