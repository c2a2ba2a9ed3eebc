/* handler_store.c — operations bound to the store (see entities.h): lists,
 * item reads, creates, JSON Patch, replace, delete and actions, answered
 * from SQLite records.
 *
 * Lists and items are assembled from the stored JSON text, never parsed
 * and re-serialised. Path parameters restrict what a route sees: a record
 * outside them answers 404 as if it did not exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "contract/conform.h"
#include "answer/errors.h"
#include "contract/generate.h"
#include "handlers/handlers.h"
#include "request/jsonpatch.h"
#include "store/index_plan.h"
#include "store/query.h"
#include "store/records.h"
#include "base/log.h"
#include "base/rng.h"
#include "base/uuid.h"

static const binding *binding_of(const request *req)
{
    return req->contract->entities ? entities_binding(req->contract->entities, req->op) : NULL;
}

/* Path parameters other than the record's own id restrict the records. */
static void path_filter(const request *req, const char *id_param, store_filter *f)
{
    f->n = 0;
    for (size_t i = 0; i < req->route.nparams && f->n < STORE_MAX_KEYS; i++) {
        if (id_param && !strcmp(req->route.names[i], id_param))
            continue;
        f->keys[f->n] = req->route.names[i];
        f->values[f->n++] = req->route.values[i];
    }
}

static void not_found(response *res, const entity *e, const char *uid)
{
    error_not_found(res, "%s with UID '%s' does not exist.", e->name, uid ? uid : "");
}

record_seen handlers_seen(const request *req, const char *type, const char *uid)
{
    store_owner o;
    if (!uid || store_owner_get(req->app->store, type, uid, &o) != STORE_OK)
        return SEEN_NONE;
    return scope_holds(&req->scope, req->app->owners, type, &o) ? SEEN_INSIDE : SEEN_OUTSIDE;
}

/* A record outside the caller's scope is answered as if it did not exist:
 * no tenant learns another's UIDs. */
bool handlers_sees(const request *req, const char *type, const char *uid)
{
    return req->scope.kind == SCOPE_PROVIDER || handlers_seen(req, type, uid) == SEEN_INSIDE;
}

/* Whether the client speaks an older version than the stored records. */
static bool older_client(const request *req)
{
    return req->contract != req->app->contracts.latest;
}

/* Whether the answer must be shaped as values: select keeps only some
 * properties, and older clients read records in their version. */
static bool needs_values(const request *req)
{
    return req->select != NULL || older_client(req);
}

/* The records of a page as values, made valid in the client's version
 * (caller decrefs; NULL if the stored text is not an array). */
static json_t *page_values(const request *req, const entity *e, const buf *page)
{
    json_t *items = json_loadb(page->data, page->len, 0, NULL);
    if (!json_is_array(items)) {
        json_decref(items);
        return NULL;
    }
    if (older_client(req)) {
        size_t i;
        json_t *item;
        json_array_foreach(items, i, item)
            json_array_set_new(items, i, conform_value(&req->contract->schemas, e->schema, item, i));
    }
    return items;
}

/* Whether expand asks for e's root entity (?expand=Organization). */
static bool wants_root(const request *req, const entity *e)
{
    const json_t *expand = request_param(req, "expand");
    size_t i;
    const json_t *name;
    json_array_foreach(expand, i, name)
        if (e->root && !strcasecmp(json_string_value(name), e->root->name))
            return true;
    return false;
}

/* filter and sort of a paginated list, compiled to SQL; false with the
 * 400 in res. */
static bool compile_query(request *req, response *res, const entity *e, query_sql *where,
                          query_sql *order, char *index, size_t indexlen)
{
    index[0] = 0;
    const schema_ctx *ctx = &req->contract->schemas;
    const char *filter = req->op->paginated ? request_query(req, "filter") : NULL;
    const char *sort = req->op->paginated ? request_query(req, "sort") : NULL;
    if (!filter && !sort)
        return true;
    buf key;
    buf_init(&key);
    buf_printf(&key, "%s\n%s\n%s\n%s", req->contract->version, e->name, filter ? filter : "",
               sort ? sort : "");
    bool known = !key.failed && query_cache_get(req->app->queries, key.data, where, order);
    char why[512];
    if (!known && filter && !query_filter(ctx, e->schema, filter, where, why, sizeof why)) {
        buf_free(&key);
        error_bad_parameter(res, "filter", "%s", why);
        return false;
    }
    if (!known && sort && !query_sort(ctx, e->schema, sort, order, why, sizeof why)) {
        buf_free(&key);
        error_bad_parameter(res, "sort", "%s", why);
        return false;
    }
    if (!known && !key.failed)
        query_cache_put(req->app->queries, key.data, where, order);
    buf_free(&key);
    index_plan(req->app->store, where, order, index, indexlen);
    return true;
}

