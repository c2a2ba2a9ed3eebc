/* owners.c — see owners.h. The SQL lives here, beside the rules it runs:
 * each statement updates the owner columns of the records it matches, and
 * every one of them can be narrowed to one record (" AND r.type = ? AND
 * r.uid = ?"), so that a whole world and a single create use the same
 * rules. */
#include "tenancy/owners.h"
#include "base/json_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json_file.h"
#include "base/log.h"

/* Rounds of inheritance at most: each resolves one more link of a chain
 * (an object -> its job -> its backup server -> the company); the longest
 * chain of the contract's references is far shorter. */
#define MAX_ROUNDS 8

typedef struct owner_key {
    char *name;   /* property or path key, e.g. "backupServerUid" */
    char *path;   /* "$.backupServerUid" */
    char *target; /* the entity it names */
    char *types;  /* JSON array text: the types that have the key (a property
                   * of their schema or a path key of their lists) */
} owner_key;

struct owner_rules {
    json_t *doc;        /* tenancy.json */
    char *self, *locations, *shared; /* JSON arrays as text, for json_each(?) */
    owner_key *keys;
    size_t nkeys;
    const char *provider_type, *provider_property, *provider_value;
    const char *reseller_type, *company_type, *company_reseller;
    /* subtenants: the type, the keys naming one, the agents they own
     * (found through the backups whose source they are) and the keys
     * naming an agent; and the records that tie a user to its subtenant */
    const char *sub_type, *agent_type, *backup_type, *backup_source, *sub_user_type, *sub_user_key;
    char *sub_keys, *agent_keys; /* JSON arrays as text */
};

static char *array_text(const json_t *doc, const char *name)
{
    const json_t *a = json_object_get(doc, name);
    return json_dumps(json_is_array(a) ? a : json_array(), JSON_COMPACT);
}

static const char *text_at(const json_t *doc, const char *obj, const char *key)
{
    const json_t *o = obj ? json_object_get(doc, obj) : doc;
    return json_string_value(key ? json_object_get(o, key) : o);
}

/* The path keys of the routes listing each entity of m: entity name ->
 * {key: true}. Made once, so that a key is looked up, not searched for in
 * every operation (53 keys x 232 entities x 940 operations was a tenth
 * of a second of every start). */
static json_t *list_keys_of(const entity_model *m)
{
    json_t *out = json_object();
    for (size_t k = 0; out && k < m->contract->nops; k++) {
        const binding *b = &m->bindings[k];
        if (b->kind != BIND_LIST || !b->entity)
            continue;
        const operation *op = &m->contract->ops[k];
        json_t *keys = json_object_get(out, b->entity->name);
        if (!keys) {
            keys = json_object();
            json_object_set_new(out, b->entity->name, keys);
        }
        for (size_t j = 0; keys && j < op->nparams; j++)
            if (op->params[j].in == PARAM_PATH)
                json_object_set_new(keys, op->params[j].name, json_true());
    }
    return out;
}

/* The types of every model that can carry key (a property of their schema
 * or a path key of their lists), less shared and self ones. */
static char *types_with(const entity_model *const *models, json_t *const *list_keys,
                        size_t nmodels, const json_t *doc, const char *key)
{
    json_t *types = json_array();
    json_t *seen = json_object();
    for (size_t i = 0; types && seen && i < nmodels; i++) {
        const entity_model *m = models[i];
        for (size_t k = 0; k < m->count; k++) {
            const entity *e = &m->entities[k];
            /* a type the newest version has is stored in its shape: the
             * older versions add only the types it dropped */
            if (json_object_get(seen, e->name) || (i > 0 && entities_find(models[0], e->name)) ||
                (!json_object_get(json_object_get(list_keys[i], e->name), key) &&
                 !schema_property(&m->contract->schemas, e->schema, key)) ||
                json_list_has(json_object_get(doc, "shared"), e->name) ||
                json_list_has(json_object_get(doc, "self"), e->name))
                continue;
            json_object_set_new(seen, e->name, json_true());
            json_array_append_new(types, json_string(e->name));
        }
    }
    char *text = types ? json_dumps(types, JSON_COMPACT) : NULL;
    json_decref(types);
    json_decref(seen);
    return text;
}

