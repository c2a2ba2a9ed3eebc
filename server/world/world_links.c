/* world_links.c — see world_links.h. */
#include "world/world_links.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json_pointer.h"
#include "contract/entity_links.h"

json_t *world_links_same_as(const entity_model *m, const entity *e, const json_t *uids)
{
    const json_t *row = entity_links_of(m, "sameAs", e);
    if (!row)
        return NULL;
    /* the product, built one member at a time: each row so far times each
     * UID of the next member's type (the first member outermost) */
    json_t *rows = json_array();
    json_array_append_new(rows, json_pack("{s{}s{}}", "body", "scope"));
    const char *member;
    const json_t *type;
    json_object_foreach((json_t *)row, member, type) {
        const json_t *of = json_object_get(uids, json_string_value(type));
        json_t *next = json_array();
        size_t i, k;
        json_t *r;
        const json_t *uid;
        json_array_foreach(rows, i, r) {
            json_array_foreach(of, k, uid) {
                json_t *copy = json_deep_copy(r);
                json_object_set(json_object_get(copy, "body"), member, (json_t *)uid);
                json_array_append_new(next, copy);
            }
        }
        json_decref(rows);
        rows = next;
    }
    return rows;
}

const entity *world_links_shared(const entity_model *m, const entity *e)
{
    const json_t *row = entity_links_of(m, "sameAs", e);
    if (json_object_size(row) != 1 || !e->id_prop)
        return NULL;
    const json_t *type = json_object_get(row, e->id_prop);
    return type ? entities_find(m, json_string_value(type)) : NULL;
}

long world_links_derived_count(const entity_model *m, const entity *e,
                               long (*records_of)(void *ctx, const entity *t), void *ctx)
{
    const json_t *rules = entity_links_of(m, "derived", e);
    if (!rules)
        return -1;
    long n = 0;
    size_t i;
    const json_t *rule;
    json_array_foreach(rules, i, rule) {
        const entity *from = entities_find(m, json_string_value(json_object_get(rule, "from")));
        n += from ? records_of(ctx, from) : 0;
    }
    return n;
}

json_t *world_links_derived(const entity_model *m, store *st, const entity *e)
{
    const json_t *rules = entity_links_of(m, "derived", e);
    if (!rules)
        return NULL;
    const schema_ctx *ctx = &m->contract->schemas;
    json_t *rows = json_array();
    size_t i;
    const json_t *rule;
    json_array_foreach(rules, i, rule) {
        const char *from = json_string_value(json_object_get(rule, "from"));
        buf page;
        buf_init(&page);
        long total = 0;
        json_t *records = NULL;
        if (from && store_list(st, from, NULL, 0, -1, &total, &page) == STORE_OK)
            records = json_loads(page.data ? page.data : "[]", 0, NULL);
        buf_free(&page);
        size_t k;
        const json_t *source;
        json_array_foreach(records, k, source) {
            json_t *body = json_deep_copy(json_object_get(rule, "set"));
            json_t *scope = json_object();
            if (!body)
                body = json_object();
            const char *member;
            const json_t *name;
            json_object_foreach(json_object_get(rule, "copy"), member, name) {
                json_t *v = json_object_get(source, json_string_value(name));
                if (!v || json_is_null(v))
                    continue;
                /* a member the schema lacks is the record's path key */
                json_object_set(schema_property(ctx, e->schema, member) ? body : scope, member, v);
            }
            json_t *row = json_pack("{soso}", "body", body, "scope", scope);
            /* one per product and agent: two servers of one product on one
             * machine make one installed product */
            bool seen = false;
            size_t j;
            const json_t *other;
            json_array_foreach(rows, j, other) seen = seen || json_equal(other, row);
            if (!seen)
                json_array_append(rows, row);
            json_decref(row);
        }
        json_decref(records);
    }
    return rows;
}

void world_links_apply(const json_t *row, json_t *body, json_t *scope)
{
    if (!row)
        return;
    if (json_is_object(body))
        json_object_update(body, json_object_get(row, "body"));
    if (scope)
        json_object_update(scope, json_object_get(row, "scope"));
}

/* Sets the member at pointer (plain names) in v, when its parent object
 * exists. */
