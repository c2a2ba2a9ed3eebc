/* invariant_kinds.c — see invariant_kinds.h. */
#include "world/invariant_kinds.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "world/timestamps.h"

#define HOUR 3600.0
#define DAY 86400.0

/* ---- values ---- */

static const char *str(const inv_rule *r, const char *member)
{
    return json_string_value(json_object_get(r->def, member));
}

/* A date-time text (starts like a date and parses). */
static bool as_time(const json_t *v, double *t)
{
    const char *s = json_string_value(v);
    return s && isdigit((unsigned char)s[0]) && strlen(s) >= 10 && s[4] == '-' && ts_parse(s, t);
}

/* A number or a date-time as a number; false for anything else. */
static bool as_number(const json_t *v, double *x, bool *is_time)
{
    *is_time = false;
    if (json_is_number(v)) {
        *x = json_number_value(v);
        return true;
    }
    *is_time = as_time(v, x);
    return *is_time;
}

/* A date alone ("yyyy-MM-dd", a property of format date): it stays one. */
static bool date_only(const json_t *v)
{
    return json_is_string(v) && strlen(json_string_value(v)) == 10;
}

/* A value like old (a date-time text, a date, an integer or a real)
 * holding x. */
static json_t *like(const json_t *old, double x, bool is_time)
{
    if (is_time) {
        char text[48];
        ts_format(x, text, sizeof text);
        if (date_only(old))
            text[10] = 0;
        return json_string(text);
    }
    if (json_is_integer(old))
        return json_integer((json_int_t)llround(x));
    return json_real(round(x * 100) / 100);
}

static double between(inv_ctx *c, double lo, double hi)
{
    return lo + (hi - lo) * (c->r ? rng_unit(c->r) : 0.5);
}


static bool is_empty(const json_t *v)
{
    return !v || json_is_null(v) || (json_is_string(v) && json_string_value(v)[0] == 0) ||
           (json_is_array(v) && json_array_size(v) == 0);
}

static bool in_list(const json_t *list, const json_t *v)
{
    size_t i;
    const json_t *x;
    json_array_foreach(list, i, x) if (json_equal(x, v)) return true;
    return false;
}

/* ---- format ---- */

static bool format_holds(const inv_rule *r, json_t *obj, const inv_ctx *c)
{
    (void)c;
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(r->def, "properties"), i, p) {
        inv_slot s[INV_MAX_SLOTS];
        size_t n = inv_path_slots(obj, json_string_value(p), s, INV_MAX_SLOTS);
        for (size_t k = 0; k < n; k++) {
            double t;
            if (as_time(s[k].value, &t) && !date_only(s[k].value) &&
                !ts_is_vspc(json_string_value(s[k].value)))
                return false;
        }
    }
    return true;
}

static void format_repair(const inv_rule *r, json_t *obj, inv_ctx *c)
{
    (void)c;
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(r->def, "properties"), i, p) {
        inv_slot s[INV_MAX_SLOTS];
        size_t n = inv_path_slots(obj, json_string_value(p), s, INV_MAX_SLOTS);
        for (size_t k = 0; k < n; k++) {
            double t;
            char text[48];
            if (as_time(s[k].value, &t) && !date_only(s[k].value) &&
                !ts_is_vspc(json_string_value(s[k].value)) &&
                ts_normalize(json_string_value(s[k].value), text, sizeof text))
                inv_slot_set(&s[k], json_string(text));
        }
    }
}

/* ---- order ---- */

typedef struct ordered {
    inv_slot slot;
    double x;
    bool is_time;
    int side; /* -1 before $now, +1 after, 0 no $now in the rule */
} ordered;

/* The present values of the rule's properties, in its order; *has_now. */
static size_t order_values(const inv_rule *r, json_t *obj, ordered *out, size_t max, bool *has_now)
{
    double skip = -INFINITY;
    const json_t *sb = json_object_get(r->def, "skipBelow");
    if (json_is_number(sb))
        skip = json_number_value(sb);
    const json_t *props = json_object_get(r->def, "properties");
    *has_now = false;
    size_t i, n = 0;
    const json_t *p;
    json_array_foreach(props, i, p) if (!strcmp(json_string_value(p), "$now")) *has_now = true;
    int side = *has_now ? -1 : 0;
    json_array_foreach(props, i, p) {
        const char *path = json_string_value(p);
        if (!strcmp(path, "$now")) {
            side = 1;
            continue;
        }
        inv_slot s[INV_MAX_SLOTS];
        size_t k = inv_path_slots(obj, path, s, INV_MAX_SLOTS);
        for (size_t j = 0; j < k && n < max; j++) {
            ordered o = {.slot = s[j], .side = side};
            if (as_number(s[j].value, &o.x, &o.is_time) && (o.is_time || o.x >= skip))
                out[n++] = o;
        }
    }
    return n;
}

