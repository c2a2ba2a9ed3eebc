/* differences.c — see differences.h.
 *
 * Built in two passes over the older document: its schemas become nodes
 * (every component, and every schema below one, each once: a map from
 * schema to node), then each node is compared with the newest schema it
 * stands for, pair by pair (each pair once: cycles such as a tree node's
 * children end). Both maps are open-addressing tables keyed by pointers;
 * they are only read after the build, so requests on several threads may
 * share the table without locks.
 */
#include "contract/differences.h"
#include "base/json_list.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NESTING 32   /* allOf inside allOf followed this deep */
#define NAME_MAX_CHARS 96 /* longest name compared for renames */
#define RENAME_LIKENESS 0.75 /* least likeness of two names for a rename */
#define NODES_PER_BLOCK 1024

/* ---- pointer maps ----------------------------------------------------- */

typedef struct slot {
    const void *a, *b;
    void *value;
} slot;

typedef struct ptrmap {
    slot *slots;
    size_t cap, used; /* cap: a power of two */
} ptrmap;

static size_t hash_pair(const void *a, const void *b)
{
    uint64_t h = (uint64_t)(uintptr_t)a * 0x9E3779B97F4A7C15ull;
    h ^= (uint64_t)(uintptr_t)b + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
    h ^= h >> 31;
    return (size_t)h;
}

static slot *map_find(const ptrmap *m, const void *a, const void *b)
{
    if (!m->cap)
        return NULL;
    for (size_t i = hash_pair(a, b) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        slot *s = &m->slots[i];
        if (!s->a)
            return NULL;
        if (s->a == a && s->b == b)
            return s;
    }
}

static bool map_put(ptrmap *m, const void *a, const void *b, void *value)
{
    if (2 * (m->used + 1) > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 4096;
        slot *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return false;
        for (size_t i = 0; i < m->cap; i++) {
            const slot *old = &m->slots[i];
            if (!old->a)
                continue;
            size_t j = hash_pair(old->a, old->b) & (cap - 1);
            while (slots[j].a)
                j = (j + 1) & (cap - 1);
            slots[j] = *old;
        }
        free(m->slots);
        m->slots = slots;
        m->cap = cap;
    }
    size_t i = hash_pair(a, b) & (m->cap - 1);
    while (m->slots[i].a)
        i = (i + 1) & (m->cap - 1);
    m->slots[i] = (slot){a, b, value};
    m->used++;
    return true;
}

/* ---- the table -------------------------------------------------------- */

typedef struct block {
    struct block *next;
    size_t used;
    diff_node nodes[NODES_PER_BLOCK];
} block;

struct differences {
    schema_ctx older;   /* nullability as the document states it */
    const schema_ctx *newest;
    ptrmap nodes;       /* resolved older schema -> node */
    ptrmap pairs;       /* (node, resolved newest schema) compared */
    block *blocks;
    size_t counts[DIFF_KINDS];
    bool failed;        /* out of memory during the build */
};

static diff_node *new_node(differences *d)
{
    if (!d->blocks || d->blocks->used == NODES_PER_BLOCK) {
        block *b = calloc(1, sizeof *b);
        if (!b) {
            d->failed = true;
            return NULL;
        }
        b->next = d->blocks;
        d->blocks = b;
    }
    return &d->blocks->nodes[d->blocks->used++];
}

/* A schema through its $ref chain and single allOf wrappers (the
 * document's way of giving a reference a default): the schema that says
 * what the value is. *nullable (when not NULL) tells whether "nullable"
 * is on it or on what it passed through (what schema_is_nullable says for
 * the documents' single allOf wrappers, in the same walk). */
static const json_t *resolve_at(const schema_ctx *ctx, const json_t *schema, bool *nullable)
{
    if (nullable)
        *nullable = false;
    for (int hops = 0; json_is_object(schema) && hops < MAX_NESTING; hops++) {
        if (nullable && json_is_true(json_object_get(schema, "nullable")))
            *nullable = true;
        const char *name = schema_ref_name(schema);
        if (name) { /* the documents' usual reference: one lookup */
            schema = schema_by_name(ctx, name);
            continue;
        }
        if (json_object_get(schema, "$ref")) {
            schema = schema_resolve(ctx, schema);
            continue;
        }
        const json_t *all = json_object_get(schema, "allOf");
        if (json_array_size(all) != 1 || json_object_get(schema, "properties") ||
            json_object_get(schema, "enum") || json_object_get(schema, "type"))
            return schema;
        schema = json_array_get(all, 0);
    }
    return json_is_object(schema) ? schema : NULL;
}

static const json_t *resolve(const schema_ctx *ctx, const json_t *schema)
{
    return resolve_at(ctx, schema, NULL);
}

