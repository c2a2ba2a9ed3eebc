/* schema.c — $ref resolution and validation for the JSON Schema subset of
 * OpenAPI 3.0 that the contract uses (see schema.h).
 *
 * The validator walks the value and the schema together and stops at the
 * first violation. The path to the value being checked is a chain of frames
 * on the C stack that is turned into text only when a violation is reported,
 * so validating a valid value allocates nothing. Recursion is bounded by
 * SCHEMA_MAX_DEPTH, which also ends allOf loops in a broken document.
 */
#include "contract/schema.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/uuid.h"

#define SCHEMA_MAX_DEPTH 64 /* schemas entered at once while validating */
#define MAX_REF_HOPS 64     /* a longer chain of $ref is taken as a loop */
#define SCHEMAS_PREFIX "#/components/schemas/"

#if defined(__GNUC__)
#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PRINTF_LIKE(fmt, args)
#endif

/* ---- references ------------------------------------------------------ */

void schema_ctx_init(schema_ctx *ctx, const json_t *doc, bool implicit_nullable)
{
    const json_t *components = json_object_get(doc, "components");
    ctx->doc = doc;
    ctx->schemas = json_object_get(components, "schemas");
    ctx->implicit_nullable = implicit_nullable;
}

const json_t *schema_by_name(const schema_ctx *ctx, const char *name)
{
    if (!ctx->schemas || !name)
        return NULL;
    return json_object_get(ctx->schemas, name);
}

/* One step of a JSON Pointer: an object member or an array index. */
static const json_t *pointer_step(const json_t *node, const char *token)
{
    if (json_is_object(node))
        return json_object_get(node, token);
    if (!json_is_array(node) || token[0] < '0' || token[0] > '9')
        return NULL;
    char *end;
    unsigned long long index = strtoull(token, &end, 10);
    return *end == '\0' ? json_array_get(node, (size_t)index) : NULL;
}

/* The node that the fragment `ref` ("#/a/b~1c") points to, from the document
 * root; "#/components/schemas/Name" takes a direct lookup. */
static const json_t *resolve_pointer(const schema_ctx *ctx, const char *ref)
{
    size_t prefix = strlen(SCHEMAS_PREFIX);
    if (strncmp(ref, SCHEMAS_PREFIX, prefix) == 0 && !strpbrk(ref + prefix, "/~"))
        return schema_by_name(ctx, ref + prefix);
    if (ref[0] != '#')
        return NULL; /* only references inside this document */
    const json_t *node = ctx->doc;
    const char *p = ref + 1;
    while (node && *p == '/') {
        char token[256];
        size_t n = 0;
        for (p++; *p && *p != '/'; p++) {
            char c = *p;
            if (c == '~') { /* ~0 is '~', ~1 is '/' */
                p++;
                if (*p != '0' && *p != '1')
                    return NULL;
                c = *p == '0' ? '~' : '/';
            }
            if (n + 1 >= sizeof token)
                return NULL;
            token[n++] = c;
        }
        token[n] = '\0';
        node = pointer_step(node, token);
    }
    return *p == '\0' ? node : NULL;
}

const json_t *schema_resolve(const schema_ctx *ctx, const json_t *schema)
{
    for (int hops = 0; schema; hops++) {
        const json_t *ref = json_object_get(schema, "$ref");
        if (!ref)
            return schema;
        if (!json_is_string(ref) || hops == MAX_REF_HOPS)
            return NULL;
        schema = resolve_pointer(ctx, json_string_value(ref));
    }
    return NULL;
}

const char *schema_ref_name(const json_t *schema)
{
    const char *ref = json_string_value(json_object_get(schema, "$ref"));
    size_t prefix = strlen(SCHEMAS_PREFIX);
    if (!ref || strncmp(ref, SCHEMAS_PREFIX, prefix) != 0 || ref[prefix] == '\0')
        return NULL;
    return ref + prefix;
}

