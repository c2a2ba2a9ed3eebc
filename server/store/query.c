/* query.c — see query.h. */
#include "store/query.h"

#include <ctype.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/uuid.h"
#include "base/utf8.h"

#define MAX_DEPTH 32      /* nesting of grouping expressions */
#define MAX_ITEMS 1000    /* expressions or values in one list */
/* Comparisons in one filter (each value of a superset is one). Terms are
 * chained by AND/OR/+, which SQLite parses into a tree as deep as the
 * chain, and it refuses a tree deeper than 1000 (SQLITE_MAX_EXPR_DEPTH):
 * more terms would compile here and fail in the store. */
#define MAX_TERMS 900
/* Values bound in one filter: well below SQLite's 32766 variables. */
#define MAX_VALUES 10000

void query_sql_init(query_sql *q)
{
    buf_init(&q->sql);
    q->args = json_array();
    q->indexes = json_array();
}

void query_sql_free(query_sql *q)
{
    buf_free(&q->sql);
    json_decref(q->args);
    json_decref(q->indexes);
    q->args = NULL;
    q->indexes = NULL;
}

/* ---- properties --------------------------------------------------------- */

typedef enum kind {
    K_STRING, K_UUID, K_DATETIME, K_DATE, K_ENUM, K_NUMBER, K_BOOL, K_ARRAY, K_OBJECT
} kind;

static const char *const kind_names[] = {"string", "UUID", "date-time", "date", "enum",
                                         "number", "boolean", "array", "object"};

typedef struct prop {
    const char *name;      /* as the client wrote it */
    kind kind;
    kind item;             /* arrays: the kind of their elements */
    const json_t *values;  /* enums: the members (of the items for arrays) */
    char path[300];        /* JSON path for SQLite: $."a"."b" */
    bool literal;          /* path safe to write into SQL (names are [A-Za-z0-9_]) */
} prop;

/* Follows $ref and single-member allOf to the schema carrying type/enum. */
static const json_t *shape(const schema_ctx *ctx, const json_t *s)
{
    for (int hops = 0; s && hops < 16; hops++) {
        s = schema_resolve(ctx, s);
        const json_t *all = json_object_get(s, "allOf");
        if (!s || json_object_get(s, "type") || json_object_get(s, "enum") ||
            json_array_size(all) != 1)
            return s;
        s = json_array_get(all, 0);
    }
    return s;
}

static kind classify(const schema_ctx *ctx, const json_t *schema, const json_t **values)
{
    const json_t *s = shape(ctx, schema);
    const char *type = schema_type(ctx, schema);
    const char *format = json_string_value(json_object_get(s, "format"));
    *values = json_object_get(s, "enum");
    if (*values)
        return K_ENUM;
    if (!type || !strcmp(type, "string")) {
        if (format && !strcmp(format, "uuid"))
            return K_UUID;
        if (format && !strcmp(format, "date-time"))
            return K_DATETIME;
        if (format && !strcmp(format, "date"))
            return K_DATE;
        return K_STRING;
    }
    if (!strcmp(type, "integer") || !strcmp(type, "number"))
        return K_NUMBER;
    if (!strcmp(type, "boolean"))
        return K_BOOL;
    return !strcmp(type, "array") ? K_ARRAY : K_OBJECT;
}

/* Resolves "a.b.c" within schema into p; false with why if a part does not
 * exist (or steps through something that is not an object). */
