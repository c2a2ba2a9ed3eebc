/* default_world.h — the default world of the configuration: the fixtures
 * (--fixtures) and the records generated from --seed and --scale, built
 * newest contract version first (older ones add only the types it lacks).
 * One recipe for the start on an empty data dir and for the admin API's
 * reset (admin/admin_reset.c), so both give the same world.
 *
 * default_world_build fills a store that holds no records (the start: the
 * owners and passwords follow in their own steps of startup.c).
 * default_world_file makes a whole database as a fresh data dir has it
 * once started: the world, the owners of its records derived, the
 * credential tables, the default users' passwords (--admin-user and
 * --admin-password true of the administrator). No issued token, no API key.
 */
#ifndef VSPC_DEFAULT_WORLD_H
#define VSPC_DEFAULT_WORLD_H

#include <stdbool.h>
#include <stddef.h>

#include "app/app.h"
#include "world/world.h"

/* Builds into st at time now (world_options.now: 0 the present; the
 * caller knows the simulation's clock, sim/simulation.h sim_world_now),
 * the invariants kept (a->invariants), and logs what was built; *out (may
 * be NULL) gets the totals of all versions. False with err. */
bool default_world_build(store *st, const app *a, time_t now, world_stats *out, char *err,
                         size_t errlen);

/* Makes that database at path (replaced if it exists; a single file, no
 * -wal beside it, mode 0600). False with err, path then removed. */
bool default_world_file(const app *a, const char *path, time_t now, world_stats *out, char *err,
                        size_t errlen);

#endif
