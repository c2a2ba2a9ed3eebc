/* invariant_kinds.h — the kinds of rule schema/invariants.json may use, each
 * a pair: does an object hold the rule, and repair it so it does.
 *
 *   format    date-time "properties" are in VSPC's form (timestamps.h)
 *   order     "properties" are non-decreasing; "$now" among them stands for
 *             the present (start <= end <= now; now < nextRun); dates or
 *             numbers (processed <= total, free <= capacity); numbers below
 *             "skipBelow" (VSPC's -1 "unlimited") are left out; "maxSpan":
 *             seconds the first and last may lie apart at most
 *   range     numbers (or arrays of numbers) of "properties" in [min, max]
 *   sum_le    sum of "parts" <= "total"
 *   sum_eq    "total" = sum of "parts" ("-name" subtracts), to 0.01
 *   message   "state" in "ok": "message" empty; in "failed": it has text
 *   text      string "member" starts with one of "prefixes" or contains one
 *             of "contains" (case-insensitive); repaired from "values"
 *   empty     "properties" are null
 *   recent    date-time "member" between "maxAge" and "minAge" (default 0)
 *             seconds before now
 *   duration  "duration" (seconds) = "end" - "start"
 *   some_item one item of array "array" has "member" in "in"; an empty
 *             array is repaired by setting the "fallback" members instead
 *   same_as_ref  (between records) "member" equals "targetMember" of the
 *             "target" record that "ref" names: kept by invariants_store.c
 * Paths are relative to the object the rule is checked at; "*" steps into
 * every item of an array.
 */
#ifndef VSPC_INVARIANT_KINDS_H
#define VSPC_INVARIANT_KINDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/rng.h"

typedef struct inv_rule {
    const char *id;
    const json_t *def;      /* the rule's JSON (borrowed from the loaded doc) */
    const json_t *types;    /* array of entity names, or NULL: every type */
    const struct inv_kind *kind;
    const char *anchor;     /* first segment of the first property named */
} inv_rule;

typedef struct inv_ctx {
    double now;             /* seconds since the epoch */
    rng *r;                 /* for repairs; NULL when only checking */
} inv_ctx;

typedef struct inv_kind {
    const char *name;
    const char *anchor_key; /* the member of the rule naming its anchor path(s) */
    bool (*holds)(const inv_rule *r, json_t *obj, const inv_ctx *c);
    void (*repair)(const inv_rule *r, json_t *obj, inv_ctx *c);
    bool between_records;   /* kept over the store, not per record */
} inv_kind;

/* The kind called name, or NULL. */
const inv_kind *inv_kind_find(const char *name);

/* One place a path reaches: value = parent[key] or parent[index]. */
typedef struct inv_slot {
    json_t *parent;
    const char *key;        /* NULL: an array item */
    size_t index;
    json_t *value;
} inv_slot;

#define INV_MAX_SLOTS 64

/* The values path reaches from obj (up to max); returns how many. */
size_t inv_path_slots(json_t *obj, const char *path, inv_slot *out, size_t max);
/* Replaces the slot's value (steals v). */
void inv_slot_set(inv_slot *s, json_t *v);

#endif
