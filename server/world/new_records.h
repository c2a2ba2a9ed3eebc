/* new_records.h — records the server makes for a create, believable from
 * the start.
 *
 * records_build (store/records.h) generates a new record from its schema
 * and lays the client's input over it; here the generated part then keeps
 * the invariants (invariants.h: its dates in the past and in VSPC's form,
 * its counts, ranges, states and messages agreeing), and the client's
 * input is laid over again, so a value the client sent stays as sent: an
 * explicit value is the client's, only the server's own defaults must
 * hold together.
 */
#ifndef VSPC_NEW_RECORDS_H
#define VSPC_NEW_RECORDS_H

#include <jansson.h>
#include <stdint.h>

#include "contract/entities.h"
#include "world/invariants.h"

/* records_build's record of e (caller owns it) kept by iv (NULL: as
 * records_build makes it) at the present time. */
json_t *new_record_build(const invariants *iv, const entity_model *m, const entity *e,
                         const json_t *input, const json_t *input_schema, uint64_t seed);

#endif
