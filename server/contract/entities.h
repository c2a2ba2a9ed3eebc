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
    const char *name;       /* schema name, the store's record type */
    const json_t *schema;   /* the item schema (a $ref into the document) */
    const char *id_prop;    /* property holding the id, or NULL (synthetic) */
    const char *id_param;   /* the item route's parameter name, or NULL */
    size_t item_depth;      /* segments of its shortest item template */
    const struct entity *root; /* perspective: the root entity its _embedded
                                * holds (Company -> Organization), sharing
                                * its UIDs; NULL otherwise */
    const char *root_key;   /* the root's member name in _embedded */
} entity;

typedef struct binding {
    binding_kind kind;
    const entity *entity;
    const char *id_param;   /* GET/PATCH/PUT/DELETE/ACTION: the id's parameter */
    const char *action;     /* ACTION: the last segment, e.g. "start" */
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
/* The number of operations bound to each kind (for logs and tests). */
void entities_counts(const entity_model *m, size_t counts[BIND_ACTION + 1]);

#endif