owner_rules *owner_rules_load(const char *schema_dir, const entity_model *const *models,
                              size_t nmodels, char *err, size_t errlen)
{
    const entity_model *m = models[0];
    json_t *doc = json_file_load_in(schema_dir, "tenancy.json", JSON_REJECT_DUPLICATES, err,
                                    errlen);
    if (!doc)
        return NULL;
    owner_rules *r = calloc(1, sizeof *r);
    const json_t *keys = json_object_get(doc, "keys");
    if (!r || !json_is_array(keys)) {
        snprintf(err, errlen, "tenancy.json: %s",
                 r ? "\"keys\" must be an array" : "out of memory");
        free(r);
        json_decref(doc);
        return NULL;
    }
    r->doc = doc;
    r->self = array_text(doc, "self");
    r->locations = array_text(doc, "locations");
    r->shared = array_text(doc, "shared");
    r->provider_type = text_at(doc, "provider", "type");
    r->provider_property = text_at(doc, "provider", "property");
    r->provider_value = text_at(doc, "provider", "value");
    r->reseller_type = text_at(doc, NULL, "resellers");
    r->company_type = text_at(doc, "companies", "type");
    r->company_reseller = text_at(doc, "companies", "reseller");
    const json_t *subs = json_object_get(doc, "subtenants");
    r->sub_type = text_at(subs, NULL, "type");
    r->agent_type = text_at(subs, "agents", "type");
    r->backup_type = text_at(subs, "agents", "backups");
    r->backup_source = text_at(subs, "agents", "source");
    r->sub_user_type = text_at(subs, "users", "type");
    r->sub_user_key = text_at(subs, "users", "key");
    r->sub_keys = array_text(subs, "keys");
    r->agent_keys = array_text(subs, "agentKeys");
    r->keys = calloc(json_array_size(keys) + 1, sizeof *r->keys);
    const json_t *refs = json_object_get(doc, "references");
    json_t *list_keys[CONTRACT_MAX_VERSIONS] = {0};
    for (size_t v = 0; v < nmodels && v < CONTRACT_MAX_VERSIONS; v++)
        list_keys[v] = list_keys_of(models[v]);
    if (nmodels > CONTRACT_MAX_VERSIONS)
        nmodels = CONTRACT_MAX_VERSIONS;
    size_t i;
    const json_t *k;
    json_array_foreach(keys, i, k) {
        const char *name = json_string_value(k);
        if (!name)
            continue;
        const char *target = json_string_value(json_object_get(refs, name));
        const entity *e = target ? entities_find(m, target) : entities_for_key(m, name);
        if (!e) {
            /* a key of an older version, or one no entity answers to */
            log_debug("tenancy: key %s names no entity of %s", name, m->contract->version);
            continue;
        }
        owner_key *ok = &r->keys[r->nkeys++];
        ok->name = strdup(name);
        ok->target = strdup(e->name);
        ok->types = types_with(models, list_keys, nmodels, doc, name);
        size_t n = strlen(name) + 3;
        ok->path = malloc(n);
        if (ok->path)
            snprintf(ok->path, n, "$.%s", name);
    }
    for (size_t v = 0; v < nmodels; v++)
        json_decref(list_keys[v]);
    bool complete = r->self && r->locations && r->shared && r->keys;
    for (size_t j = 0; complete && j < r->nkeys; j++)
        complete = r->keys[j].name && r->keys[j].target && r->keys[j].path && r->keys[j].types;
    complete = complete && r->sub_keys && r->agent_keys;
    if (!complete || !r->provider_type || !r->provider_property || !r->provider_value ||
        !r->reseller_type || !r->company_type || !r->company_reseller ||
        !owner_rules_location_type(r) || !r->sub_type || !r->agent_type || !r->backup_type ||
        !r->backup_source || !r->sub_user_type || !r->sub_user_key) {
        snprintf(err, errlen, "tenancy.json: %s",
                 complete ? "provider, resellers, companies, subtenants (type, agents, users)"
                            " and a locations type must be given"
                          : "out of memory");
        owner_rules_free(r);
        return NULL;
    }
    return r;
}

void owner_rules_free(owner_rules *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nkeys; i++) {
        free(r->keys[i].name);
        free(r->keys[i].path);
        free(r->keys[i].target);
        free(r->keys[i].types);
    }
    free(r->keys);
    free(r->self);
    free(r->locations);
    free(r->shared);
    free(r->sub_keys);
    free(r->agent_keys);
    json_decref(r->doc);
    free(r);
}

bool owner_rules_shared(const owner_rules *r, const char *type)
{
    return json_list_has(json_object_get(r->doc, "shared"), type);
}

bool owner_rules_location(const owner_rules *r, const char *type)
{
    return json_list_has(json_object_get(r->doc, "locations"), type);
}

const char *owner_rules_org_type(const owner_rules *r) { return r->provider_type; }

