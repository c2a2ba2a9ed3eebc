/* entities.c — see entities.h. */
#include "contract/entities.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The name of the parameter that ends template, copied into out; false if
 * the last segment is not a parameter. */
static bool last_param(const char *tpl, char *out, size_t len)
{
    size_t n = strlen(tpl);
    if (n < 3 || tpl[n - 1] != '}')
        return false;
    const char *open = strrchr(tpl, '{');
    if (!open || (size_t)(tpl + n - 1 - open - 1) >= len)
        return false;
    snprintf(out, len, "%.*s", (int)(tpl + n - 2 - open), open + 1);
    return true;
}

static size_t segments(const char *tpl)
{
    size_t n = 0;
    for (; *tpl; tpl++)
        n += *tpl == '/';
    return n;
}

static entity *find_mut(entity_model *m, const char *name)
{
    for (size_t i = 0; i < m->count; i++)
        if (!strcmp(m->entities[i].name, name))
            return &m->entities[i];
    return NULL;
}

const entity *entities_find(const entity_model *m, const char *name)
{
    return find_mut((entity_model *)m, name);
}

const binding *entities_binding(const entity_model *m, const operation *op)
{
    size_t i = (size_t)(op - m->contract->ops);
    return i < m->contract->nops ? &m->bindings[i] : NULL;
}

/* Pass 1: every collection GET makes its item schema an entity. */
static bool find_entities(entity_model *m, char *err, size_t errlen)
{
    const contract *c = m->contract;
    m->entities = calloc(c->nops, sizeof *m->entities);
    if (!m->entities) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    for (size_t i = 0; i < c->nops; i++) {
        const operation *op = &c->ops[i];
        bool is_array;
        const json_t *items = operation_data_schema(op, &is_array);
        const char *name = schema_ref_name(items);
        if (op->method != HTTP_GET || !is_array || !name)
            continue;
        entity *e = find_mut(m, name);
        if (!e) {
            e = &m->entities[m->count++];
            e->name = name;
            e->schema_name = name;
            e->schema = items;
        }
        m->bindings[i] = (binding){BIND_LIST, e, NULL, NULL, false};
    }
    return true;
}

/* A GET or PATCH of ".../{key}/name" answering one e that carries key
 * (/users/{userUid}/backupResource: a user's one backup resource) reads
 * or changes the record of e whose key is the path's value. */
static void bind_singular(entity_model *m, size_t i, const entity *e)
{
    const operation *op = &m->contract->ops[i];
    const char *slash = strrchr(op->path, '/');
    /* the newest version's only: an older one's singular routes name their
     * parents in ways its successor links translate (3.5.1's company
     * sites), which this lookup does not */
    const char *newest = json_string_value(json_object_get(m->mapping, "version"));
    if (!newest || strcmp(newest, m->contract->version))
        return;
    if (!slash || slash == op->path || strchr(slash, '{') || slash[-1] != '}' ||
        (op->method != HTTP_GET && op->method != HTTP_PATCH))
        return;
    const char *open = slash - 1;
    while (open > op->path && *open != '{')
        open--;
    char key[64];
    if (*open != '{' || (size_t)(slash - open - 2) >= sizeof key)
        return;
    snprintf(key, sizeof key, "%.*s", (int)(slash - open - 2), open + 1);
    const op_param *p = operation_param(op, PARAM_PATH, key);
    if (!p || !schema_property(&m->contract->schemas, e->schema, key))
        return;
    m->bindings[i] = (binding){op->method == HTTP_GET ? BIND_GET : BIND_PATCH, e, p->name, NULL,
                               true};
}