/* ---- effective nullability and type ------------------------------------ */

/* schema_is_nullable, looking at most `depth` levels into allOf. */
static bool nullable_within(const schema_ctx *ctx, const json_t *schema, int depth)
{
    for (int hops = 0; json_is_object(schema) && hops <= MAX_REF_HOPS; hops++) {
        if (json_is_true(json_object_get(schema, "nullable")))
            return true;
        size_t i;
        const json_t *member, *all_of = json_object_get(schema, "allOf");
        if (depth > 0) {
            json_array_foreach(all_of, i, member)
                if (nullable_within(ctx, member, depth - 1))
                    return true;
        }
        const char *ref = json_string_value(json_object_get(schema, "$ref"));
        if (!ref)
            return false;
        schema = resolve_pointer(ctx, ref);
    }
    return false;
}

bool schema_is_nullable(const schema_ctx *ctx, const json_t *schema)
{
    return nullable_within(ctx, schema, SCHEMA_MAX_DEPTH);
}

/* schema_type, looking at most `depth` levels into allOf. */
static const char *type_within(const schema_ctx *ctx, const json_t *schema, int depth)
{
    schema = schema_resolve(ctx, schema);
    if (!json_is_object(schema))
        return NULL;
    const char *type = json_string_value(json_object_get(schema, "type"));
    if (type)
        return type;
    size_t i;
    const json_t *member, *all_of = json_object_get(schema, "allOf");
    if (depth > 0) {
        json_array_foreach(all_of, i, member) {
            type = type_within(ctx, member, depth - 1);
            if (type)
                return type;
        }
    }
    return json_object_get(schema, "properties") ? "object" : NULL;
}

const char *schema_type(const schema_ctx *ctx, const json_t *schema)
{
    return type_within(ctx, schema, SCHEMA_MAX_DEPTH);
}

static const json_t *property_within(const schema_ctx *ctx, const json_t *schema,
                                     const char *name, int depth)
{
    const json_t *s = schema_resolve(ctx, schema);
    if (!json_is_object(s) || depth < 0)
        return NULL;
    const json_t *p = json_object_get(json_object_get(s, "properties"), name);
    size_t i;
    const json_t *member;
    json_array_foreach(json_object_get(s, "allOf"), i, member) {
        if (p)
            break;
        p = property_within(ctx, member, name, depth - 1);
    }
    return p;
}

const json_t *schema_property(const schema_ctx *ctx, const json_t *schema, const char *name)
{
    return name ? property_within(ctx, schema, name, SCHEMA_MAX_DEPTH) : NULL;
}

/* ---- formats ----------------------------------------------------------- */

/* Reads exactly n decimal digits at s into *out. */
static bool read_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static int days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

/* True if s starts with a real calendar day "YYYY-MM-DD" (year 0001-9999). */
static bool date_prefix_valid(const char *s)
{
    int y, m, d;
    if (!read_digits(s, 4, &y) || s[4] != '-' || !read_digits(s + 5, 2, &m) ||
        s[7] != '-' || !read_digits(s + 8, 2, &d))
        return false;
    return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

bool schema_valid_date(const char *s)
{
    return s && date_prefix_valid(s) && s[10] == '\0';
}

/* Reads "hh:mm" at s (hours 00-23, minutes 00-59). */
static bool read_hh_mm(const char *s, int *h, int *m)
{
    return read_digits(s, 2, h) && s[2] == ':' && read_digits(s + 3, 2, m) &&
           *h <= 23 && *m <= 59;
}

/* "YYYY-MM-DDThh:mm:ss[.fraction][Z|+hh:mm|-hh:mm]". RFC 3339 requires the
 * offset; like ISO 8601 and .NET, a missing one is accepted (local time). */
bool schema_valid_date_time(const char *s)
{
    int h, m, sec;
    if (!s || !date_prefix_valid(s) || (s[10] != 'T' && s[10] != 't'))
        return false;
    if (!read_hh_mm(s + 11, &h, &m) || s[16] != ':' || !read_digits(s + 17, 2, &sec) ||
        sec > 59)
        return false;
    const char *p = s + 19;
    if (*p == '.') {
        const char *digits = ++p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == digits)
            return false;
    }
    if (*p == 'Z' || *p == 'z')
        p++;
    else if (*p == '+' || *p == '-') {
        if (!read_hh_mm(p + 1, &h, &m))
            return false;
        p += 6;
    }
    return *p == '\0';
}