static diff_type type_of(const schema_ctx *ctx, const json_t *s)
{
    if (json_is_array(json_object_get(s, "enum")))
        return DT_ENUM;
    const char *t = schema_type(ctx, s);
    static const struct {
        const char *name;
        diff_type type;
    } types[] = {{"object", DT_OBJECT},   {"array", DT_ARRAY},     {"string", DT_STRING},
                 {"integer", DT_INTEGER}, {"number", DT_NUMBER},   {"boolean", DT_BOOLEAN}};
    for (size_t i = 0; t && i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(t, types[i].name))
            return types[i].type;
    return DT_ANY;
}

/* Whether schema s (or an allOf member) requires `name`. */
static bool requires_prop(const schema_ctx *ctx, const json_t *s, const char *name, int depth)
{
    s = schema_resolve(ctx, s);
    if (!json_is_object(s) || depth > MAX_NESTING)
        return false;
    if (json_list_has(json_object_get(s, "required"), name))
        return true;
    size_t i;
    const json_t *m;
    json_array_foreach(json_object_get(s, "allOf"), i, m)
        if (requires_prop(ctx, m, name, depth + 1))
            return true;
    return false;
}

/* Calls fn for each property of s and its allOf members (the first table
 * describing a name wins, as in schema_property). */
typedef void (*prop_fn)(const char *name, const json_t *schema, void *arg);

static void each_prop(const schema_ctx *ctx, const json_t *root, const json_t *s, prop_fn fn,
                      void *arg, int depth)
{
    s = schema_resolve(ctx, s);
    if (!json_is_object(s) || depth > MAX_NESTING)
        return;
    const char *key;
    json_t *p;
    json_object_foreach((json_t *)json_object_get(s, "properties"), key, p)
        if (depth == 0 || schema_property(ctx, root, key) == p)
            fn(key, p, arg);
    size_t i;
    const json_t *m;
    json_array_foreach(json_object_get(s, "allOf"), i, m)
        each_prop(ctx, root, m, fn, arg, depth + 1);
}

static diff_node *node_of_resolved(differences *d, const json_t *s, int depth);

/* Building an object node's properties. */
typedef struct prop_list {
    differences *d;
    const json_t *root;
    const json_t *required; /* the root's own list */
    bool all_of;            /* the root has allOf members, which may require more */
    diff_prop *items;
    size_t n, cap;
} prop_list;

static void add_prop(const char *name, const json_t *schema, void *arg)
{
    prop_list *l = arg;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        diff_prop *items = realloc(l->items, cap * sizeof *items);
        if (!items) {
            l->d->failed = true;
            return;
        }
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = (diff_prop){
        .name = name,
        .schema = schema,
        .required = json_list_has(l->required, name) ||
                    (l->all_of && requires_prop(&l->d->older, l->root, name, 0)),
    };
}

static int prop_cmp(const void *a, const void *b)
{
    return strcmp(((const diff_prop *)a)->name, ((const diff_prop *)b)->name);
}

/* The node of a resolved older schema, made (with those below it) on
 * first use. */
static diff_node *node_of_resolved(differences *d, const json_t *s, int depth)
{
    if (!json_is_object(s) || d->failed)
        return NULL;
    slot *known = map_find(&d->nodes, s, NULL);
    if (known)
        return known->value;
    diff_node *n = new_node(d);
    if (!n || !map_put(&d->nodes, s, NULL, n)) {
        d->failed = true;
        return NULL;
    }
    n->schema = s;
    n->type = type_of(&d->older, s);
    n->format = json_string_value(json_object_get(s, "format"));
    if (n->type == DT_ENUM) {
        n->members = json_object_get(s, "enum");
        n->has_unknown = json_list_has(n->members, "Unknown");
    }
    if (depth > 4 * MAX_NESTING)
        return n; /* nothing real nests this deep: leave the rest unchecked */
    if (n->type == DT_OBJECT) {
        prop_list l = {d, s, json_object_get(s, "required"), json_object_get(s, "allOf") != NULL,
                       NULL, 0, 0};
        each_prop(&d->older, s, s, add_prop, &l, 0);
        if (l.n > 1)
            qsort(l.items, l.n, sizeof *l.items, prop_cmp);
        n->props = l.items;
        n->nprops = l.n;
        const json_t *extra = json_object_get(s, "additionalProperties");
        n->closed = l.n > 0 && !json_is_object(extra);
        if (json_is_object(extra))
            n->extra = node_of_resolved(d, resolve_at(&d->older, extra, &n->extra_nullable),
                                        depth + 1);
        for (size_t i = 0; i < n->nprops; i++) {
            diff_prop *p = &n->props[i];
            p->node = node_of_resolved(d, resolve_at(&d->older, p->schema, &p->nullable), depth + 1);
        }
    } else if (n->type == DT_ARRAY) {
        const json_t *items = json_object_get(s, "items");
        n->items = node_of_resolved(d, resolve_at(&d->older, items, &n->items_nullable), depth + 1);
    }
    return n;
}

