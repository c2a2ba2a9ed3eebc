/* handler_store.c — operations bound to the store (see entities.h): lists,
 * item reads, creates, JSON Patch, replace, delete and actions, answered
 * from SQLite records.
 *
 * Lists and items are assembled from the stored JSON text, never parsed
 * and re-serialised. Path parameters restrict what a route sees: a record
 * outside them answers 404 as if it did not exist. An older version's
 * client reads views of the newest records (entities_view; the shape
 * stage answers them in its version, pipeline/dispatch.h) and its writes
 * change only the members it changed (entities.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "contract/conform.h"
#include "answer/errors.h"
#include "auth/auth.h"
#include "contract/generate.h"
#include "handlers/handlers.h"
#include "sim/simulation.h"
#include "request/jsonpatch.h"
#include "store/index_plan.h"
#include "store/query.h"
#include "store/records.h"
#include "world/new_records.h"
#include "base/log.h"
#include "base/rng.h"
#include "base/uuid.h"

static const binding *binding_of(const request *req)
{
    return req->contract->entities ? entities_binding(req->contract->entities, req->op) : NULL;
}

#define PARENT_UID_LEN 128

/* The item route of an older version's entity kept under its successor's
 * name that op's template extends (3.5.1's
 * /organizations/companies/{companyUid}/sites/{siteUid} under .../backupResources),
 * or NULL. */
static const operation *successor_parent(const request *req, const entity *e)
{
    const contract *c = req->contract;
    const operation *best = NULL;
    size_t own = strlen(req->op->path);
    for (size_t i = 0; i < c->nops; i++) {
        const binding *pb = entities_binding(c->entities, &c->ops[i]);
        size_t len = strlen(c->ops[i].path);
        if (pb->kind == BIND_GET && pb->entity->successor && pb->entity != e && len < own &&
            req->op->path[len] == '/' && !strncmp(c->ops[i].path, req->op->path, len) &&
            (!best || len > strlen(best->path)))
            best = &c->ops[i];
    }
    return best;
}

/* Whether template tpl has the parameter name. */
static bool has_param(const char *tpl, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = strchr(tpl, '{'); p; p = strchr(p + 1, '{'))
        if (!strncmp(p + 1, name, len) && p[len + 1] == '}')
            return true;
    return false;
}

/* Path parameters other than the record's own id restrict the records
 * (under the names the stored records give them, entities.h). Under an
 * older version's route that names its parent by several keys (the tenant
 * of company {companyUid} on site {siteUid}), the keys are that parent's
 * uid under the newest's key (tenantUid), written into parent_uid: what
 * the newest's records carry. No such parent: a uid no record has. */
