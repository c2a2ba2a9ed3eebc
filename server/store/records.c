/* records.c — see records.h. */
#include "store/records.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "contract/generate.h"

#define OVERLAY_MAX_DEPTH 16

static void overlay_at(const schema_ctx *ctx, const json_t *schema, json_t *record,
                       const json_t *input, int depth)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)input, key, value) {
        const json_t *ps = schema_property(ctx, schema, key);
        json_t *mine = json_object_get(record, key);
        if (!ps)
            continue;
        if (json_is_object(mine) && json_is_object(value) && depth < OVERLAY_MAX_DEPTH)
            overlay_at(ctx, ps, mine, value, depth + 1);
        else if (schema_validate(ctx, ps, value, NULL))
            json_object_set(record, key, value);
    }
}

void records_overlay(const schema_ctx *ctx, const json_t *schema, json_t *record,
                     const json_t *input)
{
    if (json_is_object(record) && json_is_object(input))
        overlay_at(ctx, schema, record, input, 0);
}

/* The value at a JSON Pointer of doc ("/credentials/userName"), or NULL. */
static const json_t *pointer_get(const json_t *doc, const char *pointer)
{
    char token[128];
    while (doc && *pointer == '/') {
        const char *next = strchr(pointer + 1, '/');
        size_t len = next ? (size_t)(next - pointer - 1) : strlen(pointer + 1);
        if (len >= sizeof token)
            return NULL;
        memcpy(token, pointer + 1, len);
        token[len] = 0;
        doc = json_object_get(doc, token);
        pointer += len + 1;
    }
    return doc;
}

/* The root's input object within a perspective's input: "organizationInput"
 * for root Organization. */
static const json_t *root_input(const entity *e, const json_t *input)
{
    if (!e->root)
        return NULL;
    char key[128];
    snprintf(key, sizeof key, "%sInput", e->root->name);
    key[0] = (char)tolower((unsigned char)key[0]);
    return json_object_get(input, key);
}

/* The mapping's "inputs" of e: property -> pointer into the input. */
static void apply_inputs(const entity_model *m, const entity *e, json_t *record, const json_t *input)
{
    const json_t *pointers = json_object_get(json_object_get(m->mapping, "inputs"), e->name);
    const char *prop;
    json_t *ptr;
    json_object_foreach((json_t *)pointers, prop, ptr) {
        const json_t *v = json_is_string(ptr) ? pointer_get(input, json_string_value(ptr)) : NULL;
        const json_t *ps = schema_property(&m->contract->schemas, e->schema, prop);
        if (v && ps && schema_validate(&m->contract->schemas, ps, v, NULL))
            json_object_set(record, prop, (json_t *)v);
    }
}

/* VSPC never sends a password back: every "password" member that may be
 * null is null in a stored record. */
static void scrub_secrets(const schema_ctx *ctx, const json_t *schema, json_t *v, int depth)
{
    const char *key;
    json_t *member;
    if (!json_is_object(v) || depth > OVERLAY_MAX_DEPTH)
        return;
    json_object_foreach(v, key, member) {
        const json_t *ps = schema_property(ctx, schema, key);
        if (!strcmp(key, "password") && json_is_string(member) && ps &&
            schema_is_nullable(ctx, ps))
            json_object_set_new(v, key, json_null());
        else if (json_is_object(member))
            scrub_secrets(ctx, ps, member, depth + 1);
    }
}

/* Defaults of the input schema's members that the input leaves out, onto
 * the record members of the same name (recursing into objects). */
static void apply_defaults(const schema_ctx *ctx, const json_t *input_schema, const json_t *schema,
                           json_t *record, const json_t *input, int depth)
{
    const json_t *shape = schema_resolve(ctx, input_schema);
    const char *key;
    const json_t *ps;
    if (!json_is_object(record) || depth > OVERLAY_MAX_DEPTH)
        return;
    json_object_foreach((json_t *)json_object_get(shape, "properties"), key, ps) {
        const json_t *given = json_object_get(input, key);
        const json_t *target = schema_property(ctx, schema, key);
        json_t *mine = json_object_get(record, key);
        if (!target)
            continue;
        if (given && json_is_object(given) && json_is_object(mine)) {
            apply_defaults(ctx, ps, target, mine, given, depth + 1);
            continue;
        }
        const json_t *dflt = json_object_get(ps, "default");
        if (!given && dflt && schema_validate(ctx, target, dflt, NULL))
            json_object_set(record, key, (json_t *)dflt);
    }
}

json_t *records_build(const entity_model *m, const entity *e, const json_t *input,
                      const json_t *input_schema, uint64_t seed)
{
    const schema_ctx *ctx = &m->contract->schemas;
    /* what the input leaves out reads as the world's records do */
    json_t *record = generate_value_as(ctx, e->schema, NULL, e->name, seed);
    if (!json_is_object(record)) {
        json_decref(record);
        return NULL;
    }
    records_overlay(ctx, e->schema, record, input);
    records_overlay(ctx, e->schema, record, root_input(e, input));
    if (input_schema)
        apply_defaults(ctx, input_schema, e->schema, record, input, 0);
    /* and the entity's own: a new user is Enabled, its MFA NotConfigured */
    apply_defaults(ctx, e->schema, e->schema, record, input, 0);
    apply_inputs(m, e, record, input);
    scrub_secrets(ctx, e->schema, record, 0);
    return record;
}

void records_sync_root(const entity_model *m, const entity *perspective, const json_t *record,
                       json_t *root_record)
{
    const schema_ctx *ctx = &m->contract->schemas;
    const entity *root = perspective->root;
    if (!root || !json_is_object(root_record))
        return;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)record, key, value) {
        const json_t *ps = schema_property(ctx, root->schema, key);
        if (ps && strcmp(key, "_embedded") && json_object_get(root_record, key) &&
            schema_validate(ctx, ps, value, NULL))
            json_object_set(root_record, key, value);
    }
    json_t *type = json_string(perspective->name);
    const json_t *ts = schema_property(ctx, root->schema, "type");
    if (ts && schema_validate(ctx, ts, type, NULL))
        json_object_set(root_record, "type", type);
    json_decref(type);
}
