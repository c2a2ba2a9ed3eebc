/* world.c — see world.h. */
#include "world/world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/json_pointer.h"
#include "contract/conform.h"
#include "contract/entity_links.h"
#include "contract/generate.h"
#include "store/records.h"
#include "world/fixtures.h"
#include "world/world_links.h"
#include "base/rng.h"
#include "base/uuid.h"

/* How many records each entity gets, and whose UIDs they share. */
typedef struct plan_row {
    const entity *root;   /* perspective root, or NULL */
    long count;           /* records of this entity */
    long total;           /* UIDs drawn from this entity: own + perspectives' */
    long base;            /* perspectives: first index into the root's UIDs */
    json_t *uids;         /* owned: the UIDs, own then perspectives' (roots) */
    const json_t *fixtures; /* the fixture records of this entity (borrowed) */
    json_t *own_fixtures; /* owned: roots: fixtures not of a perspective's UID */
    json_t *links;        /* owned: sameAs/derived rows, one per record, or NULL */
    json_t *refs;         /* owned: the ids references take when they are not
                           * the UIDs (a reseller's site resource: its siteUid) */
} plan_row;

typedef struct plan {
    const entity_model *m;
    const world_options *o;
    plan_row *rows;       /* one per entity, same order as m->entities */
    json_t *taken;        /* "Type.prop=value" of the mapping's unique values */
    json_t *parents;      /* "Type.key" -> [parent types] (entities_for_member,
                           * asked once per type and member, not per record) */
} plan;

static size_t index_of(const entity_model *m, const entity *e) { return (size_t)(e - m->entities); }


/* The property type of e's id: "uuid", "integer" or "string". */
static const char *id_kind(const entity_model *m, const entity *e)
{
    if (!e->id_prop)
        return "uuid";
    const schema_ctx *ctx = &m->contract->schemas;
    const json_t *ps = schema_resolve(ctx, schema_property(ctx, e->schema, e->id_prop));
    const char *type = schema_type(ctx, ps);
    const char *format = json_string_value(json_object_get(ps, "format"));
    if (type && !strcmp(type, "integer"))
        return "integer";
    if (type && !strcmp(type, "string") && !(format && !strcmp(format, "uuid")))
        return "string";
    return "uuid";
}

/* UID text of index i among the UIDs drawn from entity e (e not a
 * perspective), when no fixture gives one. */
static void uid_text(const plan *p, const entity *e, long i, char *out, size_t len)
{
    const char *kind = id_kind(p->m, e);
    if (!strcmp(kind, "integer")) {
        snprintf(out, len, "%ld", i + 1);
    } else if (!strcmp(kind, "string")) {
        snprintf(out, len, "%s-%ld", e->name, i + 1);
    } else {
        char u[UUID_STR_LEN];
        uuid_from_seed(rng_mix_u64(rng_mix(p->o->seed, e->name), (uint64_t)i), u);
        snprintf(out, len, "%s", u);
    }
}

/* The id a fixture record gives, as text, or NULL. */
static const char *fixture_id(const entity *e, const json_t *fixture, char *buf, size_t len)
{
    const json_t *id = e->id_prop ? json_object_get(fixture, e->id_prop) : NULL;
    if (json_is_string(id))
        return json_string_value(id);
    if (json_is_integer(id)) {
        snprintf(buf, len, "%lld", (long long)json_integer_value(id));
        return buf;
    }
    return NULL;
}

/* How many records e gets: the company count for the mapping's
 * world.companies type, its world.counts, companies x agentsPerCompany for
 * its world.perCompany types, else the default; never fewer than its
 * fixtures. */
static long count_for(const entity_model *m, const entity *e, const world_options *o,
                      const json_t *fixtures)
{
    const json_t *world = json_object_get(m->mapping, "world");
    const json_t *fixed = json_object_get(json_object_get(world, "counts"), e->name);
    long n = o->per_entity;
    const char *scaled = json_string_value(json_object_get(world, "companies"));
    if (scaled && !strcmp(e->name, scaled))
        n = o->companies;
    else if (json_is_integer(fixed))
        n = (long)json_integer_value(fixed);
    size_t i;
    const json_t *name;
    json_array_foreach(json_object_get(world, "perCompany"), i, name)
        if (o->agents_per_company > 0 && !strcmp(json_string_value(name), e->name))
            n = o->companies * o->agents_per_company;
    return n > (long)json_array_size(fixtures) ? n : (long)json_array_size(fixtures);
}

