/* invariants.h — the rules a believable VSPC world obeys, checked and kept.
 *
 * The rules are data (schema/invariants.json): each has an id, the entity
 * types it binds ("types", absent: every type), a kind (invariant_kinds.h
 * lists them: time order, date-time format, ranges, sums, states that agree
 * with their messages, texts such as OS names and product versions...), the
 * properties it relates as paths relative to an object ("startTime",
 * "data/totalGross"; a "*" segment steps into every item of an array)
 * and a why. A rule applies to every
 * object, at any depth of a record of its types, that carries its anchor
 * (the first property it names), and only where its "when" members hold one
 * of the listed values and its "unless" members none.
 *
 * invariants_check reports what a record breaks; invariants_keep repairs a
 * record so it breaks nothing (reorders times, wraps hours into 0-23,
 * recomputes totals, clears or writes failure text to match a state...),
 * deterministically from a seed. A repair only touches values that break a
 * rule, and writes values of the same JSON type (a date-time stays a string
 * in VSPC's form, an integer an integer). Rules between records (an
 * invoice's currency is its plan's) are kept over the whole store
 * (invariants_keep_store) once the world stands.
 */
#ifndef VSPC_INVARIANTS_H
#define VSPC_INVARIANTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store/store.h"

typedef struct invariants invariants;

/* The rules of doc (a parsed schema/invariants.json); NULL with err naming
 * the rule when one is malformed (unknown kind, no properties...). */
invariants *invariants_from_json(const json_t *doc, char *err, size_t errlen);
/* dir/invariants.json. */
invariants *invariants_load(const char *dir, char *err, size_t errlen);
void invariants_free(invariants *iv);
size_t invariants_count(const invariants *iv);

/* Appends to out one {"rule","at"} (at: JSON Pointer into record) for each
 * rule record (of entity type) breaks at time now; returns how many. */
size_t invariants_check(const invariants *iv, const json_t *record, const char *type, time_t now,
                        json_t *out);

/* Repairs record in place so invariants_check finds nothing; returns how
 * many violations were repaired. */
size_t invariants_keep(const invariants *iv, json_t *record, const char *type, time_t now,
                       uint64_t seed);

/* The rules between records, over every record of st: check appends
 * {"rule","type","uid","at"} to out; keep rewrites the records that break
 * one (inside the caller's transaction, if any). False on a store error. */
bool invariants_check_store(const invariants *iv, store *st, time_t now, json_t *out);
bool invariants_keep_store(const invariants *iv, store *st, time_t now);

#endif
