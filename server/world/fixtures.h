/* fixtures.h — the hand-written part of the default world.
 *
 * A fixtures folder holds JSON files, each an object of entity type ->
 * array of records as the API shows them ({"Company": [{"instanceUid":
 * ..., "name": "Alpha", ...}]}); a record may give only some members, the
 * world generator fills the rest. Files are read in name order and their
 * arrays joined. fixtures_check() refuses a type the model does not know
 * and a member its schema does not have, naming the file's entry, so that
 * a typo in a hand edit is an error at start, not a silent no-op.
 * A record may also carry FIXTURE_SCOPE: an object kept in the record's
 * scope, not its body — what the product holds about a record without
 * showing it in the record (a user's assigned locations, tenancy/scope.h).
 */
#ifndef VSPC_FIXTURES_H
#define VSPC_FIXTURES_H

#include <jansson.h>
#include <stddef.h>

#include "contract/entities.h"

#define FIXTURE_SCOPE "_scope"

/* Reads every *.json of dir into one object (caller owns it). An empty
 * folder is an empty world (an empty object); a missing folder, or a file
 * that is not such an object, is an error (NULL, reason in err). */
json_t *fixtures_load(const char *dir, char *err, size_t errlen);

/* Checks fixtures against model m; false with the first problem in err. */
bool fixtures_check(const json_t *fixtures, const entity_model *m, char *err, size_t errlen);

/* The number of records in all fixture arrays. */
size_t fixtures_count(const json_t *fixtures);

#endif
