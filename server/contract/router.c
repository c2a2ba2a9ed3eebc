/* router.c — see router.h. */
#include "contract/router.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const method_names[HTTP_METHOD_COUNT] = {
    "GET", "POST", "PUT", "PATCH", "DELETE",
};

http_method http_method_parse(const char *name)
{
    for (int m = 0; m < HTTP_METHOD_COUNT; m++)
        if (name && strcmp(name, method_names[m]) == 0)
            return (http_method)m;
    return HTTP_METHOD_OTHER;
}

const char *http_method_name(http_method m)
{
    return (m >= 0 && m < HTTP_METHOD_COUNT) ? method_names[m] : "?";
}

/* What one (template, method) pair stored. */
typedef struct route_entry {
    void *payload;
    char *path_template;
    size_t nparams;
    char *names[ROUTER_MAX_PARAMS];
} route_entry;

typedef struct node node;

typedef struct literal_slot {
    char *key;   /* lower-cased segment; NULL = empty slot */
    uint32_t hash;
    node *child;
} literal_slot;

struct node {
    literal_slot *slots;  /* open addressing, capacity a power of two */
    size_t capacity, count;
    node *param;          /* the "{name}" child, if any */
    bool param_untyped;   /* some template types that parameter other than
                           * as a UUID: literals may fall back to it */
    route_entry *entries[HTTP_METHOD_COUNT];
};

struct router {
    node root;
    size_t size;
};

/* FNV-1a over the lower-cased bytes of s[0..len). */
static uint32_t hash_lower(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (uint8_t)tolower((unsigned char)s[i]);
        h *= 16777619u;
    }
    return h;
}

static bool equal_lower(const char *key, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (key[i] == 0 || key[i] != (char)tolower((unsigned char)s[i]))
            return false;
    return key[len] == 0;
}

/* The child of n for literal segment s[0..len), or NULL. */
static node *literal_find(const node *n, const char *s, size_t len, uint32_t h)
{
    if (!n->capacity)
        return NULL;
    size_t mask = n->capacity - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        const literal_slot *slot = &n->slots[i];
        if (!slot->key)
            return NULL;
        if (slot->hash == h && equal_lower(slot->key, s, len))
            return slot->child;
    }
}

static bool literal_grow(node *n)
{
    size_t cap = n->capacity ? n->capacity * 2 : 4;
    literal_slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < n->capacity; i++) {
        literal_slot *old = &n->slots[i];
        if (!old->key)
            continue;
        size_t j = old->hash & (cap - 1);
        while (slots[j].key)
            j = (j + 1) & (cap - 1);
        slots[j] = *old;
    }
    free(n->slots);
    n->slots = slots;
    n->capacity = cap;
    return true;
}

/* The child of n for literal segment s[0..len), created if missing. */
static node *literal_child(node *n, const char *s, size_t len)
{
    uint32_t h = hash_lower(s, len);
    node *found = literal_find(n, s, len, h);
    if (found)
        return found;
    if ((n->count + 1) * 4 > n->capacity * 3 && !literal_grow(n))
        return NULL;
    node *child = calloc(1, sizeof *child);
    char *key = malloc(len + 1);
    if (!child || !key) {
        free(child);
        free(key);
        return NULL;
    }
    for (size_t i = 0; i < len; i++)
        key[i] = (char)tolower((unsigned char)s[i]);
    key[len] = 0;
    size_t j = h & (n->capacity - 1);
    while (n->slots[j].key)
        j = (j + 1) & (n->capacity - 1);
    n->slots[j] = (literal_slot){key, h, child};
    n->count++;
    return child;
}

router *router_new(void) { return calloc(1, sizeof(router)); }

static void entry_free(route_entry *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->nparams; i++)
        free(e->names[i]);
    free(e->path_template);
    free(e);
}

