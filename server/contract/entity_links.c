/* entity_links.c — see entity_links.h. */
#include "contract/entity_links.h"

#include <stdio.h>
#include <string.h>

const json_t *entity_links_of(const entity_model *m, const char *section, const entity *e)
{
    return e ? json_object_get(json_object_get(m->mapping, section), e->name) : NULL;
}

/* Whether e's schema has the top-level member name. */
static bool has_member(const entity_model *m, const entity *e, const char *name)
{
    return schema_property(&m->contract->schemas, e->schema, name) != NULL;
}

/* Whether name is a path key of one of e's list routes. */
static bool is_path_key(const entity_model *m, const entity *e, const char *name)
{
    size_t n = 0;
    entities_for_member(m, e, name, 0, &n);
    return n > 0;
}

/* The entity called name, or NULL with err. */
static const entity *named(const entity_model *m, const char *name, const char *section,
                           char *err, size_t errlen)
{
    const entity *e = name ? entities_find(m, name) : NULL;
    if (!e)
        snprintf(err, errlen, "entities.json: \"%s\" names '%s', no entity of %s", section,
                 name ? name : "(not a name)", m->contract->version);
    return e;
}

static bool no_member(const char *section, const char *type, const char *member, char *err,
                      size_t errlen)
{
    snprintf(err, errlen, "entities.json: \"%s\" of %s names the member '%s', which it lacks",
             section, type, member);
    return false;
}

static bool check_same_as(const entity_model *m, char *err, size_t errlen)
{
    const char *type, *member;
    json_t *row, *target;
    json_object_foreach(json_object_get(m->mapping, "sameAs"), type, row) {
        const entity *x = named(m, type, "sameAs", err, errlen);
        if (!x)
            return false;
        if (!json_is_object(row) || json_object_size(row) == 0) {
            snprintf(err, errlen, "entities.json: \"sameAs\" of %s must name members", type);
            return false;
        }
        json_object_foreach(row, member, target) {
            const entity *y = named(m, json_string_value(target), "sameAs", err, errlen);
            if (!y)
                return false;
            if (entity_links_of(m, "sameAs", y) || entity_links_of(m, "derived", y)) {
                snprintf(err, errlen, "entities.json: \"sameAs\": %s follows %s, which follows "
                         "another type itself", type, y->name);
                return false;
            }
            if (!has_member(m, x, member))
                return no_member("sameAs", type, member, err, errlen);
        }
    }
    return true;
}

static bool check_derived(const entity_model *m, char *err, size_t errlen)
{
    const char *type, *member;
    json_t *rules, *rule, *v;
    size_t i;
    json_object_foreach(json_object_get(m->mapping, "derived"), type, rules) {
        const entity *x = named(m, type, "derived", err, errlen);
        if (!x)
            return false;
        json_array_foreach(rules, i, rule) {
            const entity *y = named(m, json_string_value(json_object_get(rule, "from")),
                                    "derived", err, errlen);
            if (!y)
                return false;
            json_object_foreach(json_object_get(rule, "set"), member, v)
                if (!has_member(m, x, member))
                    return no_member("derived", type, member, err, errlen);
            json_object_foreach(json_object_get(rule, "copy"), member, v) {
                if (!has_member(m, x, member) && !is_path_key(m, x, member))
                    return no_member("derived", type, member, err, errlen);
                if (!json_is_string(v) || !has_member(m, y, json_string_value(v)))
                    return no_member("derived", y->name,
                                     json_is_string(v) ? json_string_value(v) : "?", err, errlen);
            }
        }
    }
    return true;
}

/* Whether the first name of pointer is a member of e's schema. */
static bool pointer_ok(const entity_model *m, const entity *e, const char *pointer)
{
    if (!pointer || pointer[0] != '/')
        return false;
    char first[128];
    const char *next = strchr(pointer + 1, '/');
    size_t n = next ? (size_t)(next - pointer - 1) : strlen(pointer + 1);
    if (n == 0 || n >= sizeof first)
        return false;
    snprintf(first, sizeof first, "%.*s", (int)n, pointer + 1);
    return has_member(m, e, first);
}

static bool check_typed(const entity_model *m, char *err, size_t errlen)
{
    const char *type, *pointer, *value;
    json_t *rules, *rule, *target;
    json_object_foreach(json_object_get(m->mapping, "typedReferences"), type, rules) {
        const entity *x = named(m, type, "typedReferences", err, errlen);
        if (!x)
            return false;
        json_object_foreach(rules, pointer, rule) {
            const char *by = json_string_value(json_object_get(rule, "by"));
            if (!pointer_ok(m, x, pointer))
                return no_member("typedReferences", type, pointer, err, errlen);
            if (!pointer_ok(m, x, by))
                return no_member("typedReferences", type, by ? by : "(no \"by\")", err, errlen);
            json_object_foreach(json_object_get(rule, "types"), value, target)
                if (!named(m, json_string_value(target), "typedReferences", err, errlen))
                    return false;
            json_object_foreach(json_object_get(rule, "names"), value, target)
                if (!pointer_ok(m, x, value))
                    return no_member("typedReferences", type, value, err, errlen);
        }
    }
    return true;
}

bool entity_links_check(const entity_model *m, char *err, size_t errlen)
{
    /* only the mapping's own version is strict (entities.c check_mapping) */
    const char *strict = json_string_value(json_object_get(m->mapping, "version"));
    if (strict && strcmp(strict, m->contract->version))
        return true;
    return check_same_as(m, err, errlen) && check_derived(m, err, errlen) &&
           check_typed(m, err, errlen);
}