/* The records a nested route lists hang off the records its path keys
 * name (/organizations/{organizationUid}/locations): a parent outside the
 * caller's scope is answered as if it did not exist. False with the 404. */
static bool parents_seen(request *req, response *res)
{
    if (req->scope.kind == SCOPE_PROVIDER)
        return true;
    for (size_t i = 0; i < req->route.nparams; i++) {
        const entity *parent = entities_for_key(req->contract->entities, req->route.names[i]);
        const char *uid = req->route.values[i];
        if (parent && handlers_seen(req, parent->name, uid) == SEEN_OUTSIDE) {
            not_found(res, parent, uid);
            return false;
        }
    }
    return true;
}

static void handle_list(request *req, response *res, const binding *b)
{
    if (!parents_seen(req, res))
        return;
    store_filter f;
    path_filter(req, NULL, &f);
    bool paged = req->op->paginated;
    long offset = paged ? request_param_long(req, "offset", 0) : 0;
    long limit = paged ? request_param_long(req, "limit", 100) : -1;
    query_sql where, order;
    query_sql_init(&where);
    query_sql_init(&order);
    buf page;
    buf_init(&page);
    char index[32];
    if (!compile_query(req, res, b->entity, &where, &order, index, sizeof index))
        goto done;
    bool embed = wants_root(req, b->entity);
    store_tenant tenant;
    scope_tenant(&req->scope, req->app->owners, b->entity->name, &tenant);
    store_query q = {&f, where.sql.data, where.args, order.sql.data, order.args,
                     index[0] ? index : NULL, embed ? b->entity->root->name : NULL,
                     embed ? b->entity->root_key : NULL, &tenant};
    long total = 0;
    if (store_query_list(req->app->store, b->entity->name, &q, offset, limit, &total, &page) !=
        STORE_OK) {
        error_internal(res, "The %s records could not be read.", b->entity->name);
        goto done;
    }
    long count = total - offset;
    if (count < 0)
        count = 0;
    if (limit >= 0 && count > limit)
        count = limit;
    if (needs_values(req)) {
        json_t *items = page_values(req, b->entity, &page);
        if (!items)
            error_internal(res, "The %s records could not be read.", b->entity->name);
        else if (paged)
            response_page(res, items, total, count, offset);
        else
            response_data(res, items);
        goto done;
    }
    /* the common case: the stored text, never parsed */
    size_t len;
    char *text = buf_take(&page, &len);
    response_page_text(res, text, len, paged, total, count, offset);
done:
    buf_free(&page);
    query_sql_free(&where);
    query_sql_free(&order);
}

/* Loads the record a route addresses, checking the other path keys. The
 * id in the path is the record's uid, or (for a version whose schema names
 * another id property, e.g. 3.5.1's CompanySiteResource.siteUid) the value
 * of that property. *uid_out receives the stored uid (caller frees). On
 * failure res holds the 404. */
static json_t *load_record(request *req, response *res, const binding *b, char **uid_out)
{
    const char *id = request_path_param(req, b->id_param);
    json_t *body = NULL, *scope = NULL;
    *uid_out = NULL;
    store_status st = id ? store_get(req->app->store, b->entity->name, id, &body, &scope)
                         : STORE_NOT_FOUND;
    if (st == STORE_OK) {
        *uid_out = strdup(id);
    } else if (st == STORE_NOT_FOUND && id && b->entity->id_prop) {
        store_filter by_id = {1, {b->entity->id_prop}, {id}};
        st = store_find(req->app->store, b->entity->name, &by_id, uid_out, &body, &scope);
    }
    if (st == STORE_OK && !handlers_sees(req, b->entity->name, *uid_out)) {
        json_decref(body);
        json_decref(scope);
        free(*uid_out);
        *uid_out = NULL;
        st = STORE_NOT_FOUND;
    }
    if (st != STORE_OK) {
        not_found(res, b->entity, id);
        return NULL;
    }
    store_filter f;
    path_filter(req, b->id_param, &f);
    for (size_t i = 0; i < f.n; i++) {
        const char *have = json_string_value(json_object_get(body, f.keys[i]));
        if (!have)
            have = json_string_value(json_object_get(scope, f.keys[i]));
        if (have && strcasecmp(have, f.values[i])) {
            json_decref(body);
            body = NULL;
            free(*uid_out);
            *uid_out = NULL;
            not_found(res, b->entity, id);
            break;
        }
    }
    json_decref(scope);
    if (body && older_client(req)) { /* records have the newest shape */
        json_t *valid = conform_value(&req->contract->schemas, b->entity->schema, body, 0);
        json_decref(body);
        body = valid;
    }
    return body;
}