static diff_node *node_of(differences *d, const json_t *schema, int depth)
{
    return node_of_resolved(d, resolve(&d->older, schema), depth);
}

/* ---- comparison with the newest document ------------------------------ */

/* How alike two property names are: twice their longest common
 * subsequence (ignoring case) over their lengths, 0..1; plus 1 when one
 * holds all of the other (freeBackupUsedSpaceUnits in
 * remoteFreeBackupUsedSpaceUnits, rather than remoteBackupUsedSpaceUnits). */
static double likeness(const char *a, const char *b, double least)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > NAME_MAX_CHARS || lb > NAME_MAX_CHARS || !la || !lb ||
        2.0 * (double)(la < lb ? la : lb) / (double)(la + lb) < RENAME_LIKENESS)
        return 0; /* too unlike in length alone */
    /* the letters they share bound the common subsequence: most pairs of
     * names end here, before the quadratic part */
    unsigned char ca[128] = {0}, cb[128] = {0};
    for (size_t i = 0; i < la; i++)
        ca[tolower((unsigned char)a[i]) & 127]++;
    for (size_t j = 0; j < lb; j++)
        cb[tolower((unsigned char)b[j]) & 127]++;
    size_t shared = 0;
    for (size_t c = 0; c < 128; c++)
        shared += ca[c] < cb[c] ? ca[c] : cb[c];
    double bound = 2.0 * (double)shared / (double)(la + lb) +
                   (shared == (la < lb ? la : lb));
    if (bound < least)
        return 0;
    unsigned row[NAME_MAX_CHARS + 1] = {0};
    for (size_t i = 0; i < la; i++) {
        unsigned diag = 0;
        for (size_t j = 0; j < lb; j++) {
            unsigned up = row[j + 1];
            row[j + 1] = tolower((unsigned char)a[i]) == tolower((unsigned char)b[j])
                             ? diag + 1
                             : (up > row[j] ? up : row[j]);
            diag = up;
        }
    }
    return 2.0 * row[lb] / (double)(la + lb) + (row[lb] == (la < lb ? la : lb));
}

/* Whether a value of the newest type may stand for the older type as it
 * is. */
static bool same_kind(diff_type older, diff_type newest)
{
    return older == newest || older == DT_ANY || (older == DT_STRING && newest == DT_ENUM) ||
           (older == DT_NUMBER && newest == DT_INTEGER);
}

static void pair(differences *d, diff_node *n, const json_t *s, int depth);

/* The newest schema's properties that an older object node lacks. */
typedef struct lacked {
    const differences *d;
    const diff_node *n;
    const char *names[256];
    const json_t *schemas[256];
    diff_type types[256];
    bool used[256];
    size_t count;
} lacked;

static void note_lacked(const char *name, const json_t *schema, void *arg)
{
    lacked *l = arg;
    if (!differences_prop(l->n, name) && l->count < sizeof l->names / sizeof l->names[0]) {
        l->names[l->count] = name;
        l->types[l->count] = type_of(l->d->newest, resolve(l->d->newest, schema));
        l->schemas[l->count++] = schema;
    }
}

static int lacked_index(const lacked *l, const char *name)
{
    for (size_t i = 0; i < l->count; i++)
        if (!strcmp(l->names[i], name))
            return (int)i;
    return -1;
}

/* The lacked property an added one was renamed from, or -1: the most alike
 * name of the same kind, if alike enough (ties: the first). */
static int rename_source(const diff_prop *p, const lacked *l)
{
    int best = -1;
    double best_like = RENAME_LIKENESS;
    for (size_t i = 0; i < l->count; i++) {
        if (!p->node || !same_kind(p->node->type, l->types[i]))
            continue;
        double like = likeness(p->name, l->names[i], best_like);
        if (like >= best_like + (best >= 0 ? 1e-9 : 0)) {
            best = (int)i;
            best_like = like;
        }
    }
    return best;
}