static void set_at(json_t *v, const char *pointer, json_t *value)
{
    const char *last = strrchr(pointer, '/');
    char parent[256];
    snprintf(parent, sizeof parent, "%.*s", (int)(last - pointer), pointer);
    json_t *holder = parent[0] ? json_pointer_get(v, parent) : v;
    if (json_is_object(holder))
        json_object_set(holder, last + 1, value);
    json_decref(value);
}

void world_links_typed(const entity_model *m, const entity *e, json_t *body,
                       const json_t *fixture, long i, long of, world_pick pick, void *ctx)
{
    const char *pointer;
    const json_t *rule;
    json_object_foreach((json_t *)entity_links_of(m, "typedReferences", e), pointer, rule) {
        const json_t *types = json_object_get(rule, "types");
        const char *by = json_string_value(json_object_get(rule, "by"));
        if (json_pointer_get(fixture, pointer))
            continue; /* a fixture's reference is kept as written */
        /* a type the record names already (a fixture's alarm on a job) is
         * kept; otherwise records take the types in turn */
        const json_t *named = json_pointer_get(body, by);
        const char *type = json_string_value(named);
        long n = (long)json_object_size(types), k = 0;
        const char *value;
        const json_t *target;
        if (!type || !json_object_get(types, type)) {
            type = NULL;
            json_object_foreach((json_t *)types, value, target)
                if (n > 0 && k++ == i % n)
                    type = value;
        } else {
            n = 1; /* the record's own type: picked among all its records */
        }
        const entity *t = type ? entities_find(m, json_string_value(json_object_get(types, type)))
                               : NULL;
        char uid[128];
        if (!t || !pick(ctx, t, i / n, (of + n - 1) / n, uid, sizeof uid))
            continue; /* a type of no record: the generated one stays */
        set_at(body, by, json_string(type));
        set_at(body, pointer, json_string(uid));
    }
}

/* The record of t whose UID (or id property) is id, or NULL. */
static json_t *find_record(const entity *t, store *st, const char *id)
{
    json_t *body = NULL;
    if (store_get(st, t->name, id, &body, NULL) == STORE_OK)
        return body;
    char *uid = NULL;
    store_filter f = {1, {t->id_prop}, {id}};
    if (t->id_prop && store_find(st, t->name, &f, &uid, &body, NULL) == STORE_OK) {
        free(uid);
        return body;
    }
    return NULL;
}

/* Writes the names of rule's targets into body; whether it changed. */
static bool name_from_target(const entity_model *m, store *st, const char *pointer,
                             const json_t *rule, json_t *body)
{
    const char *uid = json_string_value(json_pointer_get(body, pointer));
    const char *type = json_string_value(
        json_pointer_get(body, json_string_value(json_object_get(rule, "by"))));
    const json_t *target = json_object_get(json_object_get(rule, "types"), type ? type : "");
    const entity *t = target ? entities_find(m, json_string_value(target)) : NULL;
    json_t *record = t && uid ? find_record(t, st, uid) : NULL;
    bool changed = false;
    const char *at;
    const json_t *members;
    json_object_foreach(json_object_get(rule, "names"), at, members) {
        size_t i;
        const json_t *member;
        json_array_foreach(members, i, member) {
            json_t *name = json_object_get(record, json_string_value(member));
            if (json_is_string(name) && json_string_length(name) > 0) {
                set_at(body, at, json_incref(name));
                changed = true;
                break;
            }
        }
    }
    json_decref(record);
    return changed;
}

store_status world_links_names(const entity_model *m, store *st, const entity *e)
{
    const json_t *rules = entity_links_of(m, "typedReferences", e);
    if (!rules)
        return STORE_OK;
    buf page;
    buf_init(&page);
    long total = 0;
    store_status s = store_list(st, e->name, NULL, 0, -1, &total, &page);
    json_t *records = s == STORE_OK ? json_loads(page.data ? page.data : "[]", 0, NULL) : NULL;
    buf_free(&page);
    size_t i;
    json_t *body;
    json_array_foreach(records, i, body) {
        const char *id = e->id_prop ? json_string_value(json_object_get(body, e->id_prop)) : NULL;
        bool changed = false;
        const char *pointer;
        const json_t *rule;
        json_object_foreach((json_t *)rules, pointer, rule)
            changed = name_from_target(m, st, pointer, rule, body) || changed;
        if (changed && id && s == STORE_OK)
            s = store_update(st, e->name, id, body);
    }
    json_decref(records);
    return s;
}