/* What one item route does with the record it addresses. It owns the
 * reference to record; uid is the stored uid. */
typedef void (*item_fn)(request *req, response *res, const binding *b, const char *uid,
                        json_t *record);

static void with_record(request *req, response *res, const binding *b, item_fn fn)
{
    char *uid;
    json_t *record = load_record(req, res, b, &uid);
    if (record)
        fn(req, res, b, uid, record);
    free(uid);
}

static void get_item(request *req, response *res, const binding *b, const char *uid,
                     json_t *record)
{
    if (wants_root(req, b->entity) && json_is_object(record)) {
        json_t *root = NULL;
        store_get(req->app->store, b->entity->root->name, uid, &root, NULL);
        json_object_set_new(record, "_embedded",
                            json_pack("{s:o}", b->entity->root_key, root ? root : json_null()));
    }
    response_data(res, record);
}

/* Whether the client's input gave `value` for property `name` (at the top
 * of its body or of the root's input object). */
static bool input_gave(const json_t *input, const char *name, const char *value)
{
    const char *key;
    json_t *member;
    json_object_foreach((json_t *)input, key, member) {
        const char *v = json_string_value(json_object_get(member, name));
        if ((!strcmp(key, name) && json_is_string(member) && !strcmp(json_string_value(member), value)) ||
            (v && !strcmp(v, value)))
            return true;
    }
    return false;
}

/* The mapping's "unique" properties of e: a value another record of e
 * already has is a 409, as VSPC refuses duplicate names and logins. A value
 * the emulator generated (not the client) is made unique instead ("Litware
 * 2"). uid is the record's own (NULL when it is being created). */
static bool check_unique(request *req, response *res, const entity *e, json_t *record,
                         const char *uid)
{
    const json_t *props =
        json_object_get(json_object_get(req->contract->entities->mapping, "unique"), e->name);
    size_t i;
    const json_t *prop;
    json_array_foreach(props, i, prop) {
        const char *name = json_string_value(prop);
        const char *value = json_string_value(json_object_get(record, name ? name : ""));
        if (!value)
            continue;
        /* the whole value: a name of 256 characters may take 1 KiB, and a
         * cut copy would not be recognised as the client's (409) */
        char *base = strdup(value);
        if (!base) {
            error_internal(res, "Out of memory.");
            return false;
        }
        bool ok = true;
        for (int n = 2;; n++) {
            /* by an index: a scan of every company per create halved the
             * rate of creates as the world grew (bench/writes.sh) */
            char *other = NULL;
            store_status st = store_find_by(req->app->store, e->name, name,
                                            json_string_value(json_object_get(record, name)), &other);
            bool clash = st == STORE_OK && (!uid || strcmp(other, uid));
            free(other);
            if (!clash)
                break;
            if (input_gave(req->json_body, name, base) || n > 1000) {
                error_answer(res, E_CONFLICT, name,
                             "A %s with %s '%s' already exists.", e->name, name, base);
                ok = false;
                break;
            }
            json_object_set_new(record, name, json_sprintf("%s %d", base, n));
        }
        free(base);
        if (!ok)
            return false;
    }
    return true;
}

/* Stores a perspective's root record (same UID) beside it. */
static store_status put_root(request *req, const entity *e, const char *uid,
                             const json_t *record)
{
    const entity_model *m = req->contract->entities;
    json_t *root = records_build(m, e->root, req->json_body, NULL, rng_mix(1, uid));
    if (!root)
        return STORE_ERROR;
    if (e->root->id_prop)
        json_object_set_new(root, e->root->id_prop, json_string(uid));
    records_sync_root(m, e, record, root);
    /* its owner is derived with the record's (tenancy/owners.h) */
    store_record rec = {.type = e->root->name, .uid = uid, .body = root};
    store_status st = store_put(req->app->store, &rec, false);
    json_decref(root);
    return st;
}

