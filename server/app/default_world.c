/* default_world.c — see default_world.h. */
#include "app/default_world.h"

#include <stdio.h>
#include <unistd.h>

#include "auth/accounts.h"
#include "auth/credentials.h"
#include "base/log.h"
#include "tenancy/owners.h"
#include "world/fixtures.h"
#include "world/world_progress.h"

bool default_world_build(store *st, const app *a, time_t now, world_stats *out, char *err,
                         size_t errlen)
{
    world_options o = {.seed = (uint64_t)a->cfg.seed, .companies = WORLD_DEFAULT_COMPANIES,
                       .per_entity = WORLD_DEFAULT_PER_ENTITY, .rules = a->invariants, .now = now};
    if (!world_parse_scale(a->cfg.scale, &o, err, errlen))
        return false;
    json_t *fixtures = fixtures_load(a->cfg.fixtures_dir, err, errlen);
    if (!fixtures)
        return false;
    if (!fixtures_check(fixtures, a->models[0], err, errlen)) {
        json_decref(fixtures);
        return false;
    }
    o.fixtures = fixtures;
    world_progress progress = {0};
    o.progress = world_progress_note;
    o.progress_ctx = &progress;
    world_stats total = {0};
    for (size_t i = 0; i < a->contracts.count; i++) {
        /* the newest version first; older ones add the types it dropped */
        world_stats one;
        if (!world_build(st, a->models[i], &o, &one, err, errlen)) {
            json_decref(fixtures);
            return false;
        }
        total.records += one.records;
        total.entities += one.entities;
        total.ms += one.ms;
    }
    log_info("store: default world built: %ld records of %ld entity types (%zu from fixtures) "
             "in %.0f ms (seed %ld)",
             total.records, total.entities, fixtures_count(fixtures), total.ms, a->cfg.seed);
    json_decref(fixtures);
    if (out)
        *out = total;
    return true;
}

static void remove_files(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        char one[1100];
        snprintf(one, sizeof one, "%s%s", path, suffixes[i]);
        unlink(one);
    }
}

bool default_world_file(const app *a, const char *path, time_t now, world_stats *out, char *err,
                        size_t errlen)
{
    remove_files(path);
    store *st = store_open(path, err, errlen);
    if (!st)
        return false;
    bool ok = default_world_build(st, a, now, out, err, errlen);
    if (ok && !(owners_derive_all(st, a->owners, true) && credentials_init(st))) {
        snprintf(err, errlen, "cannot derive owners or make the credential tables: %s",
                 store_errmsg(st));
        ok = false;
    }
    ok = ok && accounts_seed(st, a->cfg.fixtures_dir, a->cfg.admin_user, a->cfg.admin_password,
                             err, errlen);
    /* one file: a restore reads it without a -wal beside it */
    json_t *rows = NULL;
    if (ok && store_exec(st, "PRAGMA journal_mode=DELETE", NULL, 1, &rows, NULL) != STORE_OK) {
        snprintf(err, errlen, "cannot make %s self-contained: %s", path, store_errmsg(st));
        ok = false;
    }
    json_decref(rows);
    store_close(st);
    if (!ok)
        remove_files(path);
    return ok;
}
