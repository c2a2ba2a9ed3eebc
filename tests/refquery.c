/* refquery.c — see refquery.h. Deliberately plain: clarity over speed. */
#include "refquery.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "store/query.h"

typedef enum { COLL_ORD, COLL_CASE, COLL_LEX } coll;

static const ref_prop *find(const ref_prop *props, const char *path)
{
    for (; props->path; props++)
        if (!strcmp(props->path, path))
            return props;
    return NULL;
}

static const json_t *value_at(const json_t *record, const char *path)
{
    char part[64];
    const json_t *v = record;
    for (const char *at = path;;) {
        const char *dot = strchr(at, '.');
        size_t len = dot ? (size_t)(dot - at) : strlen(at);
        memcpy(part, at, len);
        part[len] = 0;
        v = json_object_get(v, part);
        if (!dot || !v)
            return json_is_null(v) ? NULL : v;
        at = dot + 1;
    }
}

static coll collation_of(const json_t *e)
{
    const char *c = json_string_value(json_object_get(e, "collation"));
    if (c && !strcasecmp(c, "ignorecase"))
        return COLL_CASE;
    if (c && !strcasecmp(c, "lexicographic"))
        return COLL_LEX;
    return COLL_ORD;
}

/* Seconds since the epoch of an RFC 3339 date-time (offsets honoured). */
static double instant(const char *s)
{
    struct tm tm = {0};
    int y, mo, d, h, mi;
    double sec;
    if (sscanf(s, "%d-%d-%dT%d:%d:%lf", &y, &mo, &d, &h, &mi, &sec) != 6)
        return 0;
    tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d, tm.tm_hour = h, tm.tm_min = mi;
    double t = (double)timegm(&tm) + sec;
    const char *tz = s + strlen(s) - 1;
    if (*tz != 'Z' && *tz != 'z' && strlen(s) > 6) {
        const char *off = s + strlen(s) - 6;
        if ((off[0] == '+' || off[0] == '-') && off[3] == ':')
            t -= (off[0] == '-' ? -1 : 1) * (atoi(off + 1) * 3600.0 + atoi(off + 4) * 60.0);
    }
    return t;
}

static int text_cmp(const char *a, const char *b, coll c)
{
    if (c == COLL_LEX)
        return query_lexical_compare(a, strlen(a), b, strlen(b));
    if (c == COLL_CASE) {
        for (;; a++, b++) { /* ASCII case folding, as SQLite's NOCASE */
            int x = tolower((unsigned char)*a), y = tolower((unsigned char)*b);
            if (x != y || !x)
                return x - y;
        }
    }
    return strcmp(a, b);
}

/* Compares a present record value with a filter value of the same kind:
 * <0, 0, >0. */
static int cmp(ref_kind k, const json_t *x, const json_t *v, coll c)
{
    const char *vs = json_string_value(v);
    switch (k) {
    case R_NUMBER: {
        double a = json_number_value(x), b = vs ? atof(vs) : json_number_value(v);
        return (a > b) - (a < b);
    }
    case R_BOOL: {
        int a = json_is_true(x), b = vs ? !strcasecmp(vs, "true") : json_is_true(v);
        return a - b;
    }
    case R_DATETIME: {
        double a = instant(json_string_value(x)), b = instant(vs);
        double d = a - b;
        return d > 1e-3 ? 1 : d < -1e-3 ? -1 : 0;
    }
    case R_UUID:
        return strcasecmp(json_string_value(x), vs);
    default:
        return text_cmp(json_string_value(x), vs, c);
    }
}

static bool in_list(ref_kind k, const json_t *x, const json_t *list, coll c)
{
    size_t i;
    const json_t *v;
    json_array_foreach(list, i, v)
        if (cmp(k, x, v, c) == 0)
            return true;
    return false;
}

/* Case-insensitive (or not) substring test. */
static bool has_substring(const char *hay, const char *needle, coll c)
{
    if (c == COLL_ORD)
        return strstr(hay, needle) != NULL;
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return true;
    return n == 0;
}