/* Pass 2: item routes (GET, PATCH, PUT) answering an entity. */
static void bind_items(entity_model *m)
{
    const contract *c = m->contract;
    for (size_t i = 0; i < c->nops; i++) {
        const operation *op = &c->ops[i];
        char param[64];
        bool is_array;
        const json_t *data = operation_data_schema(op, &is_array);
        const char *name = data && !is_array ? schema_ref_name(data) : NULL;
        entity *e = name ? find_mut(m, name) : NULL;
        if (e && !last_param(op->path, param, sizeof param)) {
            bind_singular(m, i, e);
            continue;
        }
        if (!e)
            continue;
        binding_kind kind = op->method == HTTP_GET     ? BIND_GET
                            : op->method == HTTP_PATCH ? BIND_PATCH
                            : op->method == HTTP_PUT   ? BIND_PUT
                                                       : BIND_NONE;
        if (kind == BIND_NONE)
            continue;
        const op_param *p = operation_param(op, PARAM_PATH, param);
        m->bindings[i] = (binding){kind, e, p ? p->name : NULL, NULL, false};
        if (kind == BIND_GET && (!e->id_param || segments(op->path) < e->item_depth)) {
            e->id_param = p ? p->name : NULL;
            e->item_depth = segments(op->path);
        }
    }
}

/* The GET binding on exactly this template, or NULL. */
static const binding *get_on(const entity_model *m, const char *tpl, size_t len)
{
    const contract *c = m->contract;
    for (size_t i = 0; i < c->nops; i++)
        if (m->bindings[i].kind == BIND_GET && strlen(c->ops[i].path) == len &&
            !strncmp(c->ops[i].path, tpl, len))
            return &m->bindings[i];
    return NULL;
}

/* Whether tpl is one of e's list templates. */
static bool is_list_of(const entity_model *m, const entity *e, const char *tpl)
{
    const contract *c = m->contract;
    for (size_t i = 0; i < c->nops; i++)
        if (m->bindings[i].kind == BIND_LIST && m->bindings[i].entity == e &&
            !strcmp(c->ops[i].path, tpl))
            return true;
    return false;
}

/* Pass 3: DELETE on item templates, CREATE on list templates, ACTIONs. */
static void bind_writes(entity_model *m)
{
    const contract *c = m->contract;
    for (size_t i = 0; i < c->nops; i++) {
        const operation *op = &c->ops[i];
        if (m->bindings[i].kind != BIND_NONE)
            continue;
        if (op->method == HTTP_DELETE) {
            const binding *g = get_on(m, op->path, strlen(op->path));
            if (g)
                m->bindings[i] = (binding){BIND_DELETE, g->entity, g->id_param, NULL, false};
        } else if (op->method == HTTP_POST) {
            bool is_array;
            const json_t *data = operation_data_schema(op, &is_array);
            const char *name = data && !is_array ? schema_ref_name(data) : NULL;
            const entity *e = name ? find_mut(m, name) : NULL;
            const char *slash = strrchr(op->path, '/');
            const binding *g = slash ? get_on(m, op->path, (size_t)(slash - op->path)) : NULL;
            if (e && op->body != BODY_NONE && is_list_of(m, e, op->path))
                m->bindings[i] = (binding){BIND_CREATE, e, NULL, NULL, false};
            else if (g && op->body == BODY_NONE && slash[1] != '{')
                m->bindings[i] = (binding){BIND_ACTION, g->entity, g->id_param, slash + 1, false};
        }
    }
}

/* Each entity's id property: instanceUid, else the property named like its
 * item parameter, else the mapping's "ids". */
static void choose_ids(entity_model *m)
{
    const json_t *ids = json_object_get(m->mapping, "ids");
    for (size_t i = 0; i < m->count; i++) {
        entity *e = &m->entities[i];
        const json_t *props =
            json_object_get(schema_resolve(&m->contract->schemas, e->schema), "properties");
        const char *mapped = json_string_value(json_object_get(ids, e->name));
        if (mapped)
            e->id_prop = mapped;
        else if (json_object_get(props, "instanceUid"))
            e->id_prop = "instanceUid";
        else if (e->id_param && json_object_get(props, e->id_param))
            e->id_prop = e->id_param;
        else
            e->id_prop = NULL;
    }
}

/* An entity with no item route is still named by the routes nested under
 * its list: "/protectedWorkloads/fileShares/{fileShareUid}/backups" names
 * a record of GET /protectedWorkloads/fileShares by its fileShareUid. That
 * key, when its schema has it, is its id. */