/* ---- error reporting --------------------------------------------------- */

/* One step of the path from the root value to the value being checked. */
typedef struct path_frame {
    const struct path_frame *up; /* NULL at the root */
    const char *key;             /* property name; NULL for an array item */
    size_t index;                /* array index when key is NULL */
} path_frame;

/* A fixed buffer that text is appended to; overflow is marked with "...". */
typedef struct textbuf {
    char *buf;
    size_t cap; /* at least 4 */
    size_t len;
    bool truncated;
} textbuf;

static void tb_put(textbuf *tb, const char *s)
{
    size_t n = strlen(s), room = tb->cap - 1 - tb->len;
    if (n > room) {
        n = room;
        tb->truncated = true;
    }
    memcpy(tb->buf + tb->len, s, n);
    tb->len += n;
    tb->buf[tb->len] = '\0';
}

/* Terminates the text, ending it with "..." if something did not fit. */
static void tb_finish(textbuf *tb)
{
    if (tb->truncated) {
        if (tb->len > tb->cap - 4)
            tb->len = tb->cap - 4;
        memcpy(tb->buf + tb->len, "...", 4);
        tb->len += 3;
    }
    tb->buf[tb->len] = '\0';
}

/* Appends the path of frame f: "a.b[2].c". */
static void put_path(textbuf *tb, const path_frame *f)
{
    if (!f)
        return;
    put_path(tb, f->up);
    if (f->key) {
        if (f->up)
            tb_put(tb, ".");
        tb_put(tb, f->key);
    } else {
        char index[32];
        snprintf(index, sizeof index, "[%zu]", f->index);
        tb_put(tb, index);
    }
}

/* What validation carries through the recursion. */
typedef struct vstate {
    const schema_ctx *ctx;
    schema_error *err; /* may be NULL */
    const json_t *again; /* the value allOf members check again, or NULL */
} vstate;

/* Writes the path of `at` into err->path. */
static void record_path(vstate *st, const path_frame *at)
{
    textbuf tb = {st->err->path, sizeof st->err->path, 0, false};
    tb.buf[0] = '\0';
    put_path(&tb, at);
    tb_finish(&tb);
}

/* Records a violation at `at`; always returns false. */
PRINTF_LIKE(3, 4)
static bool fail(vstate *st, const path_frame *at, const char *fmt, ...)
{
    if (!st->err)
        return false;
    record_path(st, at);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->err->message, sizeof st->err->message, fmt, ap);
    va_end(ap);
    return false;
}

/* The text of an enum member for a message. */
static void member_text(const json_t *member, char *out, size_t size)
{
    if (json_is_string(member))
        snprintf(out, size, "%s", json_string_value(member));
    else if (json_is_integer(member))
        snprintf(out, size, "%" JSON_INTEGER_FORMAT, json_integer_value(member));
    else if (json_is_real(member))
        snprintf(out, size, "%g", json_real_value(member));
    else if (json_is_boolean(member))
        snprintf(out, size, "%s", json_is_true(member) ? "true" : "false");
    else
        snprintf(out, size, "%s", json_is_null(member) ? "null" : "(structured value)");
}

