/* invariants.c — see invariants.h: loading the rules and walking a record
 * with them; the kinds are in invariant_kinds.c, the rules between records
 * in invariants_store.c. */
#include "world/invariants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json_file.h"
#include "world/invariant_kinds.h"
#include "world/invariants_internal.h"

#define WALK_MAX_DEPTH 32
#define KEEP_PASSES 4 /* a repair may break a rule checked before it */

static bool anchor_add(invariants *iv, const char *path, size_t rule)
{
    char first[128];
    size_t len = strcspn(path, "/");
    if (len == 0 || len >= sizeof first || !strcmp(path, "$now"))
        return true;
    memcpy(first, path + (path[0] == '-'), len - (path[0] == '-'));
    first[len - (path[0] == '-')] = 0;
    json_t *list = json_object_get(iv->by_anchor, first);
    if (!list) {
        list = json_array();
        json_object_set_new(iv->by_anchor, first, list);
    }
    return json_array_append_new(list, json_integer((json_int_t)rule)) == 0;
}

invariants *invariants_from_json(const json_t *doc, char *err, size_t errlen)
{
    const json_t *rules = json_object_get(doc, "rules");
    if (!json_is_array(rules)) {
        snprintf(err, errlen, "invariants.json: no \"rules\" array");
        return NULL;
    }
    invariants *iv = calloc(1, sizeof *iv);
    if (!iv)
        return NULL;
    iv->doc = json_deep_copy(doc);
    iv->by_anchor = json_object();
    iv->n = json_array_size(rules);
    iv->rules = calloc(iv->n ? iv->n : 1, sizeof *iv->rules);
    if (!iv->doc || !iv->by_anchor || !iv->rules) {
        invariants_free(iv);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    json_t *ids = json_object();
    rules = json_object_get(iv->doc, "rules");
    for (size_t i = 0; i < iv->n; i++) {
        const json_t *def = json_array_get(rules, i);
        inv_rule *r = &iv->rules[i];
        r->def = def;
        r->id = json_string_value(json_object_get(def, "id"));
        r->kind = inv_kind_find(json_string_value(json_object_get(def, "kind")));
        r->types = json_object_get(def, "types");
        const char *problem = !r->id                    ? "has no id"
                              : json_object_get(ids, r->id) ? "repeats an id"
                              : !r->kind                ? "has an unknown kind"
                              : !json_is_string(json_object_get(def, "why")) ? "has no why"
                              : r->types && !json_is_array(r->types) ? "has types that are not a list"
                                                                      : NULL;
        const json_t *anchors = r->kind ? json_object_get(def, r->kind->anchor_key) : NULL;
        if (!problem && !(json_is_string(anchors) || json_array_size(anchors) > 0))
            problem = "names no property";
        if (problem) {
            snprintf(err, errlen, "invariants.json: rule #%zu (%s) %s", i, r->id ? r->id : "?",
                     problem);
            json_decref(ids);
            invariants_free(iv);
            return NULL;
        }
        json_object_set_new(ids, r->id, json_true());
        if (json_is_string(anchors)) {
            r->anchor = json_string_value(anchors);
            anchor_add(iv, r->anchor, i);
        } else {
            size_t k;
            const json_t *p;
            json_array_foreach(anchors, k, p) {
                if (!r->anchor && strcmp(json_string_value(p), "$now"))
                    r->anchor = json_string_value(p);
                anchor_add(iv, json_string_value(p), i);
            }
        }
    }
    json_decref(ids);
    return iv;
}

invariants *invariants_load(const char *dir, char *err, size_t errlen)
{
    json_t *doc = json_file_load_in(dir, "invariants.json", 0, err, errlen);
    if (!doc)
        return NULL;
    invariants *iv = invariants_from_json(doc, err, errlen);
    json_decref(doc);
    return iv;
}

void invariants_free(invariants *iv)
{
    if (!iv)
        return;
    json_decref(iv->doc);
    json_decref(iv->by_anchor);
    free(iv->rules);
    free(iv);
}

size_t invariants_count(const invariants *iv) { return iv ? iv->n : 0; }

bool inv_rule_binds(const inv_rule *r, const char *type)
{
    if (!r->types)
        return true;
    size_t i;
    const json_t *t;
    json_array_foreach(r->types, i, t) if (type && !strcmp(json_string_value(t), type)) return true;
    return false;
}

/* Every member named in cond ({"status": ["Running"], ...}) holds one of
 * its values (want true), or none of them holds one (want false). */
static bool condition(json_t *obj, const json_t *cond, bool want)
{
    const char *path;
    const json_t *values;
    json_object_foreach((json_t *)cond, path, values) {
        inv_slot s[1];
        size_t n = inv_path_slots(obj, path, s, 1);
        bool in = false;
        size_t i;
        const json_t *v;
        json_array_foreach(values, i, v) in = in || (n && json_equal(s[0].value, v));
        if (in != want)
            return false;
    }
    return true;
}

bool inv_rule_applies(const inv_rule *r, json_t *obj)
{
    const json_t *when = json_object_get(r->def, "when"), *unless = json_object_get(r->def, "unless");
    return (!when || condition(obj, when, true)) && (!unless || condition(obj, unless, false));
}

typedef struct walk {
    const invariants *iv;
    const char *type;
    inv_ctx ctx;
    bool repair;
    json_t *out;          /* check: violations */
    size_t found;
    unsigned *stamp;      /* per rule: the object it was last tried at */
    unsigned object;
    char at[512];
} walk;

static void visit(walk *w, json_t *obj, size_t at_len, int depth);

static void visit_children(walk *w, json_t *v, size_t at_len, int depth)
{
    if (depth > WALK_MAX_DEPTH)
        return;
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) {
            int n = snprintf(w->at + at_len, sizeof w->at - at_len, "/%zu", i);
            size_t len = n > 0 && at_len + (size_t)n < sizeof w->at ? at_len + (size_t)n : at_len;
            visit_children(w, item, len, depth + 1);
        }
        w->at[at_len] = 0;
        return;
    }
    if (json_is_object(v))
        visit(w, v, at_len, depth);
}

