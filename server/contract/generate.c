/* generate.c — deterministic, schema-valid sample values (see generate.h).
 *
 * A schema is first flattened into a "view": its $ref chain and allOf members
 * merged into one set of keywords (type, format, enums, property tables,
 * required lists...). The value is then built from the view. Each child value
 * gets its own seed derived from its parent's seed and its property name or
 * array index, so values do not shift when a sibling changes. Strings and
 * numbers come from generate_words.c, chosen by property name, component
 * schema and entity; the root's seed is the persona every string of the
 * value agrees on. Sizes are then fitted to their capacities
 * (generate_sizes.c).
 */
#include "contract/generate.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "contract/generate_sizes.h"
#include "contract/generate_words.h"
#include "base/rng.h"
#include "base/uuid.h"

#define VIEW_MAX 8               /* allOf members (and $ref targets) merged */
#define VIEW_MAX_NESTING 8       /* allOf inside allOf followed this deep */
#define HARD_DEPTH (4 * GENERATE_MAX_DEPTH) /* ends cycles of required objects */
#define TEXT_MAX 256             /* longest generated string */

/* A schema with its $ref and allOf members merged. The first occurrence of a
 * single keyword wins (the wrapper's default before its member's); enums,
 * property tables and required lists are collected from all of them. */
typedef struct view {
    const char *ref_name; /* first component schema named on the way */
    const char *type;
    const char *format;
    const json_t *items;
    const json_t *extra; /* additionalProperties */
    const json_t *enums[VIEW_MAX];
    size_t n_enums;
    const json_t *props[VIEW_MAX];
    size_t n_props;
    const json_t *required[VIEW_MAX];
    size_t n_required;
} view;

/* Where a value goes: what generation of one value needs to know. */
typedef struct site {
    const char *name;  /* property name (the array's name for its items) */
    const char *owner; /* nearest component schema, steers names */
    uint64_t seed;
    int depth;         /* 0 for the value asked for */
    bool null_ok;      /* optional property of an implicit_nullable document */
    const words_ctx *w; /* the record's entity and persona */
} site;

static json_t *gen(const schema_ctx *ctx, const json_t *schema, site at);

/* ---- views ------------------------------------------------------------- */

/* Appends item to a view list unless it is NULL or the list is full. */
static void push(const json_t **list, size_t *n, const json_t *item)
{
    if (item && *n < VIEW_MAX)
        list[(*n)++] = item;
}

/* Merges schema (and its allOf members) into v; false if a $ref dangles. */
static bool view_add(const schema_ctx *ctx, const json_t *schema, view *v, int nesting)
{
    const char *ref = schema_ref_name(schema);
    const json_t *s = schema_resolve(ctx, schema);
    if (!s)
        return false;
    if (ref && !v->ref_name)
        v->ref_name = ref;
    if (!json_is_object(s))
        return true;
    if (!v->type)
        v->type = json_string_value(json_object_get(s, "type"));
    if (!v->format)
        v->format = json_string_value(json_object_get(s, "format"));
    if (!v->items)
        v->items = json_object_get(s, "items");
    if (!v->extra)
        v->extra = json_object_get(s, "additionalProperties");
    push(v->enums, &v->n_enums, json_object_get(s, "enum"));
    push(v->props, &v->n_props, json_object_get(s, "properties"));
    push(v->required, &v->n_required, json_object_get(s, "required"));
    size_t i;
    const json_t *member, *all_of = json_object_get(s, "allOf");
    if (nesting < VIEW_MAX_NESTING) {
        json_array_foreach(all_of, i, member)
            if (!view_add(ctx, member, v, nesting + 1))
                return false;
    }
    return true;
}

/* True if any required list of the view names `key`. */
static bool view_requires(const view *v, const char *key)
{
    for (size_t r = 0; r < v->n_required; r++) {
        size_t i;
        const json_t *item;
        json_array_foreach(v->required[r], i, item)
            if (json_string_value(item) && strcmp(json_string_value(item), key) == 0)
                return true;
    }
    return false;
}

/* The index of the first property table describing `key`; n_props if none. */
static size_t view_table_of(const view *v, const char *key)
{
    for (size_t t = 0; t < v->n_props; t++)
        if (json_object_get(v->props[t], key))
            return t;
    return v->n_props;
}

/* ---- enums ------------------------------------------------------------- */

/* Members to avoid: "Unknown" (any case) and removed values. */
static bool avoided_member(const json_t *member)
{
    const char *text = json_string_value(member);
    return text && (strcasecmp(text, "unknown") == 0 || strncmp(text, "REMOVED_", 8) == 0);
}