/* Appends the UID of record i of e (fixture's, else drawn) to e's row. */
static void add_uid(plan *p, const entity *e, const json_t *fixture, const entity *drawn_from,
                    long drawn_index, json_t *to)
{
    char buf[128], uid[128];
    const char *id = fixture ? fixture_id(e, fixture, buf, sizeof buf) : NULL;
    if (!id) {
        uid_text(p, drawn_from, drawn_index, uid, sizeof uid);
        id = uid;
    }
    json_array_append_new(to, json_string(id));
}

static void plan_free(plan *p)
{
    for (size_t i = 0; p->rows && i < p->m->count; i++) {
        json_decref(p->rows[i].uids);
        json_decref(p->rows[i].own_fixtures);
        json_decref(p->rows[i].links);
        json_decref(p->rows[i].refs);
    }
    free(p->rows);
    json_decref(p->taken);
    json_decref(p->parents);
}

/* The records of t the world builds (a root's include its perspectives'). */
static long records_of(void *ctx, const entity *t)
{
    const plan *p = ctx;
    const plan_row *r = &p->rows[index_of(p->m, t)];
    return r->root ? r->count : r->total;
}

/* Types whose records are other types' (the mapping's sameAs and derived,
 * world/world_links.h): their counts, and UIDs shared or drawn. */
static void plan_links(plan *p)
{
    const entity_model *m = p->m;
    json_t *uids = json_object();
    for (size_t i = 0; i < m->count; i++)
        json_object_set(uids, m->entities[i].name, p->rows[i].uids);
    for (size_t i = 0; i < m->count; i++) {
        const entity *e = &m->entities[i];
        plan_row *r = &p->rows[i];
        long derived = world_links_derived_count(m, e, records_of, p);
        json_t *rows = world_links_same_as(m, e, uids);
        if (!rows && derived < 0)
            continue;
        r->links = rows; /* derived: read from the store when built */
        r->count = r->total = rows ? (long)json_array_size(rows) : derived;
        const entity *shared = world_links_shared(m, e);
        json_array_clear(r->uids);
        if (shared) {
            json_array_extend(r->uids, p->rows[index_of(m, shared)].uids);
            continue;
        }
        if (rows && e->id_prop)
            r->refs = json_array();
        for (long n = 0; n < r->count; n++) {
            char uid[128];
            uid_text(p, e, n, uid, sizeof uid);
            json_array_append_new(r->uids, json_string(uid));
            const json_t *id =
                json_object_get(json_object_get(json_array_get(rows, (size_t)n), "body"), e->id_prop ? e->id_prop : "");
            if (r->refs)
                json_array_append_new(r->refs, id ? json_incref((json_t *)id) : json_string(uid));
        }
    }
    json_decref(uids);
}

