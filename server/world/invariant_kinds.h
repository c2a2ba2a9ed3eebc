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
 *   leading_number  integer "member" is the number text member "of" starts
 *             with (majorVersion 8 of version "8.1.0.305")
 *   duration  "duration" (seconds) = "end" - "start"
 *   some_item one item of array "array" has "member" in "in"; an empty
 *             array is repaired by setting the "fallback" members instead
 *   same_as_ref  (between records) "member" equals "targetMember" of the
 *             "target" record that "ref" names: kept by invariants_store.c
 * Paths are relative to the object the rule is checked at
 * (invariant_paths.h).
 */
#ifndef VSPC_INVARIANT_KINDS_H
#define VSPC_INVARIANT_KINDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/rng.h"
#include "world/invariant_paths.h"

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

#endif