/* True if member is allowed by every enum of the view (not just the first). */
static bool in_all_enums(const view *v, const json_t *member)
{
    for (size_t e = 1; e < v->n_enums; e++) {
        bool found = false;
        size_t i;
        const json_t *other;
        json_array_foreach(v->enums[e], i, other)
            found = found || json_equal(other, member);
        if (!found)
            return false;
    }
    return true;
}

/* Picks a member of the view's enums: uniformly among the preferred members,
 * or among all allowed ones when none is preferred. */
static json_t *gen_enum(const view *v, uint64_t seed)
{
    const json_t *members = v->enums[0];
    size_t preferred = 0, allowed = 0, i;
    const json_t *member;
    json_array_foreach(members, i, member) {
        if (in_all_enums(v, member)) {
            allowed++;
            preferred += !avoided_member(member);
        }
    }
    if (allowed == 0)
        return json_null(); /* contradictory enums: nothing can be valid */
    bool only_preferred = preferred > 0;
    rng r;
    rng_init(&r, seed);
    int64_t pick = rng_range(&r, 0, (int64_t)(only_preferred ? preferred : allowed) - 1);
    json_array_foreach(members, i, member) {
        if (!in_all_enums(v, member) || (only_preferred && avoided_member(member)))
            continue;
        if (pick-- == 0)
            return json_deep_copy(member);
    }
    return json_null(); /* not reached */
}

/* ---- scalars ----------------------------------------------------------- */

/* A string by format (uuid, date-time, date, binary) or by property name. */
static json_t *gen_string(const view *v, const site *at, const char *owner)
{
    char text[TEXT_MAX];
    const char *format = v->format ? v->format : "";
    if (strcmp(format, "uuid") == 0)
        uuid_from_seed(at->seed, text);
    else if (strcmp(format, "date-time") == 0)
        words_date_time(at->seed, text, sizeof text);
    else if (strcmp(format, "date") == 0)
        words_date(at->seed, text, sizeof text);
    else if (strcmp(format, "binary") == 0 || strcmp(format, "byte") == 0)
        words_base64(at->seed, text, sizeof text);
    else
        words_string_as(at->w, at->name, owner, at->seed, text, sizeof text);
    return json_string(text);
}

static json_t *gen_boolean(uint64_t seed)
{
    rng r;
    rng_init(&r, seed);
    return json_boolean(rng_range(&r, 0, 1) == 1);
}

/* ---- containers -------------------------------------------------------- */

/* 1-3 items; none beyond the depth limit or without an items schema. */
static json_t *gen_array(const schema_ctx *ctx, const view *v, const site *at,
                         const char *owner)
{
    json_t *array = json_array();
    if (!array || !v->items || at->depth > GENERATE_MAX_DEPTH)
        return array;
    rng r;
    rng_init(&r, at->seed);
    int64_t count = rng_range(&r, 1, 3);
    for (int64_t i = 0; i < count; i++) {
        site child = {at->name, owner, rng_mix_u64(at->seed, (uint64_t)i), at->depth + 1, false,
                      at->w};
        json_t *item = gen(ctx, v->items, child);
        if (!item || json_array_append_new(array, item) != 0) {
            json_decref(array);
            return NULL;
        }
    }
    return array;
}

/* Generates property `key` of an object into obj; false on failure. */
static bool add_property(const schema_ctx *ctx, json_t *obj, const char *key,
                         const json_t *schema, const site *at, const char *owner,
                         bool required)
{
    site child = {key, owner, rng_mix(at->seed, key), at->depth + 1,
                  ctx->implicit_nullable && !required, at->w};
    json_t *value = schema ? gen(ctx, schema, child) : json_string("value");
    return value && json_object_set_new(obj, key, value) == 0;
}

/* A map (additionalProperties schema, no properties): one or two entries. */
static bool add_map_entries(const schema_ctx *ctx, json_t *obj, const view *v,
                            const site *at, const char *owner)
{
    rng r;
    rng_init(&r, at->seed);
    int64_t count = rng_range(&r, 1, 2);
    for (int64_t i = 0; i < count; i++) {
        const char *key = words_map_key(at->seed, (uint64_t)i);
        if (!add_property(ctx, obj, key, v->extra, at, owner, false))
            return false;
    }
    return true;
}

/* Every property (only the required ones beyond the depth limit), then any
 * required name that no property table describes. */