/* The rule's "maxSpan": seconds the first and last values may lie apart
 * (a session lasts hours, not months); 0: no limit. */
static double max_span(const inv_rule *r)
{
    const json_t *span = json_object_get(r->def, "maxSpan");
    return json_is_number(span) ? json_number_value(span) : 0;
}

static bool order_holds(const inv_rule *r, json_t *obj, const inv_ctx *c)
{
    ordered v[INV_MAX_SLOTS];
    bool has_now;
    size_t n = order_values(r, obj, v, INV_MAX_SLOTS, &has_now);
    double span = max_span(r);
    if (span > 0 && n > 1 && v[n - 1].x - v[0].x > span)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (v[i].side < 0 && v[i].x > c->now)
            return false;
        if (v[i].side > 0 && v[i].x <= c->now)
            return false;
        if (i > 0 && v[i].x < v[i - 1].x)
            return false;
    }
    return true;
}

static int by_x(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void order_repair(const inv_rule *r, json_t *obj, inv_ctx *c)
{
    ordered v[INV_MAX_SLOTS];
    bool has_now;
    size_t n = order_values(r, obj, v, INV_MAX_SLOTS, &has_now);
    /* what has happened goes into the last 30 days, what is due into the
     * next day; then each side is sorted into the rule's order */
    for (size_t i = 0; i < n; i++) {
        if (v[i].side < 0 && v[i].x > c->now)
            v[i].x = c->now - between(c, HOUR, 30 * DAY);
        if (v[i].side > 0 && v[i].x <= c->now)
            v[i].x = c->now + between(c, 60, DAY);
    }
    double xs[INV_MAX_SLOTS];
    for (size_t i = 0; i < n; i++)
        xs[i] = v[i].x;
    qsort(xs, n, sizeof *xs, by_x); /* sides do not overlap: before < now < after */
    double span = max_span(r);
    if (span > 0 && n > 1 && xs[n - 1] - xs[0] > span) {
        /* the latest value stays (an end is what a list shows last); the
         * earlier ones move up to within the span of it, spread as they were */
        double last = xs[n - 1], first = xs[0];
        double from = last - between(c, span / 20, span);
        for (size_t i = 0; i + 1 < n; i++)
            xs[i] = from + (xs[i] - first) / (last - first) * (last - from);
    }
    for (size_t i = 0; i < n; i++) {
        double was;
        bool t;
        as_number(v[i].slot.value, &was, &t);
        if (xs[i] != was ||
            (t && !date_only(v[i].slot.value) && !ts_is_vspc(json_string_value(v[i].slot.value))))
            inv_slot_set(&v[i].slot, like(v[i].slot.value, xs[i], v[i].is_time));
    }
}

/* ---- range ---- */

static bool range_ok(const inv_rule *r, const json_t *v)
{
    double lo = json_number_value(json_object_get(r->def, "min"));
    double hi = json_number_value(json_object_get(r->def, "max"));
    if (json_is_array(v)) {
        size_t i;
        const json_t *x;
        json_array_foreach(v, i, x) if (!range_ok(r, x)) return false;
        return true;
    }
    return !json_is_number(v) || (json_number_value(v) >= lo && json_number_value(v) <= hi);
}

/* An integer wraps into [lo, hi] (hour 31 is 7), a real is clamped. */
static json_t *into_range(const inv_rule *r, const json_t *v)
{
    double lo = json_number_value(json_object_get(r->def, "min"));
    double hi = json_number_value(json_object_get(r->def, "max"));
    if (json_is_integer(v)) {
        long long l = (long long)lo, span = (long long)hi - l + 1, x = json_integer_value(v) - l;
        return json_integer((json_int_t)(l + ((x % span) + span) % span));
    }
    double x = json_number_value(v);
    return json_real(x < lo ? lo : x > hi ? hi : x);
}

static bool range_holds(const inv_rule *r, json_t *obj, const inv_ctx *c)
{
    (void)c;
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(r->def, "properties"), i, p) {
        inv_slot s[INV_MAX_SLOTS];
        size_t n = inv_path_slots(obj, json_string_value(p), s, INV_MAX_SLOTS);
        for (size_t k = 0; k < n; k++)
            if (!range_ok(r, s[k].value))
                return false;
    }
    return true;
}

