/* invariants_internal.h — what invariants.c and invariants_store.c share:
 * the loaded rules and the tests of whether a rule binds a record's type
 * and applies at an object (its "when" and "unless"). Not for other
 * modules: they use invariants.h. */
#ifndef VSPC_INVARIANTS_INTERNAL_H
#define VSPC_INVARIANTS_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>

#include "world/invariant_kinds.h"

struct invariants {
    json_t *doc;        /* owned copy of schema/invariants.json */
    inv_rule *rules;
    size_t n;
    json_t *by_anchor;  /* member name -> [rule index...] */
};

bool inv_rule_binds(const inv_rule *r, const char *type);
bool inv_rule_applies(const inv_rule *r, json_t *obj);

#endif
