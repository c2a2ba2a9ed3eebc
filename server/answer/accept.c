/* accept.c — see accept.h. */
#include "answer/accept.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "answer/response.h"

/* What the emulator writes, in ASP.NET's formatter order: JSON's output
 * formatter comes first, so a wildcard subtype picks it. */
static const struct {
    const char *type, *subtype;
    answer_format format;
    const char *content_type;
} writable[] = {
    {"application", "json", FORMAT_JSON, CT_JSON},
    {"text", "json", FORMAT_JSON, "text/json; charset=utf-8"},
    {"application", "xml", FORMAT_XML, "application/xml; charset=utf-8"},
    {"text", "xml", FORMAT_XML, "text/xml; charset=utf-8"},
    {"text", "csv", FORMAT_CSV, "text/csv; charset=utf-8"},
};

#define N_WRITABLE (sizeof writable / sizeof writable[0])
#define MAX_RANGES 32 /* more are ignored: no client sends that many */

typedef struct range {
    char type[64], subtype[64];
    int q; /* quality in thousandths, 0..1000 */
    int order;
} range;

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Copies a token up to a delimiter of `stop` (or space) into out. */
static const char *token(const char *p, const char *stop, char *out, size_t len)
{
    size_t n = 0;
    while (*p && !strchr(stop, *p) && *p != ' ' && *p != '\t') {
        if (n + 1 < len)
            out[n++] = *p;
        p++;
    }
    out[n] = 0;
    return p;
}

/* "0.5" -> 500; anything not a quality (RFC 9110 12.4.2) -> 1000. */
static int parse_q(const char *text)
{
    char *end;
    double q = strtod(text, &end);
    if (end == text || q < 0 || q > 1)
        return 1000;
    return (int)(q * 1000 + 0.5);
}

/* One media range "type/subtype;param=v;q=0.5"; p points at it. Returns
 * the text after it (at the comma or the end); false in *ok when it is
 * not a media range. */
static const char *parse_range(const char *p, range *r, bool *ok)
{
    p = skip_space(p);
    p = token(p, "/,;", r->type, sizeof r->type);
    *ok = *p == '/' && r->type[0];
    if (*p == '/')
        p = token(p + 1, ",;", r->subtype, sizeof r->subtype);
    *ok = *ok && r->subtype[0];
    r->q = 1000;
    while (*p && *p != ',') {
        p = skip_space(p);
        if (*p != ';') {
            p++;
            continue;
        }
        char name[16], value[32];
        p = token(skip_space(p + 1), "=,;", name, sizeof name);
        value[0] = 0;
        p = skip_space(p);
        if (*p == '=')
            p = token(skip_space(p + 1), ",;", value, sizeof value);
        if (!strcasecmp(name, "q"))
            r->q = parse_q(value);
    }
    return p;
}

static int by_quality(const void *a, const void *b)
{
    const range *x = a, *y = b;
    return x->q != y->q ? y->q - x->q : x->order - y->order; /* stable */
}

static bool matches(const range *r, size_t w)
{
    bool any_sub = !strcmp(r->subtype, "*");
    return (!strcasecmp(r->type, writable[w].type) &&
            (any_sub || !strcasecmp(r->subtype, writable[w].subtype)));
}

static accept_choice choice_of(size_t w)
{
    return (accept_choice){true, writable[w].format, writable[w].content_type};
}

accept_choice accept_choose(const char *accept)
{
    range ranges[MAX_RANGES];
    size_t n = 0;
    const char *p = accept ? accept : "";
    while (*p && n < MAX_RANGES) {
        bool ok;
        range r;
        p = parse_range(p, &r, &ok);
        if (*p == ',')
            p++;
        if (!ok)
            continue;
        if (!strcmp(r.type, "*") && r.q > 0)
            return choice_of(0); /* a browser's Accept: JSON, as ASP.NET does */
        r.order = (int)n;
        ranges[n++] = r;
    }
    if (n == 0)
        return choice_of(0);
    qsort(ranges, n, sizeof ranges[0], by_quality);
    for (size_t i = 0; i < n && ranges[i].q > 0; i++)
        for (size_t w = 0; w < N_WRITABLE; w++)
            if (matches(&ranges[i], w))
                return choice_of(w);
    return (accept_choice){false, FORMAT_JSON, CT_JSON};
}

const char *accept_supported_text(void)
{
    return "application/json, text/json, application/xml, text/xml, text/csv";
}
