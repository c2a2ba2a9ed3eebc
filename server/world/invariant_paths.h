/* invariant_paths.h — where a rule's property paths lead in an object.
 *
 * A path is member names joined by "/" ("data/period/toDate"), relative to
 * the object a rule is checked at; a "*" segment steps into every item of
 * an array (charges, then *, then gross reaches each charge's gross). A slot is one
 * value reached, with its place, so a repair can replace it.
 */
#ifndef VSPC_INVARIANT_PATHS_H
#define VSPC_INVARIANT_PATHS_H

#include <jansson.h>
#include <stddef.h>

/* One place a path reaches: value = parent[key] or parent[index]. */
typedef struct inv_slot {
    json_t *parent;
    const char *key;        /* NULL: an array item (the key is the object's own) */
    size_t index;
    json_t *value;
} inv_slot;

#define INV_MAX_SLOTS 64

/* The values path reaches from obj (up to max); returns how many. */
size_t inv_path_slots(json_t *obj, const char *path, inv_slot *out, size_t max);
/* The first value path reaches (its slot in *slot when not NULL), or
 * NULL: what a one-value path ("profile/email") is read by. */
json_t *inv_path_first(json_t *obj, const char *path, inv_slot *slot);
/* Replaces the slot's value (steals v). */
void inv_slot_set(inv_slot *s, json_t *v);

#endif