static void pair_object(differences *d, diff_node *n, const json_t *s, int depth)
{
    lacked *l = calloc(1, sizeof *l);
    if (!l) {
        d->failed = true;
        return;
    }
    l->d = d;
    l->n = n;
    each_prop(d->newest, s, s, note_lacked, l, 0);
    const json_t *props = json_object_get(s, "properties");
    bool all_of = json_object_get(s, "allOf") != NULL;
    for (size_t i = 0; i < n->nprops; i++) {
        diff_prop *p = &n->props[i];
        const json_t *np = all_of ? schema_property(d->newest, s, p->name)
                                  : json_object_get(props, p->name);
        int source = np ? -1 : p->from ? lacked_index(l, p->from) : rename_source(p, l);
        if (source >= 0) {
            if (!p->from)
                d->counts[DIFF_RENAMED]++;
            p->from = l->names[source]; /* the first pairing that renames it names it */
            l->used[source] = true;
            np = l->schemas[source];
        } else if (!np) {
            d->counts[DIFF_ADDED]++;
            continue;
        }
        const char *newest_name = p->from ? p->from : p->name;
        if (p->required && !requires_prop(d->newest, s, newest_name, 0))
            d->counts[DIFF_REQUIRED]++;
        bool may_be_null;
        const json_t *resolved = resolve_at(d->newest, np, &may_be_null);
        if (!p->nullable && may_be_null)
            d->counts[DIFF_NULLABLE]++;
        if (p->node)
            pair(d, p->node, resolved, depth + 1);
    }
    for (size_t i = 0; i < l->count; i++)
        d->counts[DIFF_DROPPED] += !l->used[i];
    const json_t *extra = json_object_get(s, "additionalProperties");
    if (n->extra && json_is_object(extra))
        pair(d, n->extra, resolve(d->newest, extra), depth + 1);
    free(l);
}

/* Compares node n with the newest schema it stands for (resolved). */
static void pair(differences *d, diff_node *n, const json_t *s, int depth)
{
    if (!json_is_object(s) || d->failed || map_find(&d->pairs, n, s))
        return;
    if (!map_put(&d->pairs, n, s, n)) {
        d->failed = true;
        return;
    }
    n->paired = true;
    diff_type t = type_of(d->newest, s);
    const char *format = json_string_value(json_object_get(s, "format"));
    if (!same_kind(n->type, t) || (n->format && (!format || strcmp(format, n->format)))) {
        n->checked = true;
        d->counts[DIFF_RETYPED]++;
        return;
    }
    if (n->type == DT_ENUM) {
        size_t i;
        const json_t *m;
        bool lacks = t != DT_ENUM;
        json_array_foreach(json_object_get(s, "enum"), i, m)
            lacks = lacks || !json_is_string(m) || !json_list_has(n->members, json_string_value(m));
        if (lacks) {
            n->checked = true;
            d->counts[DIFF_ENUM]++;
        }
    } else if (n->type == DT_OBJECT && depth <= 4 * MAX_NESTING) {
        pair_object(d, n, s, depth);
    } else if (n->type == DT_ARRAY && n->items) {
        bool may_be_null;
        const json_t *items = resolve_at(d->newest, json_object_get(s, "items"), &may_be_null);
        if (!n->items_nullable && may_be_null)
            d->counts[DIFF_NULLABLE]++;
        pair(d, n->items, items, depth + 1);
    }
}

differences *differences_build(const schema_ctx *older, const schema_ctx *newest)
{
    differences *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    schema_ctx_init(&d->older, older->doc, false);
    d->newest = newest;
    const char *name;
    json_t *schema;
    json_object_foreach((json_t *)older->schemas, name, schema)
        node_of(d, schema, 0);
    json_object_foreach((json_t *)older->schemas, name, schema) {
        diff_node *n = node_of(d, schema, 0);
        const json_t *counterpart = schema_by_name(newest, name);
        if (n && counterpart)
            pair(d, n, resolve(newest, counterpart), 0);
    }
    /* what no newest schema stands for is checked value by value */
    for (block *b = d->blocks; b; b = b->next)
        for (size_t i = 0; i < b->used; i++)
            if (!b->nodes[i].paired)
                b->nodes[i].checked = true;
    free(d->pairs.slots); /* only the build needs it */
    d->pairs = (ptrmap){0};
    if (d->failed) {
        differences_free(d);
        return NULL;
    }
    return d;
}

void differences_free(differences *d)
{
    if (!d)
        return;
    for (block *b = d->blocks, *next; b; b = next) {
        next = b->next;
        for (size_t i = 0; i < b->used; i++)
            free(b->nodes[i].props);
        free(b);
    }
    free(d->nodes.slots);
    free(d->pairs.slots);
    free(d);
}

const diff_node *differences_node(const differences *d, const json_t *schema)
{
    const slot *s = map_find(&d->nodes, resolve(&d->older, schema), NULL);
    return s ? s->value : NULL;
}

const diff_prop *differences_prop(const diff_node *n, const char *name)
{
    size_t lo = 0, hi = n->nprops;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(name, n->props[mid].name);
        if (!c)
            return &n->props[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const schema_ctx *differences_older(const differences *d) { return &d->older; }

size_t differences_count(const differences *d, diff_kind kind)
{
    return kind < DIFF_KINDS ? d->counts[kind] : 0;
}

const char *differences_kind_name(diff_kind kind)
{
    static const char *const names[DIFF_KINDS] = {"dropped", "added",    "renamed", "retyped",
                                                  "enum",    "required", "nullable"};
    return kind < DIFF_KINDS ? names[kind] : "?";
}