/* The references of a record being written (tenancy.json "checked"): one
 * the client gave must name a record the caller sees (else 400 naming
 * it); on a create, one it left out is not invented — null where the
 * schema allows it, the caller's own organization where it names one.
 * given: what the client sent (the create's input, the patched record). */
static bool references_hold(request *req, response *res, const entity *e, const json_t *given,
                            json_t *record, bool create)
{
    const json_t *keys = owner_rules_checked(req->app->owners);
    size_t i;
    const json_t *k;
    json_array_foreach(keys, i, k) {
        const char *key = json_string_value(k);
        const json_t *prop = key ? schema_property(&req->contract->schemas, e->schema, key) : NULL;
        const entity *target = prop ? entities_for_key(req->contract->entities, key) : NULL;
        if (!target || (e->id_prop && !strcmp(key, e->id_prop)) || !json_is_object(record))
            continue;
        const char *value = json_string_value(json_object_get(record, key));
        bool from_client = json_is_string(json_object_get(given, key)) ||
                           request_path_param(req, key) != NULL;
        if (create && !from_client) {
            if (schema_is_nullable(&req->contract->schemas, prop)) {
                json_object_set_new(record, key, json_null());
            } else if (owner_rules_self(req->app->owners, target->name)) {
                char own[STORE_OWNER_LEN];
                if (req->scope.kind == SCOPE_PROVIDER)
                    owner_rules_provider(req->app->owners, req->app->store, own);
                else
                    snprintf(own, sizeof own, "%s", req->scope.org);
                if (own[0])
                    json_object_set_new(record, key, json_string(own));
            }
            continue;
        }
        if (!value || (!create && !json_object_get(given, key)))
            continue;
        /* even a portal role's reference must name a record that exists */
        if (handlers_seen(req, target->name, value) != SEEN_INSIDE) {
            error_bad_property(res, key, "%s with UID '%s' does not exist.", target->name, value);
            return false;
        }
    }
    return true;
}

static void handle_create(request *req, response *res, const binding *b)
{
    const entity *e = b->entity;
    char uid[UUID_STR_LEN];
    if (!uuid_random(uid)) {
        error_internal(res, "No random UID could be drawn.");
        return;
    }
    json_t *record = records_build(req->contract->entities, e, req->json_body,
                                   req->op->body_schema, rng_mix(0, uid));
    if (!record) {
        error_internal(res, "The %s could not be created.", e->name);
        return;
    }
    if (e->id_prop)
        json_object_set_new(record, e->id_prop, json_string(uid));
    /* path keys of a nested create ("/companies/{companyUid}/locations") */
    json_t *scope = json_object();
    for (size_t i = 0; i < req->route.nparams; i++) {
        const char *k = req->route.names[i], *v = req->route.values[i];
        if (json_is_string(json_object_get(record, k)))
            json_object_set_new(record, k, json_string(v));
        else
            json_object_set_new(scope, k, json_string(v));
    }
    if (!references_hold(req, res, e, req->json_body, record, true)) {
        json_decref(record);
        json_decref(scope);
        return;
    }
    store *st = req->app->store;
    /* the owner is derived from what the record refers to (tenancy/owners.h) */
    store_record rec = {.type = e->name, .uid = uid, .scope = scope, .body = record};
    store_status put = STORE_ERROR;
    bool unique = check_unique(req, res, e, record, NULL);
    if (unique && !store_begin(st))
        error_internal(res, "The %s could not be stored.", e->name);
    else if (unique) {
        put = store_put(st, &rec, false);
        if (put == STORE_OK && e->root)
            put = put_root(req, e, uid, record);
        bool owned = put == STORE_OK &&
                     owners_derive_one(st, req->app->owners, e->name, uid) &&
                     (!e->root || owners_derive_one(st, req->app->owners, e->root->name, uid));
        if (put == STORE_OK && !owned)
            put = STORE_ERROR;
        /* a record that would fall outside the caller's scope is not made */
        bool allowed = put != STORE_OK || handlers_sees(req, e->name, uid);
        if (put == STORE_OK && allowed && !store_commit(st))
            put = STORE_ERROR;
        if (put != STORE_OK || !allowed)
            store_rollback(st);
        if (!allowed) {
            error_answer(res, E_FORBIDDEN, NULL,
                         "The %s would belong to an organization outside the caller's scope.",
                         e->name);
            put = STORE_ERROR;
        } else if (put == STORE_CONFLICT)
            error_answer(res, E_CONFLICT, NULL,
                         "A %s with UID '%s' already exists.", e->name, uid);
        else if (put != STORE_OK)
            error_internal(res, "The %s could not be stored.", e->name);
    }
    json_decref(scope);
    if (put == STORE_OK)
        response_data(res, record);
    else
        json_decref(record);
}