const char *owner_rules_location_type(const owner_rules *r)
{
    return json_string_value(json_array_get(json_object_get(r->doc, "locations"), 0));
}

const json_t *owner_rules_checked(const owner_rules *r)
{
    return json_object_get(json_object_get(r->doc, "checked"), "keys");
}

bool owner_rules_self(const owner_rules *r, const char *type)
{
    return json_list_has(json_object_get(r->doc, "self"), type);
}

void owner_rules_provider(const owner_rules *r, store *st, char *out)
{
    out[0] = 0;
    char path[160];
    snprintf(path, sizeof path, "$.%s", r->provider_property);
    json_t *args = json_pack("[sss]", r->provider_type, path, r->provider_value), *rows = NULL;
    if (args && store_exec(st, "SELECT uid FROM records WHERE type = ? AND json_extract(body, ?) = ?"
                               " ORDER BY seq LIMIT 1",
                           args, 1, &rows, NULL) == STORE_OK) {
        const char *uid = json_string_value(json_array_get(json_array_get(rows, 0), 0));
        if (uid && strlen(uid) < STORE_OWNER_LEN)
            strcpy(out, uid);
    }
    json_decref(args);
    json_decref(rows);
}

const char *owner_rules_subtenant_user_type(const owner_rules *r) { return r->sub_user_type; }
const char *owner_rules_subtenant_type(const owner_rules *r) { return r->sub_type; }
const char *owner_rules_subtenant_user_key(const owner_rules *r) { return r->sub_user_key; }

const char *owner_rules_caller(const owner_rules *r, const char *role)
{
    const char *name;
    json_t *roles;
    json_object_foreach(json_object_get(r->doc, "callers"), name, roles)
        if (json_is_array(roles) && json_list_has(roles, role))
            return name;
    return NULL;
}

/* --- the statements ------------------------------------------------------ */

/* Runs sql (+ the one-record narrowing when type is given) with args;
 * *changed receives the rows changed. */
static bool run(store *st, const char *sql, json_t *args, const char *type, const char *uid,
                long *changed)
{
    char text[1024];
    snprintf(text, sizeof text, "%s%s", sql, type ? " AND r.type = ? AND r.uid = ?" : "");
    if (type) {
        json_array_append_new(args, json_string(type));
        json_array_append_new(args, json_string(uid));
    }
    long n = 0;
    bool ok = args && store_exec_owners(st, text, args, &n) == STORE_OK;
    json_decref(args);
    if (changed)
        *changed = n;
    return ok;
}

/* Self-owned types and locations. */
/* The types that carry locationUid (the key's), "[]" when none. */
static const char *location_carriers(const owner_rules *r)
{
    for (size_t i = 0; i < r->nkeys; i++)
        if (!strcmp(r->keys[i].name, "locationUid"))
            return r->keys[i].types;
    return "[]";
}

/* Organizations own themselves, and their reseller column is set with it
 * (a reseller is its own; a company's is its resellerUid), so that what
 * inherits from them takes both in one write: every rewrite of a row is a
 * rewrite of its whole body. */
static bool derive_self(store *st, const owner_rules *r, const char *type, const char *uid)
{
    char company_path[160];
    snprintf(company_path, sizeof company_path, "$.%s", r->company_reseller);
    return run(st,
               "UPDATE records AS r SET org = r.uid, reseller = CASE WHEN EXISTS"
               " (SELECT 1 FROM records AS x WHERE x.type = ? AND x.uid = r.uid) THEN r.uid"
               " ELSE (SELECT json_extract(c.body, ?) FROM records AS c WHERE c.type = ?"
               " AND c.uid = r.uid) END WHERE r.org IS NULL"
               " AND r.type IN (SELECT value FROM json_each(?))",
               json_pack("[ssss]", r->reseller_type, company_path, r->company_type, r->self), type,
               uid, NULL) &&
           run(st,
               "UPDATE records AS r SET loc = r.uid WHERE r.loc IS NULL"
               " AND r.type IN (SELECT value FROM json_each(?))",
               json_pack("[s]", r->locations), type, uid, NULL) &&
           /* bound to a location by its locationUid (body or path key) */
           (!strcmp(location_carriers(r), "[]") ||
            run(st,
                "UPDATE records AS r SET loc = l.uid FROM records AS l WHERE r.loc IS NULL"
                " AND r.type IN (SELECT value FROM json_each(?))"
                " AND l.type IN (SELECT value FROM json_each(?))"
                " AND l.uid = coalesce(json_extract(r.body, '$.locationUid'),"
                " json_extract(r.scope, '$.locationUid'))",
                json_pack("[ss]", location_carriers(r), r->locations), type, uid, NULL));
}