/* Records "Value must be one of: A, B, C." at `at`; returns false. */
static bool fail_enum(vstate *st, const path_frame *at, const json_t *members)
{
    if (!st->err)
        return false;
    record_path(st, at);
    textbuf tb = {st->err->message, sizeof st->err->message, 0, false};
    tb_put(&tb, "Value must be one of: ");
    size_t i;
    const json_t *member;
    json_array_foreach(members, i, member) {
        char text[256];
        member_text(member, text, sizeof text);
        if (i > 0)
            tb_put(&tb, ", ");
        tb_put(&tb, text);
    }
    tb_put(&tb, ".");
    tb_finish(&tb);
    return false;
}

/* ---- validation -------------------------------------------------------- */

static bool validate_at(vstate *st, const json_t *schema, const json_t *value,
                        const path_frame *at, int depth, bool null_ok);

/* True for a real number with an integral value that fits a 64-bit integer. */
static bool is_integral(double d)
{
    return isfinite(d) && floor(d) == d && d >= -9223372036854775808.0 &&
           d < 9223372036854775808.0;
}

/* True if value is of the named JSON Schema type; unknown names accept all. */
static bool type_matches(const char *type, const json_t *value)
{
    if (strcmp(type, "object") == 0)
        return json_is_object(value);
    if (strcmp(type, "array") == 0)
        return json_is_array(value);
    if (strcmp(type, "string") == 0)
        return json_is_string(value);
    if (strcmp(type, "boolean") == 0)
        return json_is_boolean(value);
    if (strcmp(type, "number") == 0)
        return json_is_number(value);
    if (strcmp(type, "integer") == 0)
        return json_is_integer(value) ||
               (json_is_real(value) && is_integral(json_real_value(value)));
    return true;
}

/* Checks the schema's own "type" (or "object" implied by "properties"). */
static bool check_type(vstate *st, const json_t *s, const json_t *value, const path_frame *at)
{
    const char *type = json_string_value(json_object_get(s, "type"));
    if (!type && json_object_get(s, "properties"))
        type = "object";
    if (!type || type_matches(type, value))
        return true;
    return fail(st, at, "Value must be of type %s.", type);
}

/* Checks "enum": the value must equal one of the members exactly. */
static bool check_enum(vstate *st, const json_t *s, const json_t *value, const path_frame *at)
{
    const json_t *members = json_object_get(s, "enum");
    if (!json_is_array(members))
        return true;
    size_t i;
    const json_t *member;
    json_array_foreach(members, i, member)
        if (json_equal(member, value) ||
            (json_is_number(member) && json_is_number(value) &&
             json_number_value(member) == json_number_value(value)))
            return true; /* numbers compare by value: 2 equals 2.0 */
    return fail_enum(st, at, members);
}

/* Checks "format" of a string: uuid, date-time and date; others pass. */
static bool check_format(vstate *st, const json_t *s, const json_t *value, const path_frame *at)
{
    const char *format = json_string_value(json_object_get(s, "format"));
    const char *text = json_string_value(value);
    if (!format || !text)
        return true;
    if (strcmp(format, "uuid") == 0 && !uuid_valid(text))
        return fail(st, at, "Value is not a valid UUID.");
    if (strcmp(format, "date-time") == 0 && !schema_valid_date_time(text))
        return fail(st, at, "Value is not a valid date-time (expected RFC 3339, "
                            "e.g. 2026-11-22T10:00:00Z).");
    if (strcmp(format, "date") == 0 && !schema_valid_date(text))
        return fail(st, at, "Value is not a valid date (expected YYYY-MM-DD).");
    return true;
}

/* ---- string lengths (schema.h) ---------------------------------------- */

/* The characters (UTF-8 code points) of a string of `bytes` bytes, which
 * jansson has checked is UTF-8: the bytes that do not continue one. */
static size_t count_chars(const char *text, size_t bytes)
{
    size_t n = 0;
    for (size_t i = 0; i < bytes; i++)
        n += ((unsigned char)text[i] & 0xC0) != 0x80;
    return n;
}

/* The property a value is checked as: its own name, or for an array item
 * the name of the array; NULL for a value that is no property. */