static void ids_from_nested_routes(entity_model *m)
{
    const contract *c = m->contract;
    for (size_t i = 0; i < c->nops; i++) {
        entity *e = (entity *)m->bindings[i].entity;
        if (m->bindings[i].kind != BIND_LIST || !e || e->id_prop)
            continue;
        const char *list = c->ops[i].path;
        size_t len = strlen(list);
        for (size_t k = 0; k < c->nops && !e->id_prop; k++) {
            const char *tpl = c->ops[k].path;
            if (strncmp(tpl, list, len) || strncmp(tpl + len, "/{", 2))
                continue;
            const char *close = strchr(tpl + len, '}');
            char key[64];
            if (!close || (size_t)(close - tpl - len - 2) >= sizeof key)
                continue;
            snprintf(key, sizeof key, "%.*s", (int)(close - tpl - len - 2), tpl + len + 2);
            const json_t *props =
                json_object_get(schema_resolve(&c->schemas, e->schema), "properties");
            const char *name;
            const json_t *v;
            json_object_foreach((json_t *)props, name, v) /* a name the schema owns */
                if (!strcmp(name, key))
                    e->id_prop = name;
        }
    }
}


/* The root entity a perspective embeds: the one entity among the
 * properties of its _embedded object, or NULL. */
static const entity *root_of(const entity_model *m, const entity *e, const char **key_out)
{
    const schema_ctx *ctx = &m->contract->schemas;
    const json_t *embedded = schema_property(ctx, e->schema, "_embedded");
    const json_t *props = json_object_get(schema_resolve(ctx, embedded), "properties");
    const char *key;
    const json_t *p;
    const entity *root = NULL;
    json_object_foreach((json_t *)props, key, p) {
        const char *name = schema_ref_name(p);
        const entity *r = name ? entities_find(m, name) : NULL;
        if (r && r != e) {
            if (root)
                return NULL; /* two roots: not a plain perspective */
            root = r;
            *key_out = key;
        }
    }
    return root;
}

/* Pass 4: perspectives and their roots (one level: a root is no
 * perspective itself). */
static void find_roots(entity_model *m)
{
    for (size_t i = 0; i < m->count; i++)
        m->entities[i].root = root_of(m, &m->entities[i], &m->entities[i].root_key);
    for (size_t i = 0; i < m->count; i++)
        if (m->entities[i].root && m->entities[i].root->root)
            m->entities[i].root = NULL;
}

/* The mapping must name real entities: a typo would silently do nothing.
 * Entity names of the newest version are checked against it; an older
 * version lacks some, which is fine, so only the newest is strict (the
 * mapping's "version" says which that is). */
static bool check_mapping(const entity_model *m, char *err, size_t errlen)
{
    const char *strict = json_string_value(json_object_get(m->mapping, "version"));
    if (strict && strcmp(strict, m->contract->version))
        return true;
    static const char *const sections[] = {"ids", "cascade", "unique", "pathMembers"};
    for (size_t k = 0; k < sizeof sections / sizeof sections[0]; k++) {
        const char *name;
        json_t *value;
        json_object_foreach(json_object_get(m->mapping, sections[k]), name, value) {
            if (!entities_find(m, name)) {
                snprintf(err, errlen, "entities.json: \"%s\" names '%s', no entity of %s",
                         sections[k], name, m->contract->version);
                return false;
            }
        }
    }
    const char *key;
    json_t *target;
    json_object_foreach(json_object_get(m->mapping, "references"), key, target) {
        if (json_is_string(target) && !entities_find(m, json_string_value(target))) {
            snprintf(err, errlen, "entities.json: \"references\" names '%s', no entity of %s",
                     json_string_value(target), m->contract->version);
            return false;
        }
    }
    return true;
}