static void range_repair(const inv_rule *r, json_t *obj, inv_ctx *c)
{
    (void)c;
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(r->def, "properties"), i, p) {
        inv_slot s[INV_MAX_SLOTS];
        size_t n = inv_path_slots(obj, json_string_value(p), s, INV_MAX_SLOTS);
        for (size_t k = 0; k < n; k++) {
            json_t *v = s[k].value;
            if (json_is_array(v)) {
                size_t j;
                json_t *x;
                json_array_foreach(v, j, x) if (json_is_number(x) && !range_ok(r, x))
                    json_array_set_new(v, j, into_range(r, x));
            } else if (json_is_number(v) && !range_ok(r, v)) {
                inv_slot_set(&s[k], into_range(r, v));
            }
        }
    }
}

/* ---- sums ---- */

/* Sum of the rule's "parts" ("-name" subtracts); false when none is a
 * number. */
static bool parts_sum(const inv_rule *r, json_t *obj, double *sum)
{
    size_t i;
    const json_t *p;
    bool any = false;
    *sum = 0;
    json_array_foreach(json_object_get(r->def, "parts"), i, p) {
        const char *path = json_string_value(p);
        double sign = path[0] == '-' ? -1 : 1;
        inv_slot s[INV_MAX_SLOTS];
        size_t n = inv_path_slots(obj, path + (path[0] == '-'), s, INV_MAX_SLOTS);
        for (size_t k = 0; k < n; k++)
            if (json_is_number(s[k].value)) {
                *sum += sign * json_number_value(s[k].value);
                any = true;
            }
    }
    return any;
}

static bool sum_le_holds(const inv_rule *r, json_t *obj, const inv_ctx *c)
{
    (void)c;
    double sum;
    json_t *total = inv_path_first(obj, str(r, "total"), NULL);
    return !json_is_number(total) || !parts_sum(r, obj, &sum) || sum <= json_number_value(total);
}

static void sum_le_repair(const inv_rule *r, json_t *obj, inv_ctx *c)
{
    (void)c;
    double sum;
    inv_slot s;
    json_t *total = inv_path_first(obj, str(r, "total"), &s);
    if (json_is_number(total) && parts_sum(r, obj, &sum))
        inv_slot_set(&s, like(total, sum, false)); /* the total grows to hold its parts */
}

static bool sum_eq_holds(const inv_rule *r, json_t *obj, const inv_ctx *c)
{
    (void)c;
    double sum;
    json_t *total = inv_path_first(obj, str(r, "total"), NULL);
    return !json_is_number(total) || !parts_sum(r, obj, &sum) ||
           fabs(sum - json_number_value(total)) < 0.005 + 1e-9 * fabs(sum);
}

static void sum_eq_repair(const inv_rule *r, json_t *obj, inv_ctx *c)
{
    (void)c;
    double sum;
    inv_slot s;
    json_t *total = inv_path_first(obj, str(r, "total"), &s);
    if (json_is_number(total) && parts_sum(r, obj, &sum))
        inv_slot_set(&s, json_is_integer(total) && sum == floor(sum)
                             ? json_integer((json_int_t)sum)
                             : json_real(round(sum * 100) / 100));
}

/* ---- message ---- */

static bool message_holds(const inv_rule *r, json_t *obj, const inv_ctx *c)
{
    (void)c;
    json_t *state = inv_path_first(obj, str(r, "state"), NULL);
    json_t *msg = inv_path_first(obj, str(r, "message"), NULL);
    if (!state)
        return true;
    if (in_list(json_object_get(r->def, "ok"), state))
        return is_empty(msg);
    if (in_list(json_object_get(r->def, "failed"), state))
        return !is_empty(msg);
    return true;
}