static void path_filter(const request *req, const char *id_param, store_filter *f,
                        char parent_uid[PARENT_UID_LEN])
{
    const binding *b = binding_of(req);
    const entity *e = b ? b->entity : NULL;
    const operation *parent = e && e->successor ? successor_parent(req, e) : NULL;
    const binding *pb = parent ? entities_binding(req->contract->entities, parent) : NULL;
    const char *parent_key = pb ? pb->entity->successor->id_param : NULL;
    f->n = 0;
    for (size_t i = 0; i < req->route.nparams && f->n < STORE_MAX_KEYS; i++) {
        const char *name = req->route.names[i];
        if ((id_param && !strcmp(name, id_param)) ||
            (parent_key && has_param(parent->path, name)))
            continue;
        f->keys[f->n] = e ? entities_stored_name(e, name) : name;
        f->values[f->n++] = req->route.values[i];
    }
    if (!parent_key || f->n == STORE_MAX_KEYS)
        return;
    /* the parent as its own item route finds it: its id, its other keys */
    store_filter pf = {0};
    for (size_t i = 0; i < req->route.nparams && pf.n < STORE_MAX_KEYS; i++) {
        const char *name = req->route.names[i];
        if (!has_param(parent->path, name))
            continue;
        pf.keys[pf.n] = !strcmp(name, pb->id_param) && pb->entity->id_prop
                            ? entities_stored_name(pb->entity, pb->entity->id_prop)
                            : entities_stored_name(pb->entity, name);
        pf.values[pf.n++] = req->route.values[i];
    }
    char *uid = NULL;
    json_t *body = NULL;
    parent_uid[0] = 0;
    if (store_find(req->app->store, pb->entity->name, &pf, &uid, &body, NULL) == STORE_OK && uid)
        snprintf(parent_uid, PARENT_UID_LEN, "%s", uid);
    free(uid);
    json_decref(body);
    f->keys[f->n] = parent_key;
    f->values[f->n++] = parent_uid;
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

/* A listed record as an older version's entity names it (entities_view):
 * an entity kept under its successor's name also gets the path keys its
 * record was made under, which only the record's scope holds. */
static json_t *view_of(const request *req, const entity *e, json_t *item)
{
    const char *id = e->successor && e->successor->id_prop
                         ? json_string_value(json_object_get(item, e->successor->id_prop))
                         : NULL;
    json_t *body = NULL, *scope = NULL;
    if (id)
        store_get(req->app->store, e->name, id, &body, &scope);
    json_t *view = entities_view(req->contract->entities, e, item, scope);
    json_decref(body);
    json_decref(scope);
    return view;
}

/* The records of a page as values, as the client's version names them
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
            json_array_set_new(items, i, view_of(req, e, item));
        /* then the shape stage answers them in the client's version
         * (pipeline/dispatch.h) */
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
static bool compile_query(request *req, response *res, const entity *e, bool paged,
                          query_sql *where, query_sql *order, char *index, size_t indexlen)
{
    index[0] = 0;
    const schema_ctx *ctx = &req->contract->schemas;
    const char *filter = paged ? request_query(req, "filter") : NULL;
    const char *sort = paged ? request_query(req, "sort") : NULL;
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

static void handle_list(request *req, response *res, const binding *b)
{
    if (!handlers_parents_seen(req, res))
        return;
    store_filter f;
    char parent_uid[PARENT_UID_LEN];
    path_filter(req, NULL, &f, parent_uid);
    store_tenant tenant;
    scope_tenant(&req->scope, req->app->owners, b->entity->name, &tenant);
    handlers_list(req, res, b->entity, &f, &tenant, req->op->paginated);
}

void handlers_list(request *req, response *res, const entity *e, const store_filter *f,
                   const store_tenant *tenant, bool paged)
{

    long offset = paged ? request_param_long(req, "offset", 0) : 0;
    long limit = paged ? request_param_long(req, "limit", 100) : -1;
    query_sql where, order;
    query_sql_init(&where);
    query_sql_init(&order);
    buf page;
    buf_init(&page);
    char index[32];
    if (!compile_query(req, res, e, paged, &where, &order, index, sizeof index))
        goto done;
    bool embed = wants_root(req, e);
    store_query q = {f, where.sql.data, where.args, order.sql.data, order.args,
                     index[0] ? index : NULL, embed ? e->root->name : NULL,
                     embed ? e->root_key : NULL, tenant};
    long total = 0;
    if (store_query_list(req->app->store, e->name, &q, offset, limit, &total, &page) !=
        STORE_OK) {
        error_internal(res, "The %s records could not be read.", e->name);
        goto done;
    }
    long count = total - offset;
    if (count < 0)
        count = 0;
    if (limit >= 0 && count > limit)
        count = limit;
    if (needs_values(req)) {
        json_t *items = page_values(req, e, &page);
        if (!items)
            error_internal(res, "The %s records could not be read.", e->name);
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
    store_status st = STORE_NOT_FOUND;
    if (b->by_key) {
        /* a singular sub-resource: the record carrying every path key */
        store_filter keys;
        char parent_uid[PARENT_UID_LEN];
        path_filter(req, NULL, &keys, parent_uid);
        st = store_find(req->app->store, b->entity->name, &keys, uid_out, &body, &scope);
    } else if (id) {
        st = store_get(req->app->store, b->entity->name, id, &body, &scope);
    }
    if (st == STORE_OK && b->by_key) {
        /* found by its keys above */
    } else if (st == STORE_OK) {
        *uid_out = strdup(id);
    } else if (st == STORE_NOT_FOUND && id && b->entity->id_prop) {
        /* with the other path keys: 3.5.1's site resource is the tenant of
         * that company on that site, and a site has many */
        store_filter by_id;
        char parent_uid[PARENT_UID_LEN];
        path_filter(req, b->id_param, &by_id, parent_uid);
        if (by_id.n < STORE_MAX_KEYS) {
            by_id.keys[by_id.n] = entities_stored_name(b->entity, b->entity->id_prop);
            by_id.values[by_id.n++] = id;
        }
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
        handlers_not_found(res, b->entity, id);
        return NULL;
    }
    /* the other path keys must be the record's too — already so for a
     * record found by them */
    store_filter f = {.n = 0};
    char parent_uid[PARENT_UID_LEN];
    if (!b->by_key)
        path_filter(req, b->id_param, &f, parent_uid);
    for (size_t i = 0; i < f.n; i++) {
        const char *have = json_string_value(json_object_get(body, f.keys[i]));
        if (!have)
            have = json_string_value(json_object_get(scope, f.keys[i]));
        if (have && strcasecmp(have, f.values[i])) {
            json_decref(body);
            body = NULL;
            free(*uid_out);
            *uid_out = NULL;
            handlers_not_found(res, b->entity, id);
            break;
        }
    }
    if (body && older_client(req)) { /* records have the newest shape */
        json_t *view = entities_view(req->contract->entities, b->entity, body, scope);
        json_decref(body);
        body = view;
    }
    json_decref(scope);
    /* a write validates the record in the client's version; a read is
     * answered in it by the shape stage (pipeline/dispatch.h) */
    if (body && older_client(req) && b->kind != BIND_GET) {
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
    json_t *root = new_record_build(req->app->invariants, m, e->root, req->json_body, NULL,
                                    rng_mix(1, uid));
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
 * schema allows it, the caller's own organization where it names one
 * (and, for a caller below the provider, where the caller's organization
 * is such a record even if null is allowed).
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
            /* below the provider, a record left without its organization
             * would be the provider's, outside the caller's scope (a 403):
             * it is the caller's own, as a reseller's new subscription plan
             * is the reseller's in VSPC */
            bool mine = req->scope.kind != SCOPE_PROVIDER && req->scope.org[0] &&
                        owner_rules_self(req->app->owners, target->name) &&
                        handlers_seen(req, target->name, req->scope.org) != SEEN_NONE;
            if (mine) {
                json_object_set_new(record, key, json_string(req->scope.org));
            } else if (schema_is_nullable(&req->contract->schemas, prop)) {
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

/* A client's input to an older version's entity under the names of its
 * successor's records (a new value). */
static json_t *input_for_successor(const entity *e, const json_t *input)
{
    json_t *out = json_is_object(input) ? json_copy((json_t *)input) : json_incref((json_t *)input);
    const char *mine;
    const json_t *theirs;
    json_object_foreach((json_t *)e->renames, mine, theirs) {
        json_t *value = json_object_get(out, mine);
        if (value && json_is_string(theirs)) {
            json_object_set(out, json_string_value(theirs), value);
            json_object_del(out, mine);
        }
    }
    return out;
}

static void handle_create(request *req, response *res, const binding *b)
{
    const entity *e = b->entity;
    char uid[UUID_STR_LEN];
    if (!uuid_random(uid)) {
        error_internal(res, "No random UID could be drawn.");
        return;
    }
    /* an older version's entity kept under its successor's name makes the
     * successor's record (entities.h), in the newest shape */
    const entity *made = e->successor ? e->successor : e;
    json_t *input = e->successor ? input_for_successor(e, req->json_body)
                                 : json_incref(req->json_body);
    json_t *record = new_record_build(req->app->invariants,
                                      e->successor ? req->app->contracts.latest->entities
                                                   : req->contract->entities,
                                      made, input, e->successor ? NULL : req->op->body_schema,
                                      rng_mix(0, uid));
    json_decref(input);
    if (!record) {
        error_internal(res, "The %s could not be created.", e->name);
        return;
    }
    if (made->id_prop)
        json_object_set_new(record, made->id_prop, json_string(uid));
    /* path keys of a nested create ("/companies/{companyUid}/locations") */
    json_t *scope = json_object();
    for (size_t i = 0; i < req->route.nparams; i++) {
        const char *k = entities_stored_name(e, req->route.names[i]), *v = req->route.values[i];
        if (json_is_string(json_object_get(record, k)))
            json_object_set_new(record, k, json_string(v));
        else
            json_object_set_new(scope, k, json_string(v));
    }
    /* and the parent an older version's path names by several keys */
    store_filter keys;
    char parent_uid[PARENT_UID_LEN];
    path_filter(req, NULL, &keys, parent_uid);
    for (size_t i = 0; e->successor && i < keys.n; i++)
        if (!request_path_param(req, keys.keys[i]))
            json_object_set_new(json_is_string(json_object_get(record, keys.keys[i])) ? record
                                                                                     : scope,
                                keys.keys[i], json_string(keys.values[i]));
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
    if (put == STORE_OK && e->successor) { /* answered in the client's version */
        json_t *view = entities_view(req->contract->entities, e, record, scope);
        json_decref(record);
        record = conform_value(&req->contract->schemas, e->schema, view, 0);
        json_decref(view);
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

/* Writes record, changed from before, as uid's stored record. A client of
 * the newest version writes it as it is; an older one read a view in its
 * version (entities_view, conform_value), so only what it changed goes
 * into the stored record, under the newest's names: the view's renames and
 * filled-in values never overwrite the newest shape. */
static store_status write_change(request *req, const binding *b, const char *uid,
                                 const json_t *before, json_t *record)
{
    if (!older_client(req))
        return store_update(req->app->store, b->entity->name, uid, record);
    json_t *stored = NULL;
    store_status st = store_get(req->app->store, b->entity->name, uid, &stored, NULL);
    if (st == STORE_OK && json_is_object(stored) && json_is_object(record)) {
        entities_apply_change(b->entity, before, record, stored);
        st = store_update(req->app->store, b->entity->name, uid, stored);
    } else if (st == STORE_OK) {
        st = store_update(req->app->store, b->entity->name, uid, record);
    }
    json_decref(stored);
    return st;
}

/* Stores the changed record (consumed; before: as it was read) and answers
 * it; unique names are checked first (409). */
static void save_and_answer(request *req, response *res, const binding *b, const char *uid,
                            const json_t *before, json_t *record)
{
    if (!check_unique(req, res, b->entity, record, uid)) {
        json_decref(record);
        return;
    }
    if (write_change(req, b, uid, before, record) != STORE_OK) {
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
    /* a reference the patch removed moves the record too (to where its
     * other references say): its owner is derived again below */
    json_object_foreach(record, key, value)
        if (!json_object_get(patched, key))
            json_object_set_new(changed, key, json_null());
    bool held = references_hold(req, res, b->entity, changed, patched, false);
    bool moved = false;
    size_t i;
    const json_t *k;
    json_array_foreach(owner_rules_checked(req->app->owners), i, k)
        moved = moved || json_object_get(changed, json_string_value(k));
    json_decref(changed);
    if (!held) {
        json_decref(record);
        json_decref(patched);
        return;
    }
    save_and_answer(req, res, b, uid, record, patched);
    json_decref(record);
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
    save_and_answer(req, res, b, uid, before, record);
    json_decref(before);
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
    bool users_removed = false;
    json_array_foreach(cascade, i, dep) {
        const char *type = json_string_value(json_array_get(dep, 0));
        const char *key = json_string_value(json_array_get(dep, 1));
        ok = ok && type && key && store_delete_where(st, type, key, uid, NULL) == STORE_OK;
        users_removed = users_removed || (type && !strcmp(type, "User"));
    }
    if (!ok || !store_commit(st)) {
        store_rollback(st);
        error_internal(res, "The %s could not be deleted.", b->entity->name);
        return;
    }
    /* a user removed with its company cannot sign in, nor use a token it
     * was given; its secrets are not kept */
    if (users_removed && auth_forget_removed(req->app->auth) < 0)
        log_error("accounts: the secrets of users removed with %s %s could not be dropped",
                  b->entity->name, uid);
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
    json_t *before = json_incref(record);
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
    bool stored = !changed || write_change(req, b, uid, before, record) == STORE_OK;
    json_decref(before);
    json_decref(record);
    if (!stored) {
        error_internal(res, "The %s could not be stored.", b->entity->name);
        return;
    }
    /* a job's start/stop/retry acts at once: its session opens or ends */
    sim_on_action(req->app->sim, b->entity->name, uid, b->action);
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

/* Whether the singular sub-resource b addresses has no record (VSPC makes
 * one with its parent; the world holds some: the others are answered by
 * the contract-driven handler, as before they were stored). */
static bool singular_missing(request *req, const binding *b)
{
    if (!b->by_key)
        return false;
    store_filter keys;
    char parent_uid[PARENT_UID_LEN];
    path_filter(req, NULL, &keys, parent_uid);
    char *uid = NULL;
    json_t *body = NULL;
    store_status st = store_find(req->app->store, b->entity->name, &keys, &uid, &body, NULL);
    free(uid);
    json_decref(body);
    return st == STORE_NOT_FOUND;
}

void handle_store(request *req, response *res)
{
    const binding *b = binding_of(req);
    if (b && singular_missing(req, b)) {
        handle_generic(req, res);
        return;
    }
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