entity_model *entities_build(const contract *c, json_t *mapping, char *err, size_t errlen)
{
    entity_model *m = calloc(1, sizeof *m);
    if (!m || !(m->bindings = calloc(c->nops ? c->nops : 1, sizeof *m->bindings))) {
        free(m);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    m->contract = c;
    m->mapping = json_incref(mapping);
    if (!find_entities(m, err, errlen)) {
        entities_free(m);
        return NULL;
    }
    bind_items(m);
    bind_writes(m);
    choose_ids(m);
    ids_from_nested_routes(m);
    find_roots(m);
    if (!check_mapping(m, err, errlen)) {
        entities_free(m);
        return NULL;
    }
    return m;
}

void entities_free(entity_model *m)
{
    if (!m)
        return;
    free(m->entities);
    free(m->bindings);
    json_decref(m->mapping);
    free(m);
}

const entity *entities_for_key(const entity_model *m, const char *key)
{
    const json_t *mapped = json_object_get(json_object_get(m->mapping, "references"), key);
    if (mapped) /* null: the key names no entity */
        return json_is_string(mapped) ? entities_find(m, json_string_value(mapped)) : NULL;
    const entity *best = NULL;
    for (size_t i = 0; i < m->count; i++) {
        const entity *e = &m->entities[i];
        if (e->id_param && !strcmp(e->id_param, key) &&
            (!best || e->item_depth < best->item_depth ||
             (e->item_depth == best->item_depth && strcmp(e->name, best->name) < 0)))
            best = e;
    }
    return best;
}

const entity *entities_for_reference(const entity_model *m, const char *key)
{
    const json_t *refs = json_object_get(m->mapping, "references");
    size_t len = strlen(key);
    if (len < 4 || strcmp(key + len - 3, "Uid") || !strcmp(key, "instanceUid"))
        return NULL;
    const entity *e = entities_for_key(m, key);
    if (e || json_object_get(refs, key))
        return e;
    /* tails at each capital, longest first, down to one word before Uid */
    for (const char *p = key + 1; p < key + len - 3; p++) {
        if (*p < 'A' || *p > 'Z' || !strcmp(p, "Uid"))
            continue;
        char tail[128];
        snprintf(tail, sizeof tail, "%c%s", *p - 'A' + 'a', p + 1);
        if (!strcmp(tail, "instanceUid"))
            return NULL;
        if (json_object_get(refs, tail))
            return entities_for_key(m, tail);
        e = entities_for_key(m, tail);
        if (e)
            return e;
    }
    return NULL;
}

/* The binding of kind on exactly the first len bytes of tpl, or NULL. */
static const binding *bound_on(const entity_model *m, binding_kind kind, const char *tpl,
                               size_t len)
{
    const contract *c = m->contract;
    for (size_t i = 0; i < c->nops; i++)
        if (m->bindings[i].kind == kind && c->ops[i].method == HTTP_GET &&
            strlen(c->ops[i].path) == len && !strncmp(c->ops[i].path, tpl, len))
            return &m->bindings[i];
    return NULL;
}

const entity *entities_for_path_key(const entity_model *m, const char *tpl, const char *key)
{
    size_t klen = strlen(key);
    for (const char *p = strchr(tpl, '{'); p; p = strchr(p + 1, '{')) {
        if (strncmp(p + 1, key, klen) || p[klen + 1] != '}')
            continue;
        size_t end = (size_t)(p - tpl) + klen + 2; /* just after "{key}" */
        const binding *item = bound_on(m, BIND_GET, tpl, end);
        if (item && !item->by_key)
            return item->entity;
        const binding *list = p > tpl ? bound_on(m, BIND_LIST, tpl, (size_t)(p - tpl) - 1) : NULL;
        if (list)
            return list->entity;
        break;
    }
    return entities_for_key(m, key);
}

const entity *entities_for_member(const entity_model *m, const entity *e, const char *key,
                                  size_t which, size_t *count)
{
    const contract *c = m->contract;
    size_t klen = strlen(key), n = 0;
    const entity *seen[16], *chosen = NULL;
    for (size_t i = 0; i < c->nops; i++) {
        if (m->bindings[i].kind != BIND_LIST || m->bindings[i].entity != e)
            continue;
        for (const char *p = strchr(c->ops[i].path, '{'); p; p = strchr(p + 1, '{')) {
            if (strncmp(p + 1, key, klen) || p[klen + 1] != '}')
                continue;
            const entity *t = entities_for_path_key(m, c->ops[i].path, key);
            bool known = !t;
            for (size_t k = 0; k < n && !known; k++)
                known = seen[k] == t;
            if (!known && n < sizeof seen / sizeof seen[0]) {
                if (n == which)
                    chosen = t;
                seen[n++] = t;
            }
        }
    }
    *count = n;
    return chosen;
}

void entities_counts(const entity_model *m, size_t counts[BIND_ACTION + 1])
{
    memset(counts, 0, sizeof(size_t) * (BIND_ACTION + 1));
    for (size_t i = 0; i < m->contract->nops; i++)
        counts[m->bindings[i].kind]++;
}

/* Whether two templates are one route: segments equal ignoring case,
 * parameters equal whatever their names. */
static bool same_route(const char *a, const char *b)
{
    while (*a && *b) {
        if (*a == '{' && *b == '{') {
            a = strchr(a, '}');
            b = strchr(b, '}');
            if (!a || !b)
                return false;
        } else if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) {
            return false;
        }
        a++;
        b++;
    }
    return !*a && !*b;
}

