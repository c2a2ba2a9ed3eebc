/* fault_rule.h — one fault rule (faults.h): checked against the effects'
 * table (schema/faults.json) when added, then matched and drawn for each
 * request. Not thread-safe: faults.c holds its lock around every call. */
#ifndef VSPC_FAULT_RULE_H
#define VSPC_FAULT_RULE_H

#include <jansson.h>
#include <stdint.h>

#include "base/rng.h"
#include "faults/fault_hit.h"

typedef struct fault_rule {
    long id;
    char method[16];    /* "GET", or "*" */
    char *pattern;      /* a glob on the whole path, or NULL */
    char *operation_id; /* or NULL */
    char *user;         /* a login, or NULL */
    double probability;
    uint64_t seed;
    rng stream;
    long count;         /* applications allowed, < 0: no limit */
    long applied, matched;
    fault_hit effect;   /* what a hit does; latency: delay_ms = min_ms */
    long max_ms;        /* latency: the draw's upper bound */
    json_t *given;      /* the rule as given, with its defaults */
} fault_rule;

/* A rule from its JSON, or NULL with the property at fault ("" for the
 * whole body) and why. world_seed: --seed, for rules without a seed. */
fault_rule *fault_rule_parse(const json_t *effects, uint64_t world_seed, const json_t *rule,
                             char *prop, size_t proplen, char *why, size_t whylen);
void fault_rule_free(fault_rule *r);

/* The rule as listed: given, id, seed, applied, matched. */
json_t *fault_rule_json(const fault_rule *r);

/* When r matches q: one draw; on a hit (r->count permitting) *hit is its
 * effect. */
void fault_rule_draw(fault_rule *r, const fault_request *q, fault_hit *hit);

#endif
