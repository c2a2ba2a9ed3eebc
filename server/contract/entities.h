/* entities.h — the stateful model inferred from the contract.
 *
 * An entity type is the item schema of a collection GET ("Company" for GET
 * /organizations/companies); the store keeps its records under that name.
 * Each operation is then bound, by its shape alone, to what it does to
 * records:
 *   LIST    GET returning an array of E; its path parameters restrict the
 *           records (by property or by the record's scope keys);
 *   GET, PATCH, PUT, DELETE
 *           on a template ending in a parameter, answering E (DELETE: the
 *           template has a GET of E); the parameter holds the record's id;
 *   CREATE  POST on a list template of E answering E;
 *   ACTION  POST without a body on an item template plus one word
 *           (".../{jobUid}/start"); the effects live in the mapping file;
 *   NONE    anything else keeps the generated answer.
 * A perspective is an entity whose _embedded object holds exactly one other
 * entity, its root (Company and Reseller -> Organization, the job types ->
 * BackupServerJob): a record and its root record share one UID.
 * A record's id is its instanceUid, else the property named like the item
 * route's parameter, else what schema/entities.json says. That mapping file
 * holds every decision inference cannot make (ids, action effects, cascades,
 * reference names): no route-specific C.
 *
 * Older versions (entities_link): an entity of an older version that the
 * newest version has under another name reads and writes the newest's
 * records. Its successor is the newest's entity listed on the same list
 * template (3.6's BackupServerCredentialsRecord at
 * /infrastructure/backupServers/{backupServerUid}/credentials is 3.6.1's
 * BackupServerCredentialsRecordType0), else the one the mapping's
 * "successors" names, with the properties it renames (3.5.1's
 * CompanySiteResource is 3.6.1's CloudTenant, ownerCredentials its
 * credentials). Such an entity takes its successor's name, the store's
 * record type, and keeps its own schema: its clients see the newest
 * records through entities_view (renamed members, and the record's path
 * keys where its version's schema has them as properties).
 */
#ifndef VSPC_ENTITIES_H
#define VSPC_ENTITIES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "contract/contract.h"

typedef enum binding_kind {
    BIND_NONE,
    BIND_LIST,
    BIND_GET,
    BIND_CREATE,
    BIND_PATCH,
    BIND_PUT,
    BIND_DELETE,
    BIND_ACTION,
} binding_kind;

typedef struct entity {
    const char *name;       /* the store's record type: the schema's name, or
                             * its successor's (see above) */
    const char *schema_name; /* the schema's name in this version */
    const json_t *schema;   /* the item schema (a $ref into the document) */
    const char *id_prop;    /* property holding the id, or NULL (synthetic) */
    const char *id_param;   /* the item route's parameter name, or NULL */
    size_t item_depth;      /* segments of its shortest item template */
    const struct entity *root; /* perspective: the root entity its _embedded
                                * holds (Company -> Organization), sharing
                                * its UIDs; NULL otherwise */
    const char *root_key;   /* the root's member name in _embedded */
    const struct entity *successor; /* the newest version's entity holding
                                     * its records under another name, or NULL */
    const json_t *renames;  /* successor: this version's property -> the
                             * newest's (the mapping's), or NULL */
} entity;

typedef struct binding {
    binding_kind kind;
    const entity *entity;
    const char *id_param;   /* GET/PATCH/PUT/DELETE/ACTION: the id's parameter */
    const char *action;     /* ACTION: the last segment, e.g. "start" */
    bool by_key;            /* GET/PATCH of a singular sub-resource
                             * (/users/{userUid}/backupResource; the newest
                             * version's): the record is the one whose
                             * id_param member (body or path key) is the
                             * path's value */
} binding;

typedef struct entity_model {
    entity *entities;       /* owned */
    size_t count;
    binding *bindings;      /* owned, one per operation of the contract */
    const contract *contract;
    json_t *mapping;        /* owned: schema/entities.json */
} entity_model;

/* Infers the model of contract c; mapping is the parsed entities.json (a
 * new reference is taken; may be NULL). NULL with err on failure. */
entity_model *entities_build(const contract *c, json_t *mapping, char *err, size_t errlen);
void entities_free(entity_model *m);

/* The binding of op (index into c->ops). */
const binding *entities_binding(const entity_model *m, const operation *op);
/* The entity named name, or NULL. */
const entity *entities_find(const entity_model *m, const char *name);
/* The entity a reference property or path parameter such as
 * "backupServerUid" points to, or NULL: the entity whose item route uses
 * that parameter name (the most general one when several do), unless the
 * mapping's "references" says otherwise. */
const entity *entities_for_key(const entity_model *m, const char *key);
/* The entity a ...Uid member names wherever it appears: entities_for_key,
 * else that of its qualified tail ("targetRepositoryUid",
 * "archiveRepositoryUid" -> "repositoryUid"; "mappedOrganizationUid" ->
 * "organizationUid"), the longest tail naming one; never instanceUid, and
 * a name the mapping's "references" sets to null names none. */
const entity *entities_for_reference(const entity_model *m, const char *key);
/* The entity path parameter key of template tpl names: the entity whose
 * item GET is tpl up to {key}; else the one listed on tpl up to the
 * segment before it ("/protectedWorkloads/fileShares/{fileShareUid}/backups":
 * a record of GET /protectedWorkloads/fileShares); else entities_for_key
 * (the mapping's "references", then the name). So a nested
 * list's key names its parent even where the name alone is ambiguous
 * ("instanceUid", "fileShareUid" of on-premises and of cloud shares). */
const entity *entities_for_path_key(const entity_model *m, const char *tpl, const char *key);
/* The entities a top-level member key of e's records names: those key
 * names as a path parameter of e's list templates, distinct, in contract
 * order; *count gets how many (0: none, the name alone decides:
 * entities_for_key). Several: e is listed under parents of several types
 * by one key (BackupAgentAssignedBackupPolicy under Windows, Linux and Mac
 * agents, all {backupAgentUid}), and each record hangs off one of them.
 * Returns the which-th, or NULL past the last. */
const entity *entities_for_member(const entity_model *m, const entity *e, const char *key,
                                  size_t which, size_t *count);
/* Links the entities of m, an older version's model, to their successors
 * in newest (see above): each takes its successor's name. False with err
 * when the mapping's "successors" names no entity of newest. */
bool entities_link(entity_model *m, const entity_model *newest, char *err, size_t errlen);
/* The name the newest version's record gives e's property. */
const char *entities_stored_name(const entity *e, const char *property);
/* A stored record (newest shape) as e's version names it: renamed members
 * under e's names, and the members of scope (the record's path keys) that
 * e's schema has and the record lacks. A new reference; the record itself
 * when nothing changes. */
json_t *entities_view(const entity_model *m, const entity *e, json_t *stored,
                      const json_t *scope);
/* Writes the change from before to after (two views of e's version) into
 * stored (newest shape): changed and added members under their stored
 * names, removed ones removed. */
void entities_apply_change(const entity *e, const json_t *before, const json_t *after,
                           json_t *stored);
/* The number of operations bound to each kind (for logs and tests). */
void entities_counts(const entity_model *m, size_t counts[BIND_ACTION + 1]);

#endif