static bool plan_make(plan *p, const entity_model *m, const world_options *o)
{
    p->m = m;
    p->o = o;
    p->rows = calloc(m->count ? m->count : 1, sizeof *p->rows);
    p->taken = json_object();
    p->parents = json_object();
    if (!p->rows || !p->taken || !p->parents) {
        plan_free(p);
        return false;
    }
    /* a root's fixtures that carry a perspective's UID belong to that one */
    json_t *perspective_ids = json_object();
    for (size_t i = 0; i < m->count; i++) {
        const entity *e = &m->entities[i];
        plan_row *r = &p->rows[i];
        r->root = e->root;
        r->fixtures = json_object_get(o->fixtures, e->name);
        r->uids = json_array();
        size_t k;
        const json_t *f;
        char buf[128];
        json_array_foreach(r->root ? r->fixtures : NULL, k, f) {
            const char *id = fixture_id(e, f, buf, sizeof buf);
            if (id)
                json_object_set_new(perspective_ids, id, json_true());
        }
    }
    for (size_t i = 0; i < m->count; i++) {
        const entity *e = &m->entities[i];
        plan_row *r = &p->rows[i];
        r->own_fixtures = json_array();
        size_t k;
        json_t *f;
        char buf[128];
        json_array_foreach((json_t *)r->fixtures, k, f) {
            const char *id = fixture_id(e, f, buf, sizeof buf);
            if (r->root || !id || !json_object_get(perspective_ids, id))
                json_array_append(r->own_fixtures, f);
        }
        r->count = count_for(m, e, o, r->own_fixtures);
        r->total = r->count;
        if (r->root)
            continue;
        for (long n = 0; n < r->count; n++) /* own records first */
            add_uid(p, e, json_array_get(r->own_fixtures, (size_t)n), e, n, r->uids);
    }
    json_decref(perspective_ids);
    /* perspectives draw their UIDs after their root's own */
    for (size_t i = 0; i < m->count; i++) {
        const entity *e = &m->entities[i];
        plan_row *r = &p->rows[i];
        if (!r->root)
            continue;
        plan_row *root = &p->rows[index_of(m, r->root)];
        r->base = root->total;
        for (long n = 0; n < r->count; n++) {
            add_uid(p, e, json_array_get(r->own_fixtures, (size_t)n), r->root, r->base + n, r->uids);
            json_array_append(root->uids, json_array_get(r->uids, (size_t)n));
        }
        root->total += r->count;
    }
    plan_links(p);
    return true;
}

/* UID of record i of entity e. */
static void record_uid(const plan *p, const entity *e, long i, char *out, size_t len)
{
    const json_t *uid = json_array_get(p->rows[index_of(p->m, e)].uids, (size_t)i);
    snprintf(out, len, "%s", uid ? json_string_value(uid) : "");
}

/* A UID for a reference to entity target, chosen by the referring record's
 * index i among `of` records: where they outnumber the target's n they
 * refer in blocks (the first of/n to the first target...), as a provider
 * onboards a reseller's companies together, so a tenant's records lie
 * together in the store (bench/cost.sh bR); otherwise the (i mod n)-th.
 * A root's UIDs include its perspectives'. */
static bool pick_ref(const plan *p, const entity *target, long i, long of, char *out, size_t len)
{
    const plan_row *r = &p->rows[index_of(p->m, target)];
    const json_t *ids = r->refs ? r->refs : r->uids;
    size_t n = json_array_size(ids);
    if (n == 0)
        return false;
    size_t at = of > (long)n && i < of ? (size_t)((double)i * (double)n / (double)of)
                                       : (size_t)i % n;
    snprintf(out, len, "%s", json_string_value(json_array_get(ids, at)));
    return true;
}

static bool pick_cb(void *ctx, const entity *target, long i, long of, char *out, size_t len)
{
    return pick_ref(ctx, target, i, of, out, len);
}

/* The fixture record i of e (own, or by UID for a root's perspective
 * records), or NULL. */
static const json_t *fixture_for(const plan *p, const entity *e, long i, const char *uid)
{
    const plan_row *r = &p->rows[index_of(p->m, e)];
    if (i < (long)json_array_size(r->own_fixtures))
        return json_array_get(r->own_fixtures, (size_t)i);
    size_t k;
    const json_t *f;
    char buf[128];
    json_array_foreach((json_t *)r->fixtures, k, f) {
        const char *id = fixture_id(e, f, buf, sizeof buf);
        if (id && !strcmp(id, uid))
            return f;
    }
    return NULL;
}

/* The entity a key refers to, never for identities. */
static const entity *referent(const plan *p, const char *key)
{
    /* asked once per member name (p->parents holds the answers too) */
    json_t *known = json_object_get(p->parents, key);
    if (!known) {
        const entity *e = entities_for_reference(p->m, key); /* never instanceUid */
        known = json_integer(e ? (json_int_t)index_of(p->m, e) : -1);
        json_object_set_new(p->parents, key, known);
    }
    json_int_t at = json_integer_value(known);
    return at < 0 ? NULL : &p->m->entities[at];
}

