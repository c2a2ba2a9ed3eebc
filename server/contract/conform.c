/* conform.c — see conform.h. */
#include "contract/conform.h"

#include <string.h>

#include "contract/generate.h"
#include "base/rng.h"

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

static bool in_list(const json_t *list, const char *name)
{
    size_t i;
    const json_t *v;
    json_array_foreach(list, i, v)
        if (json_is_string(v) && !strcmp(json_string_value(v), name))
            return true;
    return false;
}

/* An enum member the client does not know becomes "Unknown" when its
 * version has that member. */
static json_t *conform_enum(const json_t *members, json_t *value)
{
    if (json_is_string(value) && in_list(members, "Unknown"))
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
        bool req = in_list(required, key);
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