static bool relational(const ref_prop *p, const char *op, const json_t *x, const json_t *v, coll c)
{
    ref_kind k = p->kind;
    if (!strcasecmp(op, "equals"))
        return json_is_null(v) ? !x : x && cmp(k, x, v, c) == 0;
    if (!strcasecmp(op, "notEquals"))
        return json_is_null(v) ? x != NULL : !x || cmp(k, x, v, c) != 0;
    if (!strcasecmp(op, "lessThan"))
        return x && cmp(k, x, v, c) < 0;
    if (!strcasecmp(op, "lessThanOrEqual"))
        return x && cmp(k, x, v, c) <= 0;
    if (!strcasecmp(op, "greaterThan"))
        return x && cmp(k, x, v, c) > 0;
    if (!strcasecmp(op, "greaterThanOrEqual"))
        return x && cmp(k, x, v, c) >= 0;
    if (!strcasecmp(op, "in"))
        return x && in_list(k, x, v, c);
    size_t i;
    const json_t *e;
    if (!strcasecmp(op, "contains")) {
        if (k != R_ARRAY)
            return x && has_substring(json_string_value(x), json_string_value(v), c);
        json_array_foreach(x, i, e)
            if (cmp(p->item, e, v, c) == 0)
                return true;
        return false;
    }
    if (!strcasecmp(op, "subset")) {
        json_array_foreach(x, i, e)
            if (!in_list(p->item, e, v, c))
                return false;
        return true;
    }
    /* superset */
    json_array_foreach(v, i, e) {
        bool found = false;
        size_t j;
        const json_t *mine;
        json_array_foreach(x, j, mine) found |= cmp(p->item, mine, e, c) == 0;
        if (!found)
            return false;
    }
    return true;
}

static bool match(const ref_prop *props, const json_t *e, const json_t *record);

static int count_true(const ref_prop *props, const json_t *items, const json_t *record)
{
    int n = 0;
    size_t i;
    const json_t *item;
    json_array_foreach(items, i, item) n += match(props, item, record);
    return n;
}

static bool match(const ref_prop *props, const json_t *e, const json_t *record)
{
    const char *op = json_string_value(json_object_get(e, "operation"));
    const json_t *items = json_object_get(e, "items");
    int n = (int)json_array_size(items);
    if (!strcasecmp(op, "and"))
        return count_true(props, items, record) == n;
    if (!strcasecmp(op, "or"))
        return count_true(props, items, record) > 0;
    if (!strcasecmp(op, "not"))
        return count_true(props, items, record) != n;
    if (!strcasecmp(op, "exclusiveOr"))
        return count_true(props, items, record) == 1;
    const ref_prop *p = find(props, json_string_value(json_object_get(e, "property")));
    return relational(p, op, value_at(record, p->path), json_object_get(e, "value"), collation_of(e));
}

bool ref_match(const ref_prop *props, const json_t *filter, const json_t *record)
{
    if (json_is_object(filter))
        return match(props, filter, record);
    size_t i;
    const json_t *e;
    json_array_foreach(filter, i, e)
        if (!match(props, e, record))
            return false;
    return true;
}

int ref_compare(const ref_prop *props, const json_t *sort, const json_t *a, const json_t *b)
{
    size_t i;
    const json_t *key;
    json_array_foreach(sort, i, key) {
        const ref_prop *p = find(props, json_string_value(json_object_get(key, "property")));
        const json_t *x = value_at(a, p->path), *y = value_at(b, p->path);
        const char *dir = json_string_value(json_object_get(key, "direction"));
        int sign = dir && !strcasecmp(dir, "descending") ? -1 : 1;
        int r = !x && !y ? 0 : !x ? -1 : !y ? 1 : cmp(p->kind, x, y, collation_of(key));
        if (r)
            return sign * (r < 0 ? -1 : 1);
    }
    json_int_t sa = json_integer_value(json_object_get(a, "seq"));
    json_int_t sb = json_integer_value(json_object_get(b, "seq"));
    return (sa > sb) - (sa < sb);
}
