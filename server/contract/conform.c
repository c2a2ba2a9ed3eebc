/* conform.c — see conform.h. */
#include "contract/conform.h"
#include "base/json_list.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "contract/generate.h"
#include "base/rng.h"
#include "base/uuid.h"

#define CONFORM_MAX_DEPTH 32

static json_t *conform(const schema_ctx *ctx, const json_t *schema, json_t *value, uint64_t seed,
                       bool null_ok, int depth);

/* The schema object that carries properties/items/enum: through $ref and a
 * single allOf member. */
static const json_t *shape_of(const schema_ctx *ctx, const json_t *schema)
{
    for (int hops = 0; schema && hops < 8; hops++) {
        schema = schema_resolve(ctx, schema);
        const json_t *all = json_object_get(schema, "allOf");
        if (!schema || json_object_get(schema, "properties") || json_object_get(schema, "enum") ||
            json_array_size(all) != 1)
            return schema;
        schema = json_array_get(all, 0);
    }
    return schema;
}

/* An enum member the client does not know becomes "Unknown" when its
 * version has that member. */
static json_t *conform_enum(const json_t *members, json_t *value)
{
    if (json_is_string(value) && json_list_has(members, "Unknown"))
        return json_string("Unknown");
    return NULL;
}

static json_t *conform_object(const schema_ctx *ctx, const json_t *shape, json_t *value,
                              uint64_t seed, int depth)
{
    const json_t *props = json_object_get(shape, "properties");
    const json_t *required = json_object_get(shape, "required");
    json_t *copy = json_copy(value); /* shallow: members are replaced, not edited */
    const char *key;
    const json_t *ps;
    json_object_foreach((json_t *)props, key, ps) {
        json_t *member = json_object_get(copy, key);
        bool req = json_list_has(required, key);
        if (!member) {
            if (req)
                json_object_set_new(copy, key, generate_value(ctx, ps, key, rng_mix(seed, key)));
            continue;
        }
        json_t *fixed = conform(ctx, ps, member, rng_mix(seed, key),
                                !req && ctx->implicit_nullable, depth + 1);
        if (fixed != member)
            json_object_set_new(copy, key, fixed);
        else
            json_decref(fixed);
    }
    return copy;
}

static json_t *conform_array(const schema_ctx *ctx, const json_t *shape, json_t *value,
                             uint64_t seed, int depth)
{
    const json_t *items = json_object_get(shape, "items");
    json_t *copy = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(value, i, item)
        json_array_append_new(copy, conform(ctx, items, item, rng_mix_u64(seed, i), false, depth + 1));
    return copy;
}

static json_t *conform(const schema_ctx *ctx, const json_t *schema, json_t *value, uint64_t seed,
                       bool null_ok, int depth)
{
    if (!schema || (json_is_null(value) && null_ok) || schema_validate(ctx, schema, value, NULL))
        return json_incref(value);
    const json_t *shape = shape_of(ctx, schema);
    const char *type = schema_type(ctx, schema);
    json_t *fixed = NULL;
    if (depth < CONFORM_MAX_DEPTH && shape) {
        const json_t *members = json_object_get(shape, "enum");
        if (members)
            fixed = conform_enum(members, value);
        else if (json_is_object(value) && type && !strcmp(type, "object"))
            fixed = conform_object(ctx, shape, value, seed, depth);
        else if (json_is_array(value) && type && !strcmp(type, "array"))
            fixed = conform_array(ctx, shape, value, seed, depth);
    }
    if (fixed && schema_validate(ctx, schema, fixed, NULL))
        return fixed;
    json_decref(fixed);
    return generate_value(ctx, schema, NULL, seed); /* nothing worth keeping */
}

json_t *conform_value(const schema_ctx *ctx, const json_t *schema, json_t *value, uint64_t seed)
{
    return conform(ctx, schema, value, seed, false, 0);
}

/* ---- answers to older clients (conform_to_version) --------------------- */

static json_t *shape(const differences *d, const diff_node *n, json_t *value, const char *name,
                     uint64_t seed, int depth);

/* A value the version can read where the answer has none (or one beyond
 * repair): generated for its schema, then shaped like any other. */
static json_t *fill(const differences *d, const diff_node *n, const json_t *schema,
                    const char *name, uint64_t seed, int depth)
{
    if (name && !strcasecmp(name, "password") && n && n->type == DT_STRING)
        return json_string(""); /* VSPC never sends a password back */
    json_t *v = generate_value(differences_older(d), schema ? schema : n ? n->schema : NULL, name,
                               seed);
    if (!v)
        return json_null();
    return depth < CONFORM_MAX_DEPTH ? shape(d, n, v, name, seed, depth + 1) : v;
}

/* Text of a number or boolean, or the JSON of an object or array. */
static json_t *as_text(const json_t *value)
{
    char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    json_t *s = text ? json_string(text) : NULL;
    free(text);
    return s;
}

static json_t *parse_integer(const char *text)
{
    char *end;
    errno = 0;
    long long n = strtoll(text, &end, 10);
    return *text && !*end && !errno ? json_integer((json_int_t)n) : NULL;
}

static json_t *parse_number(const char *text)
{
    char *end;
    errno = 0;
    double n = strtod(text, &end);
    return *text && !*end && !errno ? json_real(n) : NULL;
}

/* The enum member the version answers for a value: the same member in its
 * case, else "Unknown" where it has one. NULL: none fits. */
static json_t *enum_member(const diff_node *n, const json_t *value)
{
    const char *text = json_string_value(value);
    size_t i;
    const json_t *m;
    json_array_foreach(n->members, i, m)
        if (text && json_is_string(m) && !strcmp(json_string_value(m), text))
            return json_incref((json_t *)m);
    json_array_foreach(n->members, i, m)
        if (text && json_is_string(m) && !strcasecmp(json_string_value(m), text))
            return json_incref((json_t *)m);
    return n->has_unknown ? json_string("Unknown") : NULL;
}