/* For a top-level member key of a record i of e that names its parent on
 * e's list routes: the UID of a parent, into uid. Where the key names
 * parents of several types (agents of three platforms), records take them
 * in turn, and each type's first records go to the first parents, so the
 * first parent of every type has records under it. False: key names no
 * parent (or none exists). */
static bool member_ref(const plan *p, const entity *e, const char *key, long i, long of,
                       char *uid, size_t len, bool *is_member)
{
    *is_member = false;
    if (!e)
        return false;
    char name[256];
    snprintf(name, sizeof name, "%s.%s", e->name, key);
    json_t *types = json_object_get(p->parents, name);
    if (!types) {
        types = json_array();
        size_t n = 0;
        for (size_t k = 0; k == 0 || k < n; k++) {
            const entity *t = entities_for_member(p->m, e, key, k, &n);
            if (t)
                json_array_append_new(types, json_integer((json_int_t)index_of(p->m, t)));
        }
        json_object_set_new(p->parents, name, types);
    }
    long n = (long)json_array_size(types);
    if (n == 0)
        return false;
    *is_member = true;
    const entity *t = &p->m->entities[json_integer_value(json_array_get(types, (size_t)(i % n)))];
    return pick_ref(p, t, i / n, (of + n - 1) / n, uid, len);
}

/* Points every ...Uid string that names an entity at an existing record;
 * e: the record's entity at its top (depth 0), else NULL. */
static void fill_refs(const plan *p, const entity *e, json_t *v, long i, long of,
                      const char *skip, int depth)
{
    if (depth > 32)
        return;
    if (json_is_array(v)) {
        size_t k;
        json_t *item;
        json_array_foreach(v, k, item) fill_refs(p, NULL, item, i + (long)k, of, skip, depth + 1);
        return;
    }
    const char *key;
    json_t *value;
    json_object_foreach(v, key, value) {
        if (json_is_object(value) || json_is_array(value)) {
            fill_refs(p, NULL, value, i, of, NULL, depth + 1);
            continue;
        }
        if (!json_is_string(value) || (skip && !strcmp(key, skip)))
            continue;
        char uid[128];
        bool member;
        bool found = member_ref(p, e, key, i, of, uid, sizeof uid, &member);
        const entity *target = member ? NULL : referent(p, key);
        found = found || (target && pick_ref(p, target, i, of, uid, sizeof uid));
        /* a UUID-typed reference only takes a UUID (some ids are names) */
        if (found && (!uuid_valid(json_string_value(value)) || uuid_valid(uid)))
            json_object_set_new(v, key, json_string(uid));
    }
}

/* Keys of e's list routes that its body does not carry go to its scope. */
static json_t *scope_for(const plan *p, const entity *e, const json_t *body, long i, long of)
{
    const contract *c = p->m->contract;
    json_t *scope = json_object();
    for (size_t k = 0; scope && k < c->nops; k++) {
        const binding *b = &p->m->bindings[k];
        if (b->kind != BIND_LIST || b->entity != e)
            continue;
        const operation *op = &c->ops[k];
        for (size_t j = 0; j < op->nparams; j++) {
            const char *name = op->params[j].name;
            /* a parent's key named like the record's own id (".../{instanceUid}/
             * cloudgateways") is kept in the scope, which the list's filter
             * also reads */
            bool own = e->id_prop && !strcmp(name, e->id_prop);
            if (op->params[j].in != PARAM_PATH || (json_object_get(body, name) && !own) ||
                json_object_get(scope, name))
                continue;
            char uid[128];
            bool member;
            const json_t *at = json_object_get(
                json_object_get(json_object_get(p->m->mapping, "pathMembers"), e->name), name);
            const json_t *value = json_is_string(at)
                                      ? json_pointer_get(body, json_string_value(at))
                                      : NULL;
            if (json_is_string(value)) /* "/licensing/reports/{date}": the record's own date */
                json_object_set(scope, name, (json_t *)value);
            else if (member_ref(p, e, name, i, of, uid, sizeof uid, &member))
                json_object_set_new(scope, name, json_string(uid));
        }
    }
    return scope;
}