/* Puts the id of `from` back into `to`: a record keeps its identity. */
static void keep_id(const entity *e, const json_t *from, json_t *to)
{
    json_t *id = e->id_prop ? json_object_get(from, e->id_prop) : NULL;
    if (id)
        json_object_set(to, e->id_prop, id);
}

/* Stores the changed record (consumed) and answers it; unique names are
 * checked first (409). */
static void save_and_answer(request *req, response *res, const binding *b, const char *uid,
                            json_t *record)
{
    if (!check_unique(req, res, b->entity, record, uid)) {
        json_decref(record);
        return;
    }
    if (store_update(req->app->store, b->entity->name, uid, record) != STORE_OK) {
        json_decref(record);
        error_internal(res, "The %s could not be stored.", b->entity->name);
        return;
    }
    response_data(res, record);
}

/* The path of the first patch operation on a property the server keeps:
 * the record's id and its _embedded view. NULL when none. */
static const char *read_only_path(const entity *e, const json_t *patch)
{
    size_t i;
    const json_t *op;
    json_array_foreach(patch, i, op) {
        const char *path = json_string_value(json_object_get(op, "path"));
        const char *name = path && path[0] == '/' ? path + 1 : path;
        size_t n = name ? strcspn(name, "/") : 0;
        if (name && ((e->id_prop && strlen(e->id_prop) == n && !strncmp(name, e->id_prop, n)) ||
                     (n == 9 && !strncmp(name, "_embedded", 9))))
            return path;
    }
    return NULL;
}

static void patch_item(request *req, response *res, const binding *b, const char *uid,
                       json_t *record)
{
    const char *fixed = read_only_path(b->entity, req->json_body);
    if (fixed) {
        json_decref(record);
        error_answer(res, E_PATCH_FAILED, fixed, "The property %s is read-only.", fixed);
        return;
    }
    jsonpatch_error perr;
    json_t *patched = jsonpatch_apply(&req->contract->schemas, b->entity->schema, record,
                                      req->json_body, &perr);
    if (!patched) {
        json_decref(record);
        error_answer(res, E_PATCH_FAILED, perr.path, "%s", perr.message);
        return;
    }
    keep_id(b->entity, record, patched); /* ids do not move */
    /* a reference the patch changed must name a record the caller sees */
    json_t *changed = json_object();
    const char *key;
    json_t *value;
    json_object_foreach(patched, key, value)
        if (!json_equal(value, json_object_get(record, key)))
            json_object_set(changed, key, value);
    json_decref(record);
    bool held = references_hold(req, res, b->entity, changed, patched, false);
    bool moved = false;
    size_t i;
    const json_t *k;
    json_array_foreach(owner_rules_checked(req->app->owners), i, k)
        moved = moved || json_object_get(changed, json_string_value(k));
    json_decref(changed);
    if (!held) {
        json_decref(patched);
        return;
    }
    save_and_answer(req, res, b, uid, patched);
    /* it now belongs where its references say */
    if (moved && res->status == 200 &&
        !owners_rederive_one(req->app->store, req->app->owners, b->entity->name, uid))
        log_error("tenancy: the owner of %s %s could not be derived again", b->entity->name, uid);
}

static void put_item(request *req, response *res, const binding *b, const char *uid,
                     json_t *record)
{
    json_t *before = json_deep_copy(record);
    records_overlay(&req->contract->schemas, b->entity->schema, record, req->json_body);
    keep_id(b->entity, before, record);
    json_decref(before);
    save_and_answer(req, res, b, uid, record);
}