static void message_repair(const inv_rule *r, json_t *obj, inv_ctx *c)
{
    json_t *state = inv_path_first(obj, str(r, "state"), NULL);
    inv_slot s;
    json_t *msg = inv_path_first(obj, str(r, "message"), &s);
    if (!state || !msg)
        return;
    if (in_list(json_object_get(r->def, "ok"), state)) {
        json_t *empty = json_object_get(r->def, "empty");
        inv_slot_set(&s, json_is_array(msg) ? json_array()
                         : empty            ? json_deep_copy(empty)
                                            : json_string(""));
        return;
    }
    const json_t *texts = json_object_get(r->def, "texts");
    size_t n = json_array_size(texts);
    json_t *text = json_deep_copy(json_array_get(
        texts, n ? (size_t)(c->r ? rng_range(c->r, 0, (int64_t)n - 1) : 0) : 0));
    if (!text)
        text = json_string("The operation failed.");
    if (json_is_array(msg)) {
        json_t *arr = json_array();
        json_array_append_new(arr, text);
        inv_slot_set(&s, arr);
    } else {
        inv_slot_set(&s, text);
    }
}

/* ---- text ---- */

static bool text_holds(const inv_rule *r, json_t *obj, const inv_ctx *c)
{
    (void)c;
    const char *v = json_string_value(inv_path_first(obj, str(r, "member"), NULL));
    if (!v || !v[0])
        return true; /* absent or not reported: nothing to contradict */
    size_t i;
    const json_t *x;
    json_array_foreach(json_object_get(r->def, "prefixes"), i, x) {
        const char *pre = json_string_value(x);
        if (!strncasecmp(v, pre, strlen(pre)))
            return true;
    }
    json_array_foreach(json_object_get(r->def, "contains"), i, x) {
        const char *part = json_string_value(x);
        size_t len = strlen(part);
        for (const char *q = v; *q; q++)
            if (!strncasecmp(q, part, len))
                return true;
    }
    return false;
}

static void text_repair(const inv_rule *r, json_t *obj, inv_ctx *c)
{
    inv_slot s;
    if (!inv_path_first(obj, str(r, "member"), &s))
        return;
    const json_t *values = json_object_get(r->def, "values");
    size_t n = json_array_size(values);
    if (n)
        inv_slot_set(&s, json_deep_copy(json_array_get(
                             values, (size_t)(c->r ? rng_range(c->r, 0, (int64_t)n - 1) : 0))));
}

/* ---- empty ---- */

static bool empty_holds(const inv_rule *r, json_t *obj, const inv_ctx *c)
{
    (void)c;
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(r->def, "properties"), i, p) {
        json_t *v = inv_path_first(obj, json_string_value(p), NULL);
        if (v && !json_is_null(v))
            return false;
    }
    return true;
}

static void empty_repair(const inv_rule *r, json_t *obj, inv_ctx *c)
{
    (void)c;
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(r->def, "properties"), i, p) {
        inv_slot s;
        json_t *v = inv_path_first(obj, json_string_value(p), &s);
        if (v && !json_is_null(v))
            inv_slot_set(&s, json_null());
    }
}

/* ---- recent ---- */

/* "minAge" (default 0) and "maxAge" seconds before now. */
static bool recent_holds(const inv_rule *r, json_t *obj, const inv_ctx *c)
{
    double t, age = json_number_value(json_object_get(r->def, "maxAge"));
    double least = json_number_value(json_object_get(r->def, "minAge"));
    json_t *v = inv_path_first(obj, str(r, "member"), NULL);
    return !as_time(v, &t) || (t <= c->now - least && t >= c->now - age);
}

static void recent_repair(const inv_rule *r, json_t *obj, inv_ctx *c)
{
    double t, age = json_number_value(json_object_get(r->def, "maxAge"));
    double least = json_number_value(json_object_get(r->def, "minAge"));
    inv_slot s;
    json_t *v = inv_path_first(obj, str(r, "member"), &s);
    if (as_time(v, &t))
        inv_slot_set(&s, like(v, c->now - between(c, least > 1 ? least : 1, age), true));
}

/* ---- leading_number ---- */

/* "member" is the number "of" (a text member) starts with: a VB365
 * server's majorVersion 8 of version "8.1.0.305". */