/* The mapping's "unique" properties of e get values no other record of e
 * has: a repeated generated name is numbered ("Litware 2"). */
static void make_unique(const plan *p, const entity *e, json_t *body)
{
    const json_t *props = json_object_get(json_object_get(p->m->mapping, "unique"), e->name);
    size_t i;
    const json_t *prop;
    json_array_foreach(props, i, prop) {
        const char *name = json_string_value(prop);
        const char *value = json_string_value(json_object_get(body, name ? name : ""));
        if (!value)
            continue;
        char base[256], key[512], candidate[300];
        snprintf(base, sizeof base, "%s", value);
        snprintf(candidate, sizeof candidate, "%s", base);
        for (int n = 2;; n++) {
            snprintf(key, sizeof key, "%s.%s=%s", e->name, name, candidate);
            if (!json_object_get(p->taken, key))
                break;
            snprintf(candidate, sizeof candidate, "%s %d", base, n);
        }
        json_object_set_new(p->taken, key, json_true());
        json_object_set_new(body, name, json_string(candidate));
    }
}

/* A perspective's root record (built before it) takes its name, type...:
 * /organizations and /organizations/companies tell the same story. */
static store_status sync_root(const plan *p, store *st, const entity *e, const char *uid,
                              const json_t *body)
{
    json_t *root;
    store_status s = store_get(st, e->root->name, uid, &root, NULL);
    if (s != STORE_OK)
        return s == STORE_NOT_FOUND ? STORE_OK : s;
    records_sync_root(p->m, e, body, root);
    s = store_update(st, e->root->name, uid, root);
    json_decref(root);
    return s;
}

/* Generates and stores record i of e. */
static store_status build_record(const plan *p, store *st, const entity *e, long i, long of)
{
    const entity_model *m = p->m;
    char uid[128];
    record_uid(p, e, i, uid, sizeof uid);
    /* by UID alone: a perspective and its root (one UID) draw the same
     * persona and the same value for each property they share */
    uint64_t seed = rng_mix(p->o->seed, uid);
    json_t *body = generate_value_as(&m->contract->schemas, e->schema, NULL, e->name, seed);
    if (!body)
        return STORE_ERROR;
    if (!json_is_object(body)) { /* lists of plain values (permissions, ...) */
        store_record rec = {.type = e->name, .uid = uid, .body = body};
        store_status s = store_put(st, &rec, false);
        json_decref(body);
        return s;
    }
    if (e->id_prop)
        json_object_set_new(body, e->id_prop,
                            !strcmp(id_kind(m, e), "integer") ? json_integer(atol(uid))
                                                               : json_string(uid));
    fill_refs(p, e, body, i, of, e->id_prop, 0);
    /* a fixture's values win over generated ones */
    const json_t *fixture = fixture_for(p, e, i, uid);
    records_overlay(&m->contract->schemas, e->schema, body, fixture);
    world_links_typed(m, e, body, fixture, i, of, pick_cb, (void *)p);
    make_unique(p, e, body);
    /* references may have broken a format: mend what the schema refuses */
    json_t *valid = conform_value(&m->contract->schemas, e->schema, body, seed);
    json_decref(body);
    body = valid;
    invariants_keep(p->o->rules, body, e->name, p->o->now, seed);
    json_t *scope = scope_for(p, e, body, i, of);
    json_t *kept = json_object_get(fixture, FIXTURE_SCOPE);
    if (scope && kept)
        json_object_update(scope, kept);
    world_links_apply(json_array_get(p->rows[index_of(m, e)].links, (size_t)i), body, scope);
    /* owners are derived when the whole world stands (tenancy/owners.h) */
    store_record rec = {.type = e->name, .uid = uid, .scope = scope, .body = body};
    store_status s = store_put(st, &rec, false);
    if (s == STORE_OK && e->root)
        s = sync_root(p, st, e, uid, body);
    json_decref(scope);
    json_decref(body);
    return s;
}

