/* world.h — the default world: a believable, consistent service-provider
 * world built into an empty store, deterministically from a seed.
 *
 * Every entity type of the model gets records generated from its schema
 * (generate.h). Identity and references are then made consistent:
 *   - a record's id property holds its UID (or a number or name, by type);
 *   - a perspective (a schema whose _embedded holds a root entity, e.g.
 *     Company -> Organization, BackupServerBackupVmJob -> BackupServerJob)
 *     shares its UIDs with records of its root, so both views are one thing;
 *   - every ...Uid property, at any depth, that names an entity (see
 *     entities_for_key) points to an existing record of it;
 *   - path keys a record is listed under but does not carry are kept in
 *     its scope, pointing to existing records too.
 * Fixtures (hand-written records) come first: a fixture's members win over
 * generated ones, its id is the record's UID, and its references are kept.
 * Every record then keeps the invariants (invariants.h), fixtures
 * included, and the rules between records are kept once all stand.
 * Counts come from the options and the mapping's "world" section
 * (schema/entities.json), never fewer than the fixtures.
 * Same seed, sizes and fixtures, same world.
 */
#ifndef VSPC_WORLD_H
#define VSPC_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include <stdint.h>

#include "contract/entities.h"
#include "store/store.h"
#include "world/invariants.h"

/* The default world's size (until --scale changes it) and seed. */
#define WORLD_DEFAULT_COMPANIES 10
#define WORLD_DEFAULT_PER_ENTITY 3
#define WORLD_DEFAULT_SEED 1

typedef struct world_options {
    uint64_t seed;
    long companies;        /* records of Company (and its perspectives' root) */
    long per_entity;       /* records of every other entity type */
    long agents_per_company; /* > 0: records of the mapping's world.perCompany
                              * types = companies x this */
    const json_t *fixtures; /* {"Company": [records...], ...} or NULL: the
                              * first records of each type, as written */
    time_t now;            /* the world's present (0: time(NULL)): what has
                            * happened is before it, what is due after */
    const invariants *rules; /* schema/invariants.json, kept by every
                              * generated record; NULL: none */
    /* called after each record written: done of expected in this build
     * (world_progress.h logs it); NULL: none */
    void (*progress)(void *ctx, long done, long expected);
    void *progress_ctx;
} world_options;

typedef struct world_stats {
    long records;          /* records written */
    long entities;         /* entity types populated */
    double ms;             /* time taken */
} world_stats;

/* Builds the world of model m into st (one transaction), for the entity
 * types of which st holds no record yet: built newest version first, an
 * older version then adds only the types the newer ones lack. False with
 * err on failure, and the store is left as it was. */
bool world_build(store *st, const entity_model *m, const world_options *o, world_stats *stats,
                 char *err, size_t errlen);

/* Reads "companies=N[,agentsPerCompany=M]" (--scale) into o; "" leaves
 * o as it is. False with err on a malformed value. */
bool world_parse_scale(const char *text, world_options *o, char *err, size_t errlen);

/* The UID (or id text) of record i of entity e in the world of seed, as
 * world_build assigns it; writes into out. For tests and tools. */
void world_uid(const entity_model *m, const entity *e, long i, const world_options *o,
               char *out, size_t len);

#endif