static bool leading_of(const inv_rule *r, json_t *obj, long long *n)
{
    const char *text = json_string_value(inv_path_first(obj, str(r, "of"), NULL));
    if (!text || *text < '0' || *text > '9')
        return false;
    *n = strtoll(text, NULL, 10);
    return true;
}

static bool leading_number_holds(const inv_rule *r, json_t *obj, const inv_ctx *c)
{
    (void)c;
    long long n;
    json_t *v = inv_path_first(obj, str(r, "member"), NULL);
    return !v || json_is_null(v) || !leading_of(r, obj, &n) ||
           (json_is_integer(v) && json_integer_value(v) == n);
}

static void leading_number_repair(const inv_rule *r, json_t *obj, inv_ctx *c)
{
    (void)c;
    long long n;
    inv_slot s;
    json_t *v = inv_path_first(obj, str(r, "member"), &s);
    if (v && !json_is_null(v) && leading_of(r, obj, &n))
        inv_slot_set(&s, json_integer(n));
}

/* ---- duration ---- */

static bool duration_values(const inv_rule *r, json_t *obj, double *start, double *end,
                            inv_slot *d)
{
    json_t *dv = inv_path_first(obj, str(r, "duration"), d);
    return json_is_number(dv) && as_time(inv_path_first(obj, str(r, "start"), NULL), start) &&
           as_time(inv_path_first(obj, str(r, "end"), NULL), end) && *end >= *start;
}

static bool duration_holds(const inv_rule *r, json_t *obj, const inv_ctx *c)
{
    (void)c;
    double start, end;
    inv_slot d;
    return !duration_values(r, obj, &start, &end, &d) ||
           fabs(json_number_value(d.value) - (end - start)) <= 1;
}

static void duration_repair(const inv_rule *r, json_t *obj, inv_ctx *c)
{
    (void)c;
    double start, end;
    inv_slot d;
    if (duration_values(r, obj, &start, &end, &d))
        inv_slot_set(&d, like(d.value, floor(end - start), false));
}

/* ---- some_item ---- */

static bool some_item_holds(const inv_rule *r, json_t *obj, const inv_ctx *c)
{
    (void)c;
    json_t *arr = inv_path_first(obj, str(r, "array"), NULL);
    if (!json_is_array(arr))
        return true;
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item) {
        if (in_list(json_object_get(r->def, "in"), json_object_get(item, str(r, "member"))))
            return true;
    }
    return false;
}

static void some_item_repair(const inv_rule *r, json_t *obj, inv_ctx *c)
{
    (void)c;
    json_t *arr = inv_path_first(obj, str(r, "array"), NULL);
    json_t *first = json_array_get(arr, 0);
    if (json_is_object(first)) {
        json_object_set(first, str(r, "member"), json_array_get(json_object_get(r->def, "in"), 0));
        return;
    }
    /* nothing to show as running: the state follows what there is */
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(r->def, "fallback"), key, v) {
        if (json_object_get(obj, key))
            json_object_set(obj, key, v);
    }
}

static bool never(const inv_rule *r, json_t *obj, const inv_ctx *c)
{
    (void)r, (void)obj, (void)c;
    return true;
}

static void nothing(const inv_rule *r, json_t *obj, inv_ctx *c)
{
    (void)r, (void)obj, (void)c;
}

static const inv_kind KINDS[] = {
    {"format", "properties", format_holds, format_repair, false},
    {"order", "properties", order_holds, order_repair, false},
    {"range", "properties", range_holds, range_repair, false},
    {"sum_le", "total", sum_le_holds, sum_le_repair, false},
    {"sum_eq", "total", sum_eq_holds, sum_eq_repair, false},
    {"message", "message", message_holds, message_repair, false},
    {"text", "member", text_holds, text_repair, false},
    {"empty", "properties", empty_holds, empty_repair, false},
    {"recent", "member", recent_holds, recent_repair, false},
    {"leading_number", "member", leading_number_holds, leading_number_repair, false},
    {"duration", "duration", duration_holds, duration_repair, false},
    {"some_item", "array", some_item_holds, some_item_repair, false},
    {"same_as_ref", "member", never, nothing, true},
};

const inv_kind *inv_kind_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof KINDS / sizeof *KINDS; i++)
        if (!strcmp(KINDS[i].name, name))
            return &KINDS[i];
    return NULL;
}
