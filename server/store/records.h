/* records.h — building records the way VSPC shapes them, for creates
 * (handler_store.c) and for the default world (world.c).
 *
 * A new record is generated from its entity's schema, then takes the
 * client's input: members whose names the entity shares (when valid
 * there), then the mapping's "inputs" pointers (User.userName <-
 * /credentials/userName), then, for a perspective, the members of the
 * root's input object (Company <- /organizationInput/name). The root
 * record of a perspective (Organization of a Company) is built alongside:
 * it shares the UID, takes the same input, and its "type" names the
 * perspective where its enum has that name. Passwords a client sends are
 * never kept in a record (they read back as null, as in VSPC).
 */
#ifndef VSPC_RECORDS_H
#define VSPC_RECORDS_H

#include <jansson.h>
#include <stdint.h>

#include "contract/entities.h"

/* Copies the members of input that schema describes, and that are valid
 * there, onto record, merging objects member by member. */
void records_overlay(const schema_ctx *ctx, const json_t *schema, json_t *record,
                     const json_t *input);

/* A new record of e (caller owns it) built from input (may be NULL),
 * deterministic in seed. Members the input schema (may be NULL) gives a
 * default and the input leaves out take that default, as VSPC applies
 * them. NULL if e's schema gives no object. */
json_t *records_build(const entity_model *m, const entity *e, const json_t *input,
                      const json_t *input_schema, uint64_t seed);

/* Brings the root record of a perspective record in line with it: the
 * members both schemas have take the perspective's values, and the root's
 * "type" names the perspective where its enum allows. */
void records_sync_root(const entity_model *m, const entity *perspective, const json_t *record,
                       json_t *root_record);

#endif