static const char *property_of(const path_frame *at)
{
    for (; at; at = at->up)
        if (at->key)
            return at->key;
    return NULL;
}

/* Whether key contains word, ignoring case (word in lower case). */
static bool holds(const char *key, const char *word)
{
    size_t n = strlen(word);
    for (; *key; key++) {
        size_t i = 0;
        while (i < n && key[i] && (key[i] | 0x20) == word[i])
            i++;
        if (i == n)
            return true;
    }
    return false;
}

/* The default limit of a string property (schema.h). */
static size_t default_max_length(const char *key, const char *format)
{
    size_t len = strlen(key);
    if (!strcmp(key, "name") || (len > 4 && !strcmp(key + len - 4, "Name")) ||
        !strcmp(key, "username") || !strcmp(key, "email") || !strcmp(key, "mail"))
        return SCHEMA_NAME_MAX_LENGTH;
    static const char *const content[] = {
        "content", "certificate", "key",      "token",  "secret",  "script",
        "xml",     "json",        "configuration", "query", "body", "template",
        "license", "hash",        "list",     "value",
    };
    for (size_t i = 0; i < sizeof content / sizeof content[0]; i++)
        if (holds(key, content[i]))
            return SCHEMA_CONTENT_MAX_LENGTH;
    if (format && (!strcmp(format, "byte") || !strcmp(format, "binary")))
        return SCHEMA_CONTENT_MAX_LENGTH;
    return SCHEMA_TEXT_MAX_LENGTH;
}

/* The contract's maxLength of s or of an allOf member; -1 for none. */
static long long max_length_within(const schema_ctx *ctx, const json_t *s, int depth)
{
    s = schema_resolve(ctx, s);
    const json_t *max = json_object_get(s, "maxLength");
    if (json_is_integer(max) && json_integer_value(max) >= 0)
        return (long long)json_integer_value(max);
    size_t i;
    const json_t *member;
    json_array_foreach(depth > 0 ? json_object_get(s, "allOf") : NULL, i, member) {
        long long found = max_length_within(ctx, member, depth - 1);
        if (found >= 0)
            return found;
    }
    return -1;
}

/* Checks the length of a string value: the contract's maxLength, or the
 * default of its property; the default once per value, not again for each
 * allOf member (a member's maxLength still applies). */
static bool check_length(vstate *st, const json_t *s, const json_t *value, const path_frame *at)
{
    if (!json_is_string(value))
        return true;
    long long explicit_max = max_length_within(st->ctx, s, SCHEMA_MAX_DEPTH);
    const char *key = property_of(at);
    if (explicit_max < 0 && (st->again == value || !key || json_object_get(s, "enum")))
        return true;
    size_t limit = explicit_max >= 0 ? (size_t)explicit_max
                                     : default_max_length(key, json_string_value(json_object_get(s, "format")));
    size_t bytes = json_string_length(value);
    if (bytes <= limit)
        return true; /* never more characters than bytes: nothing to count */
    size_t chars = count_chars(json_string_value(value), bytes);
    if (chars <= limit)
        return true;
    return fail(st, at, "Value must be at most %zu characters long (it has %zu).", limit, chars);
}

/* True if `name` is listed in the "required" array. */
static bool is_required(const json_t *required, const char *name)
{
    size_t i;
    const json_t *item;
    json_array_foreach(required, i, item) {
        const char *text = json_string_value(item);
        if (text && strcmp(text, name) == 0)
            return true;
    }
    return false;
}

/* Checks an object's members (properties, additionalProperties) in the
 * value's order, then the required properties in the schema's order. */