bool world_build(store *st, const entity_model *m, const world_options *o, world_stats *stats,
                 char *err, size_t errlen)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const char *scaled =
        json_string_value(json_object_get(json_object_get(m->mapping, "world"), "companies"));
    if (!scaled || !entities_find(m, scaled)) {
        snprintf(err, errlen, "entities.json: world.companies must name an entity type (it is '%s')",
                 scaled ? scaled : "missing");
        return false;
    }
    plan p;
    if (!plan_make(&p, m, o)) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    world_stats s = {0};
    long expected = 0; /* for the progress: what the loop below writes */
    for (size_t k = 0; o->progress && k < m->count; k++)
        if (!m->entities[k].successor && store_count(st, m->entities[k].name) == 0)
            expected += p.rows[k].root ? p.rows[k].count : p.rows[k].total;
    bool ok = store_begin_bulk(st);
    /* roots and plain entities first, perspectives after: they update
     * their roots; types derived from others' stored records last */
    for (size_t pass = 0; ok && pass < 3 * m->count; pass++) {
        size_t k = pass % m->count, phase = pass / m->count;
        const entity *e = &m->entities[k];
        bool derived = world_links_derived_count(m, e, records_of, &p) >= 0;
        if (phase != (derived ? 2u : e->root ? 1u : 0u))
            continue;
        if (e->successor || store_count(st, e->name) > 0)
            continue; /* built from a newer version (in its shape) */
        if (derived) { /* as many as the distinct rows its sources give */
            json_decref(p.rows[k].links);
            p.rows[k].links = world_links_derived(m, st, e);
            p.rows[k].count = p.rows[k].total = (long)json_array_size(p.rows[k].links);
        }
        /* a root also gets the records its perspectives share */
        long n = p.rows[k].root ? p.rows[k].count : p.rows[k].total;
        for (long i = 0; ok && i < n; i++) {
            store_status r = build_record(&p, st, e, i, n);
            if (r != STORE_OK) {
                snprintf(err, errlen, "cannot store %s #%ld: %s", e->name, i,
                         r == STORE_CONFLICT ? "duplicate id" : store_errmsg(st));
                ok = false;
            }
            s.records++;
            if (o->progress)
                o->progress(o->progress_ctx, s.records, expected);
        }
        s.entities += n > 0;
    }
    /* names follow references once every record stands (world_links.h) */
    for (size_t k = 0; ok && k < m->count; k++)
        ok = m->entities[k].successor || world_links_names(m, st, &m->entities[k]) == STORE_OK;
    if (ok && o->rules && !invariants_keep_store(o->rules, st, o->now)) {
        snprintf(err, errlen, "cannot keep the invariants between records: %s", store_errmsg(st));
        ok = false;
    }
    if (ok)
        ok = store_commit(st);
    else
        store_rollback(st);
    plan_free(&p);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    s.ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    if (stats)
        *stats = s;
    return ok;
}

void world_uid(const entity_model *m, const entity *e, long i, const world_options *o, char *out,
               size_t len)
{
    plan p;
    if (!plan_make(&p, m, o)) {
        snprintf(out, len, "?");
        return;
    }
    const json_t *ref = json_array_get(p.rows[index_of(m, e)].refs, (size_t)i);
    if (ref) /* the id clients address it by */
        snprintf(out, len, "%s", json_string_value(ref));
    else
        record_uid(&p, e, i, out, len);
    plan_free(&p);
}

bool world_parse_scale(const char *text, world_options *o, char *err, size_t errlen)
{
    char copy[128];
    snprintf(copy, sizeof copy, "%s", text ? text : "");
    char *save = NULL;
    for (char *part = strtok_r(copy, ",", &save); part; part = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(part, '='), *end;
        long n = eq ? strtol(eq + 1, &end, 10) : -1;
        if (!eq || eq[1] == 0 || *end || n < 0 || n > 10000000) {
            snprintf(err, errlen, "--scale: '%s' is not name=number", part);
            return false;
        }
        *eq = 0;
        if (!strcmp(part, "companies"))
            o->companies = n;
        else if (!strcmp(part, "agentsPerCompany"))
            o->agents_per_company = n;
        else {
            snprintf(err, errlen, "--scale: unknown size '%s' (companies, agentsPerCompany)", part);
            return false;
        }
    }
    return true;
}