/* Inheritance through one key: org (and loc, if the record has none) of
 * the record the key names, where that one has an owner. */
static bool inherit(store *st, const owner_key *k, const char *type,
                    const char *uid, long *changed)
{
    return run(st,
               "UPDATE records AS r SET org = x.org, reseller = x.reseller,"
               " loc = coalesce(r.loc, x.loc), sub = coalesce(r.sub, x.sub)"
               " FROM records AS x WHERE r.org IS NULL"
               " AND r.type IN (SELECT value FROM json_each(?))"
               " AND x.type = ? AND x.org IS NOT NULL"
               " AND x.uid = coalesce(json_extract(r.body, ?), json_extract(r.scope, ?))",
               json_pack("[ssss]", k->types, k->target, k->path, k->path), type, uid, changed);
}

/* column ("loc" or "sub", ours) of the records that carry key_name, from
 * the record it names, where they have none yet. */
static bool bind_through(store *st, const owner_rules *r, const char *column,
                         const char *key_name, const char *type, const char *uid)
{
    const owner_key *k = NULL;
    for (size_t i = 0; !k && key_name && i < r->nkeys; i++)
        if (!strcmp(r->keys[i].name, key_name))
            k = &r->keys[i];
    if (!k || !strcmp(k->types, "[]"))
        return true; /* no type carries it */
    const char *col = !strcmp(column, "loc") ? "loc" : "sub";
    char sql[512];
    snprintf(sql, sizeof sql,
             "UPDATE records AS r SET %s = x.%s FROM records AS x WHERE r.%s IS NULL"
             " AND r.type IN (SELECT value FROM json_each(?)) AND x.type = ?"
             " AND x.%s IS NOT NULL AND x.org IS r.org"
             " AND x.uid = coalesce(json_extract(r.body, ?), json_extract(r.scope, ?))",
             col, col, col, col);
    return run(st, sql, json_pack("[ssss]", k->types, k->target, k->path, k->path), type, uid,
               NULL);
}

/* column through every key of the JSON array keys, in order. */
static bool bind_all(store *st, const owner_rules *r, const char *column, const json_t *keys,
                     const char *type, const char *uid)
{
    bool ok = true;
    size_t i;
    const json_t *k;
    json_array_foreach(keys, i, k) ok = ok && bind_through(st, r, column, json_string_value(k),
                                                            type, uid);
    return ok;
}

/* The location a record is bound to: only one of its own organization's;
 * through what it names (an agent is where its management agent is); and
 * the subtenant column, within the organization too: a subtenant
 * is its own; a record naming one (subTenantUid) is its; an agent is the
 * subtenant's whose backups it is the source of; a record naming such an
 * agent (backupAgentUid) is the agent's subtenant's. The agent link points
 * the other way (the backup names the agent), hence its own statement. */
static bool derive_bindings(store *st, const owner_rules *r, const char *type, const char *uid)
{
    const json_t *subs = json_object_get(r->doc, "subtenants");
    char source[160];
    snprintf(source, sizeof source, "$.%s", r->backup_source);
    /* a reference to another organization's location binds to none (the
     * generated world's references are drawn from every location) */
    return run(st,
               "UPDATE records AS r SET loc = NULL WHERE r.loc IS NOT NULL"
               " AND r.type NOT IN (SELECT value FROM json_each(?1)) AND NOT EXISTS"
               " (SELECT 1 FROM records AS l WHERE l.type IN (SELECT value FROM json_each(?1))"
               " AND l.uid = r.loc AND l.org IS r.org)",
               json_pack("[s]", r->locations), type, uid, NULL) &&
           bind_all(st, r, "loc", json_object_get(r->doc, "locationBindings"), type, uid) &&
           run(st, "UPDATE records AS r SET sub = r.uid WHERE r.sub IS NULL AND r.type = ?",
               json_pack("[s]", r->sub_type), type, uid, NULL) &&
           bind_all(st, r, "sub", json_object_get(subs, "keys"), type, uid) &&
           run(st,
               "UPDATE records AS r SET sub = b.sub FROM (SELECT json_extract(body, ?) AS agent,"
               " sub, org FROM records WHERE type = ? AND sub IS NOT NULL) AS b"
               " WHERE r.sub IS NULL AND r.type = ? AND r.uid = b.agent AND r.org IS b.org",
               json_pack("[sss]", source, r->backup_type, r->agent_type), type, uid, NULL) &&
           bind_all(st, r, "sub", json_object_get(subs, "agentKeys"), type, uid);
}