static bool format_holds(const char *format, const char *text)
{
    if (!format)
        return true;
    if (!strcmp(format, "uuid"))
        return uuid_valid(text);
    if (!strcmp(format, "date-time"))
        return schema_valid_date_time(text);
    if (!strcmp(format, "date"))
        return schema_valid_date(text);
    return true;
}

/* A value of the node's type for value (taken): itself, converted, or NULL
 * when nothing of it can be kept. */
static json_t *retype(const diff_node *n, json_t *value)
{
    json_t *out = NULL;
    const char *text = json_string_value(value);
    switch (n->type) {
    case DT_ANY:
        return value;
    case DT_OBJECT:
        if (json_is_object(value))
            return value;
        out = text ? json_loads(text, 0, NULL) : NULL;
        if (!json_is_object(out)) {
            json_decref(out);
            out = NULL;
        }
        break;
    case DT_ARRAY:
        if (json_is_array(value))
            return value;
        break;
    case DT_STRING:
        if (text && format_holds(n->format, text))
            return value;
        if (!text && !json_is_null(value))
            out = as_text(value);
        if (out && !format_holds(n->format, json_string_value(out))) {
            json_decref(out);
            out = NULL;
        }
        break;
    case DT_INTEGER:
        if (json_is_integer(value))
            return value;
        if (json_is_real(value) && json_real_value(value) == (double)(json_int_t)json_real_value(value))
            out = json_integer((json_int_t)json_real_value(value));
        else if (text)
            out = parse_integer(text);
        else if (json_is_boolean(value))
            out = json_integer(json_is_true(value));
        break;
    case DT_NUMBER:
        if (json_is_number(value))
            return value;
        out = text ? parse_number(text) : NULL;
        break;
    case DT_BOOLEAN:
        if (json_is_boolean(value))
            return value;
        if (text && (!strcasecmp(text, "true") || !strcasecmp(text, "false")))
            out = json_boolean(!strcasecmp(text, "true"));
        else if (json_is_integer(value))
            out = json_boolean(json_integer_value(value) != 0);
        break;
    case DT_ENUM:
        out = enum_member(n, value);
        break;
    }
    json_decref(value);
    return out;
}

static void shape_object(const differences *d, const diff_node *n, json_t *obj, uint64_t seed,
                         int depth)
{
    /* renamed members first: then they are shaped like the others */
    for (size_t i = 0; i < n->nprops; i++) {
        const diff_prop *p = &n->props[i];
        json_t *was = p->from ? json_object_get(obj, p->from) : NULL;
        if (was && !json_object_get(obj, p->name))
            json_object_set(obj, p->name, was);
    }
    const char *key;
    json_t *member;
    void *tmp;
    json_object_foreach_safe(obj, tmp, key, member) {
        const diff_prop *p = differences_prop(n, key);
        const diff_node *child = p ? p->node : n->extra;
        bool nullable = p ? p->nullable : n->extra_nullable;
        if (!p && (n->closed || !n->extra)) {
            if (n->closed)
                json_object_del(obj, key); /* a property the version lacks */
            continue;
        }
        if (json_is_null(member)) {
            if (nullable)
                continue;
            if (p && p->required)
                json_object_set_new(obj, key,
                                    fill(d, child, p->schema, key, rng_mix(seed, key), depth));
            else
                json_object_del(obj, key);
            continue;
        }
        json_t *shaped = shape(d, child, json_incref(member), key, rng_mix(seed, key), depth + 1);
        if (shaped != member)
            json_object_set_new(obj, key, shaped);
        else
            json_decref(shaped);
    }
    for (size_t i = 0; i < n->nprops; i++) {
        const diff_prop *p = &n->props[i];
        if (p->required && !json_object_get(obj, p->name))
            json_object_set_new(obj, p->name,
                                fill(d, p->node, p->schema, p->name, rng_mix(seed, p->name), depth));
    }
}

static void shape_array(const differences *d, const diff_node *n, json_t *array, const char *name,
                        uint64_t seed, int depth)
{
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item) {
        uint64_t s = rng_mix_u64(seed, i);
        json_t *shaped = json_is_null(item) && !n->items_nullable
                             ? fill(d, n->items, NULL, name, s, depth)
                             : shape(d, n->items, json_incref(item), name, s, depth + 1);
        if (shaped != item)
            json_array_set_new(array, i, shaped);
        else
            json_decref(shaped);
    }
}

/* Takes value; returns what the version reads for it. */
static json_t *shape(const differences *d, const diff_node *n, json_t *value, const char *name,
                     uint64_t seed, int depth)
{
    if (!n || depth > CONFORM_MAX_DEPTH || json_is_null(value))
        return value;
    if (n->checked) {
        value = retype(n, value);
        if (!value)
            return fill(d, n, NULL, name, seed, depth);
    }
    if (n->type == DT_OBJECT && json_is_object(value))
        shape_object(d, n, value, seed, depth);
    else if (n->type == DT_ARRAY && json_is_array(value) && n->items)
        shape_array(d, n, value, name, seed, depth);
    return value;
}

json_t *conform_to_version(const differences *d, const json_t *schema, json_t *value,
                           uint64_t seed)
{
    const diff_node *n = d && schema ? differences_node(d, schema) : NULL;
    if (!n || !value)
        return value;
    if (json_is_null(value)) {
        json_decref(value);
        return fill(d, n, schema, NULL, seed, 0);
    }
    return shape(d, n, value, NULL, seed, 0);
}