static json_t *gen_object(const schema_ctx *ctx, const view *v, const site *at,
                          const char *owner)
{
    json_t *obj = json_object();
    if (!obj)
        return NULL;
    bool beyond = at->depth > GENERATE_MAX_DEPTH;
    bool ok = true;
    for (size_t t = 0; ok && t < v->n_props; t++) {
        const char *key;
        json_t *prop;
        json_t *table = (json_t *)v->props[t]; /* iterators want non-const */
        json_object_foreach(table, key, prop) {
            bool required = view_requires(v, key);
            if (view_table_of(v, key) != t || (beyond && !required))
                continue; /* described earlier, or optional and too deep */
            if (!(ok = add_property(ctx, obj, key, prop, at, owner, required)))
                break;
        }
    }
    for (size_t r = 0; ok && r < v->n_required; r++) {
        size_t i;
        const json_t *name;
        json_array_foreach(v->required[r], i, name) {
            const char *key = json_string_value(name);
            if (key && !json_object_get(obj, key) && view_table_of(v, key) == v->n_props)
                if (!(ok = add_property(ctx, obj, key, v->extra, at, owner, true)))
                    break;
        }
    }
    if (ok && v->n_props == 0 && json_is_object(v->extra) && !beyond)
        ok = add_map_entries(ctx, obj, v, at, owner);
    if (ok)
        sizes_fit(obj, at->seed); /* used <= capacity, whatever each drew */
    if (!ok) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

/* ---- dispatch ---------------------------------------------------------- */

static json_t *gen(const schema_ctx *ctx, const json_t *schema, site at)
{
    view v;
    memset(&v, 0, sizeof v);
    if (!view_add(ctx, schema, &v, 0))
        return NULL;
    bool nullable = at.null_ok || schema_is_nullable(ctx, schema);
    bool embedded = at.name && strcmp(at.name, "_embedded") == 0;
    /* VSPC never sends a password back (ownerCredentials.password: null) */
    bool secret = at.name && strcasecmp(at.name, "password") == 0;
    if (nullable && (embedded || secret || at.depth > GENERATE_MAX_DEPTH))
        return json_null();
    if (at.depth > HARD_DEPTH)
        return json_null(); /* a cycle of required objects has no finite value */
    const char *owner = v.ref_name ? v.ref_name : at.owner;
    const char *type = v.type;
    if (!type && v.n_props > 0)
        type = "object";
    if (v.n_enums > 0)
        return gen_enum(&v, at.seed);
    if (!type || strcmp(type, "string") == 0)
        return gen_string(&v, &at, owner);
    if (strcmp(type, "integer") == 0)
        return json_integer(words_integer(at.name, at.seed));
    if (strcmp(type, "number") == 0)
        return json_real(words_number(at.name, at.seed));
    if (strcmp(type, "boolean") == 0)
        return gen_boolean(at.seed);
    if (strcmp(type, "array") == 0)
        return gen_array(ctx, &v, &at, owner);
    if (strcmp(type, "object") == 0)
        return gen_object(ctx, &v, &at, owner);
    return gen_string(&v, &at, owner); /* an unknown type constrains nothing */
}

/* The name under which schema is a component schema (by identity), or NULL:
 * a component passed directly rather than by $ref still steers names. */
#define NAME_CACHE_SLOTS 256
static _Thread_local struct {
    const json_t *schemas, *schema;
    const char *name; /* NULL: not a component */
} name_cache[NAME_CACHE_SLOTS];

static const char *component_name(const schema_ctx *ctx, const json_t *schema)
{
    /* a world build asks this for every record and, through conform, for
     * every property it fills: the scan of a thousand components was a
     * third of the build. Answers are remembered per document and schema;
     * a remembered name is checked against the document, so that a
     * contract freed and another loaded at the same address cannot answer
     * a stale one. */
    size_t slot = ((uintptr_t)schema >> 4) % NAME_CACHE_SLOTS;
    if (name_cache[slot].schema == schema && name_cache[slot].schemas == ctx->schemas) {
        const char *known = name_cache[slot].name;
        if (!known || json_object_get(ctx->schemas, known) == schema)
            return known;
    }
    const char *found = NULL, *name;
    json_t *component;
    json_t *schemas = (json_t *)ctx->schemas; /* iterators want non-const */
    json_object_foreach(schemas, name, component)
        if (component == schema) {
            found = name;
            break;
        }
    name_cache[slot].schemas = ctx->schemas;
    name_cache[slot].schema = schema;
    name_cache[slot].name = found;
    return found;
}

json_t *generate_value_as(const schema_ctx *ctx, const json_t *schema, const char *prop_name,
                          const char *entity_name, uint64_t seed)
{
    if (!ctx || !schema)
        return NULL;
    words_ctx w = {entity_name, seed};
    site root = {prop_name, component_name(ctx, schema), seed, 0, false, &w};
    return gen(ctx, schema, root);
}

json_t *generate_value(const schema_ctx *ctx, const json_t *schema,
                       const char *prop_name, uint64_t seed)
{
    return generate_value_as(ctx, schema, prop_name, NULL, seed);
}