static bool check_object(vstate *st, const json_t *s, const json_t *value,
                         const path_frame *at, int depth)
{
    const json_t *props = json_object_get(s, "properties");
    const json_t *extra = json_object_get(s, "additionalProperties");
    const json_t *required = json_object_get(s, "required");
    /* jansson's iterators take a non-const object; nothing is modified. */
    json_t *object = (json_t *)value;
    const char *key;
    json_t *member;
    json_object_foreach(object, key, member) {
        path_frame here = {at, key, 0};
        bool null_ok = st->ctx->implicit_nullable && !is_required(required, key);
        const json_t *prop = json_object_get(props, key);
        if (prop) {
            if (!validate_at(st, prop, member, &here, depth + 1, null_ok))
                return false;
        } else if (json_is_false(extra)) {
            return fail(st, &here, "The property is not allowed.");
        } else if (json_is_object(extra)) {
            if (!validate_at(st, extra, member, &here, depth + 1, null_ok))
                return false;
        }
    }
    size_t i;
    const json_t *name;
    json_array_foreach(required, i, name) {
        const char *text = json_string_value(name);
        if (text && !json_object_get(value, text)) {
            path_frame here = {at, text, 0};
            return fail(st, &here, "The property is required.");
        }
    }
    return true;
}

/* Checks every array item against "items". */
static bool check_items(vstate *st, const json_t *s, const json_t *value,
                        const path_frame *at, int depth)
{
    const json_t *items = json_object_get(s, "items");
    if (!items)
        return true;
    size_t i;
    const json_t *item;
    json_array_foreach(value, i, item) {
        path_frame here = {at, NULL, i};
        if (!validate_at(st, items, item, &here, depth + 1, false))
            return false;
    }
    return true;
}

/* Checks the value against every member of "allOf". */
static bool check_all_of(vstate *st, const json_t *s, const json_t *value,
                         const path_frame *at, int depth, bool null_ok)
{
    size_t i;
    const json_t *member, *all_of = json_object_get(s, "allOf");
    bool ok = true;
    const json_t *outer = st->again;
    st->again = value;
    json_array_foreach(all_of, i, member)
        if (!(ok = validate_at(st, member, value, at, depth + 1, null_ok)))
            break;
    st->again = outer;
    return ok;
}

/* Validates value (found at `at`) against schema. null_ok: the value is an
 * optional property of an implicit_nullable document. */
static bool validate_at(vstate *st, const json_t *schema, const json_t *value,
                        const path_frame *at, int depth, bool null_ok)
{
    if (depth > SCHEMA_MAX_DEPTH)
        return fail(st, at, "Value is nested too deeply (more than %d levels).",
                    SCHEMA_MAX_DEPTH);
    const json_t *s = schema_resolve(st->ctx, schema);
    if (!s) {
        const char *ref = json_string_value(json_object_get(schema, "$ref"));
        return fail(st, at, "The schema reference %s cannot be resolved.",
                    ref ? ref : "(not a string)");
    }
    if (!json_is_object(s))
        return true; /* not a schema object: no constraints */
    if (json_is_null(value)) {
        if (null_ok || schema_is_nullable(st->ctx, schema))
            return true;
        if (schema_type(st->ctx, s))
            return fail(st, at, "Value must not be null.");
    }
    if (!check_type(st, s, value, at) || !check_enum(st, s, value, at) ||
        !check_format(st, s, value, at) || !check_length(st, s, value, at))
        return false;
    if (json_is_object(value) && !check_object(st, s, value, at, depth))
        return false;
    if (json_is_array(value) && !check_items(st, s, value, at, depth))
        return false;
    return check_all_of(st, s, value, at, depth, null_ok);
}

bool schema_validate(const schema_ctx *ctx, const json_t *schema,
                     const json_t *value, schema_error *err)
{
    vstate st = {ctx, err, NULL};
    if (err) {
        err->path[0] = '\0';
        err->message[0] = '\0';
    }
    if (!schema)
        return fail(&st, NULL, "No schema to validate against.");
    if (!value)
        return fail(&st, NULL, "Value is missing.");
    return validate_at(&st, schema, value, NULL, 0, false);
}
