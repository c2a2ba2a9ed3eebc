/* entity_links.h — the mapping's statements of cross-type identity
 * (schema/entities.json), checked against the model at start.
 *
 *   "sameAs": {X: {member: Y, ...}}  X has one record per combination of
 *       the records of the Ys (first member outermost), its member holding
 *       that Y record's UID. One member that is X's id: X's records share
 *       Y's UIDs (a backup server's licence record is
 *       /licensing/backupServers/{its uid}); several: X's own UIDs are
 *       drawn, and where its id is among the members, that is the id
 *       clients address it by (a reseller's site resource, by siteUid).
 *   "derived": {X: [{"from": Y, "set": {member: value}, "copy": {member:
 *       member of Y}}]}  X has one record per record of each rule's Y, with
 *       the members set and copied; a copied member X's schema lacks goes
 *       to the record's scope (its path key: a management agent's
 *       proxyable products, one per product server on it).
 *   "typedReferences": {X: {"/pointer/to/uid": {"by": "/pointer/to/type",
 *       "types": {value: entity}, "names": {"/pointer/to/name": [member of the
 *       target, ...]}}}}  a UID whose entity a sibling names (an alarm's
 *       object.objectUid, by object.type), and names taken from its target.
 * Unknown entity or member names fail the start loudly: a typo would
 * otherwise silently do nothing.
 */
#ifndef VSPC_ENTITY_LINKS_H
#define VSPC_ENTITY_LINKS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "contract/entities.h"

/* False with err when a section names an entity m lacks, a member X's
 * schema lacks (a derived copy may go to a list route's path key), or a
 * pointer that is not "/..." . Only the model of the mapping's "version"
 * is checked (an older one lacks some names); the start calls it for
 * every model, after entities_build. */
bool entity_links_check(const entity_model *m, char *err, size_t errlen);

/* e's row of a section ("sameAs", "derived", "typedReferences"), or NULL. */
const json_t *entity_links_of(const entity_model *m, const char *section, const entity *e);


#endif