/* Frees the children and entries of n, not n itself. */
static void node_clear(node *n)
{
    for (size_t i = 0; i < n->capacity; i++) {
        if (n->slots[i].key) {
            free(n->slots[i].key);
            node_clear(n->slots[i].child);
            free(n->slots[i].child);
        }
    }
    free(n->slots);
    if (n->param) {
        node_clear(n->param);
        free(n->param);
    }
    for (int m = 0; m < HTTP_METHOD_COUNT; m++)
        entry_free(n->entries[m]);
}

void router_free(router *r)
{
    if (!r)
        return;
    node_clear(&r->root);
    free(r);
}

size_t router_size(const router *r) { return r->size; }

bool router_add(router *r, const char *tpl, http_method method, void *payload)
{
    return router_add_typed(r, tpl, method, payload, 0);
}

bool router_add_typed(router *r, const char *tpl, http_method method, void *payload,
                      unsigned uuid_params)
{
    if (!r || !tpl || tpl[0] != '/' || method < 0 || method >= HTTP_METHOD_COUNT)
        return false;
    route_entry *e = calloc(1, sizeof *e);
    if (!e || !(e->path_template = strdup(tpl))) {
        free(e);
        return false;
    }
    e->payload = payload;
    node *n = &r->root;
    size_t nseg = 0;
    const char *seg = tpl + 1;
    for (;;) {
        const char *end = strchr(seg, '/');
        size_t len = end ? (size_t)(end - seg) : strlen(seg);
        if (++nseg > ROUTER_MAX_SEGMENTS)
            goto fail;
        if (len >= 2 && seg[0] == '{' && seg[len - 1] == '}') {
            if (e->nparams == ROUTER_MAX_PARAMS || len == 2 ||
                !(e->names[e->nparams] = strndup(seg + 1, len - 2)))
                goto fail;
            if (!(uuid_params & (1u << e->nparams)))
                n->param_untyped = true;
            e->nparams++;
            if (!n->param && !(n->param = calloc(1, sizeof(node))))
                goto fail;
            n = n->param;
        } else {
            if (memchr(seg, '{', len) || memchr(seg, '}', len))
                goto fail; /* a parameter must be a whole segment */
            if (!(n = literal_child(n, seg, len)))
                goto fail;
        }
        if (!end)
            break;
        seg = end + 1;
    }
    if (n->entries[method])
        goto fail; /* duplicate */
    n->entries[method] = e;
    r->size++;
    return true;
fail:
    entry_free(e);
    return false;
}

/* Lays the literals under o into n, recursively (see router_shadow). */
static bool shadow_node(node *n, const node *o, int depth)
{
    if (depth > ROUTER_MAX_SEGMENTS)
        return true;
    for (size_t i = 0; i < o->capacity; i++) {
        const literal_slot *slot = &o->slots[i];
        node *child = slot->key ? literal_child(n, slot->key, strlen(slot->key)) : NULL;
        if (slot->key && (!child || !shadow_node(child, slot->child, depth + 1)))
            return false;
    }
    /* below a parameter of o: only where n has that parameter too (a
     * parameter n lacks routes nothing there, so its literals block none) */
    return !o->param || !n->param || shadow_node(n->param, o->param, depth + 1);
}

bool router_shadow(router *r, const router *other)
{
    return r && other && shadow_node(&r->root, &other->root, 0);
}

static unsigned allowed_mask(const node *n)
{
    unsigned mask = 0;
    for (int m = 0; m < HTTP_METHOD_COUNT; m++)
        if (n->entries[m])
            mask |= 1u << m;
    return mask;
}

/* State of one match walk. */
typedef struct walk {
    char **segs;
    size_t nseg;
    http_method method;
    const char *values[ROUTER_MAX_PARAMS];
    const node *path_match; /* first node matching the whole path */
} walk;

/* Depth-first, literal before parameter. Returns the node that has an entry
 * for the method, or NULL; remembers the first whole-path match. */