static void visit(walk *w, json_t *obj, size_t at_len, int depth)
{
    unsigned me = ++w->object;
    const char *key;
    json_t *value;
    void *tmp;
    /* rules first: a repair may replace members, so children come after */
    json_object_foreach_safe(obj, tmp, key, value) {
        const json_t *list = json_object_get(w->iv->by_anchor, key);
        size_t i;
        const json_t *ix;
        json_array_foreach(list, i, ix) {
            size_t k = (size_t)json_integer_value(ix);
            const inv_rule *r = &w->iv->rules[k];
            if (w->stamp[k] == me || r->kind->between_records || !inv_rule_binds(r, w->type))
                continue;
            w->stamp[k] = me;
            if (!inv_rule_applies(r, obj) || r->kind->holds(r, obj, &w->ctx))
                continue;
            w->found++;
            if (w->repair) {
                r->kind->repair(r, obj, &w->ctx);
            } else if (w->out) {
                json_t *v = json_object();
                json_object_set_new(v, "rule", json_string(r->id));
                json_object_set_new(v, "at", json_string(w->at[0] ? w->at : ""));
                json_array_append_new(w->out, v);
            }
        }
    }
    json_object_foreach(obj, key, value) {
        if (!json_is_object(value) && !json_is_array(value))
            continue;
        int n = snprintf(w->at + at_len, sizeof w->at - at_len, "/%s", key);
        size_t len = n > 0 && at_len + (size_t)n < sizeof w->at ? at_len + (size_t)n : at_len;
        visit_children(w, value, len, depth + 1);
        w->at[at_len] = 0;
    }
}

static size_t run(const invariants *iv, json_t *record, const char *type, time_t now, rng *r,
                  json_t *out)
{
    if (!iv || !json_is_object(record))
        return 0;
    walk w = {.iv = iv, .type = type, .ctx = {(double)(now ? now : time(NULL)), r},
              .repair = r != NULL, .out = out};
    w.stamp = calloc(iv->n ? iv->n : 1, sizeof *w.stamp);
    if (!w.stamp)
        return 0;
    visit(&w, record, 0, 0);
    free(w.stamp);
    return w.found;
}

size_t invariants_check(const invariants *iv, const json_t *record, const char *type, time_t now,
                        json_t *out)
{
    return run(iv, (json_t *)record, type, now, NULL, out);
}

size_t invariants_keep(const invariants *iv, json_t *record, const char *type, time_t now,
                       uint64_t seed)
{
    rng r;
    rng_init(&r, rng_mix(seed, "invariants"));
    size_t repaired = 0;
    for (int pass = 0; pass < KEEP_PASSES; pass++) {
        size_t n = run(iv, record, type, now, &r, NULL);
        repaired += n;
        if (n == 0)
            break;
    }
    return repaired;
}