/* What no rule reached belongs to the provider; then the reseller column. */
static bool derive_rest(store *st, const owner_rules *r, const char *type, const char *uid)
{
    char company_path[160];
    snprintf(company_path, sizeof company_path, "$.%s", r->company_reseller);
    /* the provider's UID looked up once, not by a subquery per record */
    char provider[STORE_OWNER_LEN];
    owner_rules_provider(r, st, provider);
    return (!provider[0] ||
            run(st,
                "UPDATE records AS r SET org = ? WHERE r.org IS NULL"
                " AND r.type NOT IN (SELECT value FROM json_each(?))",
                json_pack("[ss]", provider, r->shared), type, uid, NULL)) &&
           run(st,
               "UPDATE records AS r SET reseller = r.org WHERE r.reseller IS NULL"
               " AND r.org IN (SELECT x.uid FROM records AS x WHERE x.type = ?)",
               json_pack("[s]", r->reseller_type), type, uid, NULL) &&
           run(st,
               "UPDATE records AS r SET reseller = json_extract(c.body, ?) FROM records AS c"
               " WHERE r.reseller IS NULL AND c.type = ? AND c.uid = r.org"
               " AND json_extract(c.body, ?) IS NOT NULL",
               json_pack("[sss]", company_path, r->company_type, company_path), type, uid, NULL);
}

bool owners_derive_all(store *st, const owner_rules *r, bool reset)
{
    if (reset && store_exec_owners(st,
                                   "UPDATE records SET org = NULL, reseller = NULL, loc = NULL,"
                                   " sub = NULL",
                                   NULL, NULL) != STORE_OK)
        return false;
    bool ok = store_begin(st) && derive_self(st, r, NULL, NULL);
    long changed = 1;
    for (int round = 0; ok && changed > 0 && round < MAX_ROUNDS; round++) {
        changed = 0;
        for (size_t i = 0; ok && i < r->nkeys; i++) {
            long n = 0;
            if (!strcmp(r->keys[i].types, "[]"))
                continue; /* no type carries it */
            ok = inherit(st, &r->keys[i], NULL, NULL, &n);
            changed += n;
        }
    }
    ok = ok && derive_rest(st, r, NULL, NULL) && derive_bindings(st, r, NULL, NULL) &&
         store_set_owners_derived(st);
    if (ok)
        return store_commit(st);
    store_rollback(st);
    return false;
}

bool owners_derive_one(store *st, const owner_rules *r, const char *type, const char *uid)
{
    json_t *body = NULL, *scope = NULL;
    if (store_get(st, type, uid, &body, &scope) != STORE_OK)
        return false;
    bool ok = derive_self(st, r, type, uid);
    /* the first key the record has that names a record with an owner */
    for (size_t i = 0; ok && i < r->nkeys; i++) {
        const char *name = r->keys[i].name;
        if (!json_is_string(json_object_get(body, name)) &&
            !json_is_string(json_object_get(scope, name)))
            continue;
        long n = 0;
        ok = inherit(st, &r->keys[i], type, uid, &n);
        if (n > 0)
            break;
    }
    json_decref(body);
    json_decref(scope);
    return ok && derive_rest(st, r, type, uid) && derive_bindings(st, r, type, uid);
}

bool owners_rederive_one(store *st, const owner_rules *r, const char *type, const char *uid)
{
    if (json_list_has(json_object_get(r->doc, "self"), type)) {
        /* an organization keeps itself; a company's reseller may move */
        bool ok = run(st, "UPDATE records AS r SET reseller = NULL WHERE 1",
                      json_array(), type, uid, NULL) &&
                  derive_rest(st, r, type, uid);
        return ok && (strcmp(type, r->company_type) || owners_company_moved(st, r, uid));
    }
    return run(st,
               "UPDATE records AS r SET org = NULL, reseller = NULL, loc = NULL, sub = NULL"
               " WHERE 1",
               json_array(), type, uid, NULL) &&
           owners_derive_one(st, r, type, uid);
}

bool owners_company_moved(store *st, const owner_rules *r, const char *company_uid)
{
    char path[160];
    snprintf(path, sizeof path, "$.%s", r->company_reseller);
    json_t *args = json_pack("[sss]", path, r->company_type, company_uid);
    bool ok = args && store_exec_owners(st,
                                        "UPDATE records SET reseller = (SELECT json_extract(c.body,"
                                        " ?1) FROM records AS c WHERE c.type = ?2 AND c.uid = ?3)"
                                        " WHERE org = ?3",
                                        args, NULL) == STORE_OK;
    json_decref(args);
    return ok;
}