static const node *walk_from(walk *w, const node *n, size_t i, size_t nvals)
{
    if (i == w->nseg) {
        if (!allowed_mask(n))
            return NULL;
        if (!w->path_match)
            w->path_match = n;
        return n->entries[w->method] ? n : NULL;
    }
    const char *seg = w->segs[i];
    size_t len = strlen(seg);
    const node *lit = literal_find(n, seg, len, hash_lower(seg, len));
    if (lit) {
        const node *found = walk_from(w, lit, i + 1, nvals);
        if (found)
            return found;
    }
    /* a literal is no UUID: it does not fill a UUID parameter */
    if (n->param && len > 0 && nvals < ROUTER_MAX_PARAMS && (!lit || n->param_untyped)) {
        w->values[nvals] = seg;
        return walk_from(w, n->param, i + 1, nvals + 1);
    }
    return NULL;
}

/* Splits the path in out->buf into segments; false if malformed/too long. */
static bool split(const char *path, route_match *out, char **segs, size_t *nseg)
{
    size_t len = strlen(path);
    if (path[0] != '/' || len >= sizeof out->buf)
        return false;
    memcpy(out->buf, path + 1, len); /* includes the NUL */
    *nseg = 0;
    char *p = out->buf;
    for (;;) {
        if (*nseg == ROUTER_MAX_SEGMENTS)
            return false;
        segs[(*nseg)++] = p;
        char *slash = strchr(p, '/');
        if (!slash)
            return true;
        *slash = 0;
        p = slash + 1;
    }
}

static route_status match_once(const router *r, http_method method, const char *path,
                               route_match *out)
{
    char *segs[ROUTER_MAX_SEGMENTS];
    walk w = {.segs = segs, .method = method};
    if (!split(path, out, segs, &w.nseg))
        return ROUTE_NOT_FOUND;
    const node *found = (method >= 0 && method < HTTP_METHOD_COUNT)
                            ? walk_from(&w, &r->root, 0, 0)
                            : NULL;
    if (!found) {
        if (method == HTTP_METHOD_OTHER) {
            /* an unknown method has no entries: look for the path alone */
            w.method = HTTP_GET;
            walk_from(&w, &r->root, 0, 0);
        }
        if (!w.path_match)
            return ROUTE_NOT_FOUND;
        out->allowed = allowed_mask(w.path_match);
        return ROUTE_METHOD_NOT_ALLOWED;
    }
    const route_entry *e = found->entries[method];
    out->payload = e->payload;
    out->path_template = e->path_template;
    out->nparams = e->nparams;
    out->allowed = allowed_mask(found);
    for (size_t i = 0; i < e->nparams; i++) {
        out->names[i] = e->names[i];
        out->values[i] = w.values[i];
    }
    return ROUTE_FOUND;
}

route_status router_match(const router *r, http_method method, const char *path,
                          route_match *out)
{
    memset(out, 0, offsetof(route_match, buf));
    if (!path)
        return ROUTE_NOT_FOUND;
    route_status st = match_once(r, method, path, out);
    if (st != ROUTE_NOT_FOUND)
        return st;
    /* Tolerate a final '/' that differs from the template. Either way the
     * other spelling needs at most len + 2 bytes. */
    char alt[ROUTER_MAX_PATH];
    size_t len = strlen(path);
    if (len + 2 > sizeof alt)
        return ROUTE_NOT_FOUND;
    if (len > 1 && path[len - 1] == '/') {
        memcpy(alt, path, len - 1);
        alt[len - 1] = 0;
    } else {
        memcpy(alt, path, len);
        alt[len] = '/';
        alt[len + 1] = 0;
    }
    memset(out, 0, offsetof(route_match, buf));
    return match_once(r, method, alt, out);
}

void router_allowed_text(unsigned allowed, char *buf, size_t len)
{
    size_t used = 0;
    if (len)
        buf[0] = 0;
    for (int m = 0; m < HTTP_METHOD_COUNT; m++) {
        if (!(allowed & (1u << m)))
            continue;
        int n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", method_names[m]);
        if (n < 0 || (size_t)n >= len - used)
            return;
        used += (size_t)n;
    }
}