/* The entity of newest listed on one of e's list templates, or NULL. */
static const entity *listed_alike(const entity_model *m, const entity *e,
                                  const entity_model *newest)
{
    for (size_t i = 0; i < m->contract->nops; i++) {
        if (m->bindings[i].kind != BIND_LIST || m->bindings[i].entity != e)
            continue;
        for (size_t k = 0; k < newest->contract->nops; k++)
            if (newest->bindings[k].kind == BIND_LIST &&
                same_route(m->contract->ops[i].path, newest->contract->ops[k].path))
                return newest->bindings[k].entity;
    }
    return NULL;
}

bool entities_link(entity_model *m, const entity_model *newest, char *err, size_t errlen)
{
    const json_t *successors = json_object_get(m->mapping, "successors");
    for (size_t i = 0; i < m->count; i++) {
        entity *e = &m->entities[i];
        if (entities_find(newest, e->name))
            continue; /* the same name: the same records already */
        const json_t *row = json_object_get(successors, e->name);
        const entity *next = listed_alike(m, e, newest);
        if (json_is_object(row)) {
            const char *type = json_string_value(json_object_get(row, "type"));
            next = type ? entities_find(newest, type) : NULL;
            if (!next) {
                snprintf(err, errlen,
                         "entities.json: \"successors\" gives %s the type '%s', no entity of %s",
                         e->name, type ? type : "(none)", newest->contract->version);
                return false;
            }
            e->renames = json_object_get(row, "properties");
        }
        if (next) {
            e->successor = next;
            e->name = next->name;
        }
    }
    return true;
}

const char *entities_stored_name(const entity *e, const char *property)
{
    const char *stored = json_string_value(json_object_get(e->renames, property));
    return stored ? stored : property;
}

json_t *entities_view(const entity_model *m, const entity *e, json_t *stored,
                      const json_t *scope)
{
    if (!e->successor || !json_is_object(stored))
        return json_incref(stored);
    const schema_ctx *ctx = &m->contract->schemas;
    json_t *view = json_copy(stored); /* shallow: members are moved, not edited */
    const char *mine;
    const json_t *theirs;
    json_object_foreach((json_t *)e->renames, mine, theirs) {
        const char *name = json_string_value(theirs);
        json_t *value = name ? json_object_get(stored, name) : NULL;
        if (!value)
            continue;
        json_object_set(view, mine, value);
        if (!schema_property(ctx, e->schema, name))
            json_object_del(view, name);
    }
    /* 3.5.1's CompanySiteResource.companyUid is the path key its tenant
     * was made under, which 3.6.1's CloudTenant does not carry */
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)scope, key, value)
        if (!json_object_get(view, key) && schema_property(ctx, e->schema, key))
            json_object_set(view, key, value);
    return view;
}

void entities_apply_change(const entity *e, const json_t *before, const json_t *after,
                           json_t *stored)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)after, key, value)
        if (!json_equal(value, json_object_get(before, key)))
            json_object_set(stored, entities_stored_name(e, key), value);
    json_object_foreach((json_t *)before, key, value)
        if (!json_object_get(after, key))
            json_object_del(stored, entities_stored_name(e, key));
}