static bool resolve(const schema_ctx *ctx, const json_t *schema, const char *name, prop *p,
                    char *why, size_t whylen)
{
    char part[128];
    const json_t *s = schema;
    size_t used = (size_t)snprintf(p->path, sizeof p->path, "$");
    p->name = name;
    for (const char *at = name;;) {
        const char *dot = strchr(at, '.');
        size_t len = dot ? (size_t)(dot - at) : strlen(at);
        if (len == 0 || len >= sizeof part) {
            snprintf(why, whylen, "The property '%s' is not a valid property path.", name);
            return false;
        }
        memcpy(part, at, len);
        part[len] = 0;
        const json_t *next = schema_property(ctx, s, part);
        if (!next) {
            snprintf(why, whylen, "The property '%s' does not exist.", name);
            return false;
        }
        used += (size_t)snprintf(p->path + used, sizeof p->path - used, ".\"%s\"", part);
        if (used >= sizeof p->path) {
            snprintf(why, whylen, "The property '%s' is too long.", name);
            return false;
        }
        s = next;
        if (!dot)
            break;
        if (classify(ctx, s, &p->values) != K_OBJECT) {
            snprintf(why, whylen, "The property '%s' does not exist: '%s' has no members.", name,
                     part);
            return false;
        }
        at = dot + 1;
    }
    p->literal = true;
    for (const char *c = name; *c; c++)
        p->literal &= (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                      (*c >= '0' && *c <= '9') || *c == '_' || *c == '.';
    p->kind = classify(ctx, s, &p->values);
    if (p->kind == K_ARRAY) {
        const json_t *items = json_object_get(shape(ctx, s), "items");
        p->item = items ? classify(ctx, items, &p->values) : K_STRING;
    }
    return true;
}

/* ---- values ------------------------------------------------------------- */

typedef enum collation { C_ORDINAL, C_IGNORECASE, C_LEXICAL } collation;

static const char *collate_sql(collation c)
{
    return c == C_IGNORECASE ? " COLLATE NOCASE" : c == C_LEXICAL ? " COLLATE " QUERY_LEXICAL_COLLATION : "";
}

static bool is_text(kind k) { return k == K_STRING || k == K_ENUM || k == K_UUID || k == K_DATE; }

/* Appends one placeholder for v, converted for a value of kind k; false
 * with why when v does not fit. */
static bool add_value(query_sql *q, const prop *p, kind k, const json_t *v, char *why, size_t whylen)
{
    char text[64];
    const char *s = json_string_value(v);
    json_t *arg = NULL;
    switch (k) {
    case K_NUMBER:
        if (json_is_number(v))
            arg = json_copy((json_t *)v);
        else if (s) {
            char *end;
            double d = strtod(s, &end);
            /* only a finite d within json_int_t's range may be cast to it
             * ("1e300", "nan" and "inf" are text strtod accepts) */
            bool integral = d >= -9223372036854775808.0 && d < 9223372036854775808.0 &&
                            d == (double)(json_int_t)d;
            if (*s && !*end && isfinite(d))
                arg = integral ? json_integer((json_int_t)d) : json_real(d);
        }
        break;
    case K_BOOL:
        if (json_is_boolean(v))
            arg = json_integer(json_is_true(v));
        else if (s && (!strcasecmp(s, "true") || !strcasecmp(s, "false")))
            arg = json_integer(!strcasecmp(s, "true"));
        break;
    case K_UUID:
        if (s && uuid_valid(s))
            arg = json_string(s);
        break;
    case K_DATETIME:
        if (s && schema_valid_date_time(s))
            arg = json_string(s);
        break;
    case K_DATE:
        if (s && schema_valid_date(s))
            arg = json_string(s);
        break;
    case K_ENUM: {
        size_t i;
        const json_t *m;
        json_array_foreach(p->values, i, m)
            if (s && json_is_string(m) && !strcasecmp(json_string_value(m), s))
                arg = json_string(s);
        if (!arg && s) {
            snprintf(why, whylen, "The value '%s' is not a member of the enum of '%s'.", s, p->name);
            return false;
        }
        break;
    }
    case K_STRING:
        if (s)
            arg = json_string(s);
        else if (json_is_number(v)) {
            snprintf(text, sizeof text, "%g", json_number_value(v));
            arg = json_string(text);
        }
        break;
    default:
        break;
    }
    if (!arg) {
        char *shown = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        snprintf(why, whylen, "The value %s is not a valid %s for '%s'.", shown ? shown : "?",
                 kind_names[k], p->name);
        free(shown);
        return false;
    }
    json_array_append_new(q->args, arg);
    buf_puts(&q->sql, k == K_DATETIME ? "julianday(?)" : k == K_UUID ? "lower(?)" : "?");
    return true;
}

/* The SQL of the property's value over `column` ("r.body" in queries,
 * "body" in index definitions). The path is written into the SQL when it
 * is made of contract names only, so that an expression index on it can
 * serve the query; otherwise it is bound. */
static void property_sql(buf *out, json_t *args, const prop *p, kind k, const char *column)
{
    const char *wrap = k == K_DATETIME ? "julianday(" : k == K_UUID ? "lower(" : "";
    if (p->literal)
        buf_printf(out, "%sjson_extract(%s, '%s')%s", wrap, column, p->path, *wrap ? ")" : "");
    else {
        json_array_append_new(args, json_string(p->path));
        buf_printf(out, "%sjson_extract(%s, ?)%s", wrap, column, *wrap ? ")" : "");
    }
}

static void add_property(query_sql *q, const prop *p, kind k)
{
    property_sql(&q->sql, q->args, p, k, "r.body");
}

/* Notes an index that would serve a term: columns "expr [COLLATE x] [DESC]". */
static void hint_index(query_sql *q, json_t *columns)
{
    if (json_array_size(columns) > 0)
        json_array_append(q->indexes, columns);
    json_decref(columns);
}

/* One index column for property p. */
static json_t *index_column(const prop *p, kind k, const char *collate, bool desc)
{
    if (!p->literal)
        return NULL;
    buf col;
    buf_init(&col);
    property_sql(&col, NULL, p, k, "body");
    buf_printf(&col, "%s%s", collate, desc ? " DESC" : "");
    json_t *text = col.failed ? NULL : json_string(col.data);
    buf_free(&col);
    return text;
}

/* The element of json_each, typed like the property's items. */
static const char *element_sql(kind k)
{
    return k == K_DATETIME ? "julianday(value)" : k == K_UUID ? "lower(value)" : "value";
}

/* ---- relational operators ------------------------------------------------ */

typedef enum op {
    OP_IN, OP_CONTAINS, OP_SUBSET, OP_SUPERSET, OP_EQUALS, OP_NOT_EQUALS,
    OP_LT, OP_LE, OP_GT, OP_GE, OP_COUNT
} op;

static const char *const op_names[OP_COUNT] = {
    "in", "contains", "subset", "superset", "equals", "notEquals",
    "lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual",
};
static const char *const op_sql[OP_COUNT] = {
    [OP_EQUALS] = " = ", [OP_LT] = " < ", [OP_LE] = " <= ", [OP_GT] = " > ", [OP_GE] = " >= ",
};

/* Whether operator o applies to a property of kind k (and its items). */
static bool fits(op o, const prop *p)
{
    switch (o) {
    case OP_SUBSET:
    case OP_SUPERSET:
        return p->kind == K_ARRAY && p->item != K_OBJECT && p->item != K_ARRAY;
    case OP_CONTAINS:
        return p->kind == K_STRING || p->kind == K_ENUM || p->kind == K_UUID ||
               (p->kind == K_ARRAY && p->item != K_OBJECT && p->item != K_ARRAY);
    case OP_LT:
    case OP_LE:
    case OP_GT:
    case OP_GE:
        return p->kind != K_BOOL && p->kind != K_ARRAY && p->kind != K_OBJECT;
    default:
        return p->kind != K_ARRAY && p->kind != K_OBJECT;
    }
}

/* Values of a list operand (in, subset, superset): "?, ?, ..." */
static bool add_list(query_sql *q, const prop *p, kind k, const json_t *values, char *why,
                     size_t whylen)
{
    if (!json_is_array(values) || json_array_size(values) > MAX_ITEMS) {
        snprintf(why, whylen, "The value of an '%s' operation on '%s' must be an array.",
                 "in/subset/superset", p->name);
        return false;
    }
    size_t i;
    const json_t *v;
    json_array_foreach(values, i, v) {
        if (i)
            buf_puts(&q->sql, ", ");
        if (!add_value(q, p, k, v, why, whylen))
            return false;
    }
    return true;
}

/* Appends the comparison of the property with one value. */
static bool compare(query_sql *q, const prop *p, const char *sql_op, const json_t *value,
                    collation c, char *why, size_t whylen)
{
    add_property(q, p, p->kind);
    buf_puts(&q->sql, sql_op);
    if (!add_value(q, p, p->kind, value, why, whylen))
        return false;
    if (is_text(p->kind))
        buf_puts(&q->sql, collate_sql(c));
    return true;
}

static bool relational(query_sql *q, const prop *p, op o, const json_t *value, collation c,
                       char *why, size_t whylen)
{
    kind ik = p->item;
    const char *coll = is_text(p->kind == K_ARRAY ? ik : p->kind) ? collate_sql(c) : "";
    switch (o) {
    case OP_EQUALS:
    case OP_NOT_EQUALS:
        if (json_is_null(value)) {
            add_property(q, p, p->kind);
            buf_puts(&q->sql, o == OP_EQUALS ? " IS NULL" : " IS NOT NULL");
            return true;
        }
        return compare(q, p, o == OP_EQUALS ? " = " : " IS NOT ", value, c, why, whylen);
    case OP_LT:
    case OP_LE:
    case OP_GT:
    case OP_GE:
        return compare(q, p, op_sql[o], value, c, why, whylen);
    case OP_IN:
        if (json_array_size(value) == 0 && json_is_array(value)) {
            buf_puts(&q->sql, "0");
            return true;
        }
        add_property(q, p, p->kind);
        buf_printf(&q->sql, "%s IN (", coll);
        if (!add_list(q, p, p->kind, value, why, whylen))
            return false;
        buf_puts(&q->sql, ")");
        return true;
    case OP_CONTAINS:
        if (p->kind == K_ARRAY) {
            json_array_append_new(q->args, json_string(p->path));
            buf_printf(&q->sql, "EXISTS (SELECT 1 FROM json_each(r.body, ?) WHERE %s = ",
                       element_sql(ik));
            if (!add_value(q, p, ik, value, why, whylen))
                return false;
            buf_printf(&q->sql, "%s)", coll);
            return true;
        }
        buf_puts(&q->sql, c == C_ORDINAL ? "instr(" : "instr(lower(");
        add_property(q, p, K_STRING);
        buf_puts(&q->sql, c == C_ORDINAL ? ", " : "), lower(");
        if (!add_value(q, p, K_STRING, value, why, whylen))
            return false;
        buf_puts(&q->sql, c == C_ORDINAL ? ") > 0" : ")) > 0");
        return true;
    case OP_SUBSET:
        json_array_append_new(q->args, json_string(p->path));
        buf_printf(&q->sql, "NOT EXISTS (SELECT 1 FROM json_each(r.body, ?) WHERE %s%s NOT IN (",
                   element_sql(ik), coll);
        if (!add_list(q, p, ik, value, why, whylen))
            return false;
        buf_puts(&q->sql, "))");
        return true;
    case OP_SUPERSET: {
        if (!json_is_array(value)) {
            snprintf(why, whylen, "The value of a 'superset' operation on '%s' must be an array.",
                     p->name);
            return false;
        }
        buf_puts(&q->sql, "(1");
        size_t i;
        const json_t *v;
        json_array_foreach(value, i, v) {
            json_array_append_new(q->args, json_string(p->path));
            buf_printf(&q->sql, " AND EXISTS (SELECT 1 FROM json_each(r.body, ?) WHERE %s = ",
                       element_sql(ik));
            if (!add_value(q, p, ik, v, why, whylen))
                return false;
            buf_printf(&q->sql, "%s)", coll);
        }
        buf_puts(&q->sql, ")");
        return true;
    }
    case OP_COUNT:
        break;
    }
    return false;
}

/* ---- expressions --------------------------------------------------------- */

static bool parse_collation(const json_t *v, collation *c, char *why, size_t whylen)
{
    const char *s = json_string_value(v);
    *c = C_ORDINAL;
    if (!v || json_is_null(v) || (s && !strcasecmp(s, "ordinal")))
        return true;
    if (s && !strcasecmp(s, "ignorecase")) {
        *c = C_IGNORECASE;
        return true;
    }
    if (s && !strcasecmp(s, "lexicographic")) {
        *c = C_LEXICAL;
        return true;
    }
    snprintf(why, whylen, "The collation '%s' is not valid: ordinal, ignorecase or lexicographic.",
             s ? s : "(not a string)");
    return false;
}

static bool expression(const schema_ctx *ctx, const json_t *schema, const json_t *e, query_sql *q,
                       int depth, bool exact, char *why, size_t whylen);

/* A parenthesised list of expressions joined by `glue` (" AND ", " OR ",
 * " + "). */
static bool expressions(const schema_ctx *ctx, const json_t *schema, const json_t *items,
                        const char *glue, query_sql *q, int depth, bool exact, char *why,
                        size_t whylen)
{
    if (!json_is_array(items) || json_array_size(items) == 0 ||
        json_array_size(items) > MAX_ITEMS) {
        snprintf(why, whylen, "A grouping expression needs a non-empty 'items' array.");
        return false;
    }
    buf_puts(&q->sql, "(");
    size_t i;
    const json_t *item;
    json_array_foreach(items, i, item) {
        if (i)
            buf_puts(&q->sql, glue);
        if (!expression(ctx, schema, item, q, depth + 1, exact, why, whylen))
            return false;
    }
    buf_puts(&q->sql, ")");
    return true;
}

/* exact: the expression must be 0 or 1, never NULL, as the operands of
 * not and exclusiveOr must; elsewhere NULL and 0 both exclude a record,
 * and a bare comparison lets SQLite use an expression index. */
static bool expression(const schema_ctx *ctx, const json_t *schema, const json_t *e, query_sql *q,
                       int depth, bool exact, char *why, size_t whylen)
{
    if (depth > MAX_DEPTH) {
        snprintf(why, whylen, "The filter is nested more than %d levels deep.", MAX_DEPTH);
        return false;
    }
    if (!json_is_object(e)) {
        snprintf(why, whylen, "A filter expression must be an object.");
        return false;
    }
    const char *operation = json_string_value(json_object_get(e, "operation"));
    if (!operation) {
        snprintf(why, whylen, "A filter expression needs an 'operation'.");
        return false;
    }
    /* "items": null marks no group: both public PHP clients send it on
     * every leaf */
    const json_t *items = json_object_get(e, "items");
    if (json_is_null(items))
        items = NULL;
    if (items || !strcasecmp(operation, "and") || !strcasecmp(operation, "or") ||
        !strcasecmp(operation, "not") || !strcasecmp(operation, "exclusiveOr")) {
        /* every operand is 0 or 1, never NULL, so not and xor are exact */
        if (!strcasecmp(operation, "and"))
            return expressions(ctx, schema, items, " AND ", q, depth, exact, why, whylen);
        if (!strcasecmp(operation, "or"))
            return expressions(ctx, schema, items, " OR ", q, depth, exact, why, whylen);
        /* parenthesised whole: NOT and = bind looser than the + of an
         * enclosing exclusiveOr */
        if (!strcasecmp(operation, "not")) {
            buf_puts(&q->sql, "(NOT ");
            if (!expressions(ctx, schema, items, " AND ", q, depth, true, why, whylen))
                return false;
            buf_puts(&q->sql, ")");
            return true;
        }
        if (!strcasecmp(operation, "exclusiveOr")) {
            buf_puts(&q->sql, "(");
            if (!expressions(ctx, schema, items, " + ", q, depth, true, why, whylen))
                return false;
            buf_puts(&q->sql, " = 1)");
            return true;
        }
        snprintf(why, whylen,
                 "The grouping operation '%s' is not valid: and, or, not or exclusiveOr.", operation);
        return false;
    }
    op o = OP_COUNT;
    for (int i = 0; i < OP_COUNT; i++)
        if (!strcasecmp(operation, op_names[i]))
            o = (op)i;
    if (o == OP_COUNT) {
        snprintf(why, whylen, "The operation '%s' is not valid.", operation);
        return false;
    }
    const char *name = json_string_value(json_object_get(e, "property"));
    if (!name) {
        snprintf(why, whylen, "The '%s' expression needs a 'property'.", op_names[o]);
        return false;
    }
    prop p;
    collation c;
    if (!resolve(ctx, schema, name, &p, why, whylen) ||
        !parse_collation(json_object_get(e, "collation"), &c, why, whylen))
        return false;
    if (!fits(o, &p)) {
        snprintf(why, whylen, "The operation '%s' cannot be applied to the %s property '%s'.",
                 op_names[o], kind_names[p.kind], name);
        return false;
    }
    const json_t *value = json_object_get(e, "value");
    if (!value) {
        snprintf(why, whylen, "The '%s' expression on '%s' needs a 'value'.", op_names[o], name);
        return false;
    }
    if (!exact && (o == OP_EQUALS || o == OP_IN || o == OP_LT || o == OP_LE || o == OP_GT ||
                   o == OP_GE)) {
        json_t *col = index_column(&p, p.kind, is_text(p.kind) ? collate_sql(c) : "", false);
        hint_index(q, col ? json_pack("[o]", col) : json_array());
    }
    buf_puts(&q->sql, exact ? "COALESCE((" : "(");
    if (!relational(q, &p, o, value, c, why, whylen))
        return false;
    buf_puts(&q->sql, exact ? "), 0)" : ")");
    return true;
}



/* Parses the JSON text of a query parameter. */
static json_t *parse(const char *text, const char *what, char *why, size_t whylen)
{
    json_error_t jerr;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
    if (!v)
        snprintf(why, whylen, "The %s is not valid JSON: %s (column %d).", what,
                 utf8_json_reason(&jerr), jerr.column);
    return v;
}

/* The comparisons of filter value e, counted down to the depth the
 * compiler accepts (deeper ones it refuses anyway). */
static size_t count_terms(const json_t *e, int depth)
{
    if (depth > MAX_DEPTH + 1)
        return 0;
    const json_t *items = json_is_object(e) ? json_object_get(e, "items") : e;
    if (json_is_array(items)) {
        size_t n = 0, i;
        const json_t *item;
        json_array_foreach(items, i, item) n += count_terms(item, depth + 1);
        return n;
    }
    const char *operation = json_string_value(json_object_get(e, "operation"));
    const json_t *value = json_object_get(e, "value");
    return 1 + (operation && !strcasecmp(operation, "superset") ? json_array_size(value) : 0);
}

bool query_filter(const schema_ctx *ctx, const json_t *schema, const char *text, query_sql *out,
                  char *why, size_t whylen)
{
    json_t *f = parse(text, "filter", why, whylen);
    if (!f)
        return false;
    bool ok;
    if (count_terms(f, 0) > MAX_TERMS) {
        snprintf(why, whylen, "The filter is too large: at most %d comparisons are allowed.",
                 MAX_TERMS);
        ok = false;
    } else if (json_is_array(f)) {
        if (json_array_size(f) == 0) {
            buf_puts(&out->sql, "1");
            ok = true;
        } else {
            ok = expressions(ctx, schema, f, " AND ", out, 0, false, why, whylen);
        }
    } else if (json_is_object(f)) {
        ok = expression(ctx, schema, f, out, 0, false, why, whylen);
    } else {
        snprintf(why, whylen, "The filter must be an array of filter expressions.");
        ok = false;
    }
    if (ok && json_array_size(out->args) > MAX_VALUES) {
        snprintf(why, whylen, "The filter is too large: at most %d values are allowed.",
                 MAX_VALUES);
        ok = false;
    }
    if (!ok && whylen)
        utf8_trim_partial(why);
    json_decref(f);
    return ok && !out->sql.failed;
}

bool query_sort(const schema_ctx *ctx, const json_t *schema, const char *text, query_sql *out,
                char *why, size_t whylen)
{
    json_t *s = parse(text, "sort", why, whylen);
    if (!s)
        return false;
    if (json_is_object(s)) { /* one key alone */
        json_t *list = json_array();
        json_array_append_new(list, s);
        s = list;
    }
    bool ok = json_is_array(s) && json_array_size(s) <= MAX_ITEMS;
    json_t *columns = json_array(); /* the index that serves this order */
    if (!ok)
        snprintf(why, whylen, "The sort must be an array of sort expressions.");
    size_t i;
    const json_t *key;
    json_array_foreach(ok ? s : NULL, i, key) {
        const char *name = json_string_value(json_object_get(key, "property"));
        const char *dir = json_string_value(json_object_get(key, "direction"));
        prop p;
        collation c;
        if (!name) {
            snprintf(why, whylen, "A sort expression needs a 'property'.");
            ok = false;
        } else if (!resolve(ctx, schema, name, &p, why, whylen) ||
                   !parse_collation(json_object_get(key, "collation"), &c, why, whylen)) {
            ok = false;
        } else if (p.kind == K_ARRAY || p.kind == K_OBJECT) {
            snprintf(why, whylen, "The %s property '%s' cannot be sorted on.", kind_names[p.kind],
                     name);
            ok = false;
        } else if (dir && strcasecmp(dir, "ascending") && strcasecmp(dir, "descending")) {
            snprintf(why, whylen, "The direction '%s' is not valid: ascending or descending.", dir);
            ok = false;
        }
        if (!ok)
            break;
        if (i)
            buf_puts(&out->sql, ", ");
        bool desc = dir && !strcasecmp(dir, "descending");
        add_property(out, &p, p.kind);
        buf_printf(&out->sql, "%s %s", is_text(p.kind) ? collate_sql(c) : "", desc ? "DESC" : "ASC");
        json_t *col = index_column(&p, p.kind, is_text(p.kind) ? collate_sql(c) : "", desc);
        if (col)
            json_array_append_new(columns, col);
    }
    if (ok)
        hint_index(out, json_incref(columns));
    else if (whylen)
        utf8_trim_partial(why);
    json_decref(columns);
    json_decref(s);
    return ok && !out->sql.failed;
}

/* ---- the lexicographic collation ---------------------------------------- */

int query_lexical_compare(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i = 0, j = 0;
    while (i < alen && j < blen) {
        unsigned char ca = (unsigned char)a[i], cb = (unsigned char)b[j];
        if (isdigit(ca) && isdigit(cb)) {
            while (i < alen && a[i] == '0')
                i++;
            while (j < blen && b[j] == '0')
                j++;
            size_t si = i, sj = j;
            while (i < alen && isdigit((unsigned char)a[i]))
                i++;
            while (j < blen && isdigit((unsigned char)b[j]))
                j++;
            size_t la = i - si, lb = j - sj;
            if (la != lb)
                return la < lb ? -1 : 1;
            int cmp = memcmp(a + si, b + sj, la);
            if (cmp)
                return cmp < 0 ? -1 : 1;
            continue;
        }
        int da = tolower(ca), db = tolower(cb);
        if (da != db)
            return da < db ? -1 : 1;
        i++;
        j++;
    }
    return (i < alen) - (j < blen);
}

static int lexical(void *arg, int alen, const void *a, int blen, const void *b)
{
    (void)arg;
    return query_lexical_compare(a, (size_t)alen, b, (size_t)blen);
}

bool query_register_collation(sqlite3 *db)
{
    return sqlite3_create_collation(db, QUERY_LEXICAL_COLLATION, SQLITE_UTF8, NULL, lexical) ==
           SQLITE_OK;
}
