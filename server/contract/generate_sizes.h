/* generate_sizes.h — generated sizes that agree with their capacity.
 *
 * In one generated object, what is used, free or consumed of something
 * never exceeds the capacity or quota it is part of: "usedStorageQuota"
 * <= "storageQuota", "usedSpace" and "freeSpace" <= "capacity" (and add up
 * to it when both are there). Sizes in other units ("...Gb") pair only
 * with their own unit. Deterministic in the seed.
 */
#ifndef VSPC_GENERATE_SIZES_H
#define VSPC_GENERATE_SIZES_H

#include <jansson.h>
#include <stdint.h>

/* Rewrites the integer members of obj that are parts of a capacity beside
 * them so that they fit it. Other members are left as they are. */
void sizes_fit(json_t *obj, uint64_t seed);

#endif