/* Deletes the record and, per the mapping's "cascade", its dependants. */
static void delete_item(request *req, response *res, const binding *b, const char *uid,
                        json_t *record)
{
    json_decref(record);
    store *st = req->app->store;
    const json_t *cascade =
        json_object_get(json_object_get(req->contract->entities->mapping, "cascade"), b->entity->name);
    bool ok = store_begin(st) && store_delete(st, b->entity->name, uid) == STORE_OK;
    /* the same thing seen from its root, or from its perspectives, goes too */
    const entity_model *m = req->contract->entities;
    for (size_t k = 0; ok && k < m->count; k++) {
        const entity *other = &m->entities[k];
        if (other == b->entity->root || other->root == b->entity)
            ok = store_delete(st, other->name, uid) != STORE_ERROR;
    }
    size_t i;
    const json_t *dep;
    json_array_foreach(cascade, i, dep) {
        const char *type = json_string_value(json_array_get(dep, 0));
        const char *key = json_string_value(json_array_get(dep, 1));
        ok = ok && type && key && store_delete_where(st, type, key, uid, NULL) == STORE_OK;
    }
    if (!ok || !store_commit(st)) {
        store_rollback(st);
        error_internal(res, "The %s could not be deleted.", b->entity->name);
        return;
    }
    handle_generic(req, res); /* the contract's empty answer */
}

/* Applies the mapping's "actions" effects ({"start": {"status": ...}}) to
 * the properties the entity has, then answers as the contract says. */
/* Applies the mapping's "actions" effects to the record: each effect is a
 * property (or JSON Pointer) and its new value, applied as a JSON Patch
 * replace so that it is typed and validated like a client's; effects that
 * do not fit this entity (no such property, a value its enum lacks) are
 * skipped. Then answers as the contract says. */
static void act_on_item(request *req, response *res, const binding *b, const char *uid,
                        json_t *record)
{
    const json_t *effects =
        json_object_get(json_object_get(req->contract->entities->mapping, "actions"), b->action);
    const char *key;
    json_t *value;
    bool changed = false;
    json_object_foreach((json_t *)effects, key, value) {
        json_t *op = json_pack("[{s:s, s:s+, s:O}]", "op", "replace", "path",
                               key[0] == '/' ? "" : "/", key, "value", value);
        json_t *next = jsonpatch_apply(&req->contract->schemas, b->entity->schema, record, op, NULL);
        json_decref(op);
        if (next) {
            json_decref(record);
            record = next;
            changed = true;
        }
    }
    bool stored = !changed || store_update(req->app->store, b->entity->name, uid, record) == STORE_OK;
    json_decref(record);
    if (!stored) {
        error_internal(res, "The %s could not be stored.", b->entity->name);
        return;
    }
    handle_generic(req, res);
}

/* An item addressed by its id alone, for a client of the newest version:
 * the stored text as it is, never parsed (the common case, kept cheap).
 * False when the request needs more (other path keys, expand, select, an
 * older version, an id that is not the stored uid). */
static bool send_stored_item(request *req, response *res, const binding *b)
{
    if (req->route.nparams != 1 || needs_values(req) || wants_root(req, b->entity))
        return false;
    buf body;
    buf_init(&body);
    store_status st = store_get_text(req->app->store, b->entity->name, req->route.values[0], &body);
    if (st != STORE_OK || !handlers_sees(req, b->entity->name, req->route.values[0])) {
        buf_free(&body);
        return false; /* 404s and ids of other versions take the full path */
    }
    size_t len;
    char *text = buf_take(&body, &len);
    return response_page_text(res, text, len, false, 0, 0, 0);
}

void handle_store(request *req, response *res)
{
    const binding *b = binding_of(req);
    if (b && b->kind == BIND_GET && send_stored_item(req, res, b))
        return;
    switch (b ? b->kind : BIND_NONE) {
    case BIND_LIST: handle_list(req, res, b); return;
    case BIND_GET: with_record(req, res, b, get_item); return;
    case BIND_CREATE: handle_create(req, res, b); return;
    case BIND_PATCH: with_record(req, res, b, patch_item); return;
    case BIND_PUT: with_record(req, res, b, put_item); return;
    case BIND_DELETE: with_record(req, res, b, delete_item); return;
    case BIND_ACTION: with_record(req, res, b, act_on_item); return;
    case BIND_NONE: break;
    }
    handle_generic(req, res);
}
