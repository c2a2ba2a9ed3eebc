/* world_links.h — cross-type identity in the default world: the mapping's
 * "sameAs", "derived" and "typedReferences" (contract/entity_links.h says
 * what each means) turned into the members of generated records.
 *
 * A row is {"body": {member: value}, "scope": {key: value}}: what record
 * i of a type takes over its generated members, applied last, so a
 * licence record names its backup server and a proxyable product the
 * management agent its server runs on, whatever was generated.
 */
#ifndef VSPC_WORLD_LINKS_H
#define VSPC_WORLD_LINKS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "contract/entities.h"
#include "store/store.h"

/* Picks the UID of a record of target for the referring record i of of. */
typedef bool (*world_pick)(void *ctx, const entity *target, long i, long of, char *out,
                           size_t len);

/* sameAs: the rows of e's records, one per combination of the UIDs of the
 * types its row names (uids: type name -> array of UIDs; the first member
 * outermost); NULL when e has no sameAs row. */
json_t *world_links_same_as(const entity_model *m, const entity *e, const json_t *uids);

/* sameAs: the type whose UIDs e's records share (its row names one type,
 * by e's id), or NULL. */
const entity *world_links_shared(const entity_model *m, const entity *e);

/* derived: the number of e's records, given each type's number of
 * records; -1 when e has no derived rule. */
long world_links_derived_count(const entity_model *m, const entity *e,
                               long (*records_of)(void *ctx, const entity *t), void *ctx);

/* derived: the rows of e's records from the stored records of its rules'
 * types (built before it), in rule then store order; NULL when none. */
json_t *world_links_derived(const entity_model *m, store *st, const entity *e);

/* Writes row's body members into body and its scope keys into scope
 * (row, scope may be NULL). */
void world_links_apply(const json_t *row, json_t *body, json_t *scope);

/* typedReferences: the UID member of record i (of `of`) of e points to a
 * record (picked by pick) of the entity its type member names; a type
 * naming no entity of the rule is replaced, the rule's types taken in
 * turn. A reference its fixture gives is kept. */
void world_links_typed(const entity_model *m, const entity *e, json_t *body,
                       const json_t *fixture, long i, long of, world_pick pick, void *ctx);

/* typedReferences with "names" ({"/pointer/to/name": [members of the
 * target to try]}): every stored record of e takes the name of the record
 * its reference points to ("/object/objectName" <- the job's "name"), so
 * an alarm names what it is about. Run when the whole world stands. */
store_status world_links_names(const entity_model *m, store *st, const entity *e);

#endif
