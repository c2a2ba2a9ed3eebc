/* admin_reset.c — POST /_emulator/reset: the world back to the default one
 * (the fixtures and the records of --seed and --scale, as a fresh data dir
 * has it), or to a named snapshot (?snapshot=NAME, or a JSON body
 * {"snapshot": "NAME"}). The default world is built into a file of its own
 * (app/default_world.h) and then restored as a snapshot is: the live world
 * is replaced in one step, and requests meanwhile see the old one. What is
 * not in the database stays: the token signing keys, the admin secret, the
 * configuration.
 *
 * The file is kept for the next reset: building takes as long as the
 * start's build (20,000 companies: 18 s), a restore of it 0.44 s. It is the recipe's result for the configuration and the fixtures
 * as they are at the reset (read again each time, their digest compared),
 * so an edited fixture shows at the next reset. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "admin/admin_endpoints.h"
#include "admin/admin_snapshots.h"
#include "answer/errors.h"
#include "app/default_world.h"
#include "sim/simulation.h"
#include "base/buf.h"
#include "base/log.h"
#include "crypto/digest.h"
#include "world/fixtures.h"

/* The default world's file: not a snapshot name (no ".db"). */
#define DEFAULT_FILE ".default-world"

/* The digest of what the kept file was built from (guarded by
 * snapshot_lock). */
static unsigned char kept_digest[DIGEST_SHA256_LEN];
static bool kept;

/* The digest of what the default world is built from now: the fixtures'
 * text and the settings default_world_file reads. */
static bool world_digest(const app *a, unsigned char out[DIGEST_SHA256_LEN], char *err,
                         size_t errlen)
{
    json_t *fixtures = fixtures_load(a->cfg.fixtures_dir, err, errlen);
    char *text = fixtures ? json_dumps(fixtures, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
    json_decref(fixtures);
    if (!text)
        return false;
    buf all;
    buf_init(&all);
    buf_printf(&all, "%ld\n%s\n%s\n%s\n", a->cfg.seed, a->cfg.scale, a->cfg.admin_user,
               a->cfg.admin_password);
    buf_puts(&all, text);
    free(text);
    bool ok = !all.failed && digest_sha256(all.data, all.len, out);
    buf_free(&all);
    if (!ok)
        snprintf(err, errlen, "out of memory");
    return ok;
}

static void reset_to_snapshot(request *req, response *res, const char *name)
{
    admin_params named = {.n = 1};
    snprintf(named.names[0], sizeof named.names[0], "name");
    snprintf(named.values[0], sizeof named.values[0], "%s", name);
    admin_post_snapshot_restore(req, res, &named);
}

void admin_post_reset(request *req, response *res, const admin_params *p)
{
    (void)p;
    const char *name = request_query(req, "snapshot");
    json_t *body = !name && req->body_len ? json_loadb(req->body, req->body_len, 0, NULL) : NULL;
    if (!name && json_object_get(body, "snapshot"))
        name = json_string_value(json_object_get(body, "snapshot"));
    if (name || json_object_get(body, "snapshot")) {
        if (!name || !snapshot_name_valid(name))
            error_answer(res, body ? E_BAD_PROPERTY : E_BAD_PARAMETER, "snapshot",
                         "A snapshot name is 1 to %d letters, digits, '.', '_' or '-'.",
                         SNAPSHOT_NAME_MAX);
        else
            reset_to_snapshot(req, res, name);
        json_decref(body);
        return;
    }
    json_decref(body);
    char path[PATH_MAX], err[512];
    if (!snapshot_path(req->app, DEFAULT_FILE, path, sizeof path, err, sizeof err)) {
        error_internal(res, "%s", err);
        return;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    snapshot_lock();
    unsigned char now[DIGEST_SHA256_LEN];
    bool ok = world_digest(req->app, now, err, sizeof err);
    bool reuse = ok && kept && !memcmp(now, kept_digest, sizeof now) && access(path, R_OK) == 0;
    if (ok && !reuse) {
        kept = false;
        world_stats built;
        ok = default_world_file(req->app, path,
                                sim_world_now(req->app->cfg.schema_dir, req->app->cfg.clock),
                                &built, err, sizeof err);
        if (ok) {
            memcpy(kept_digest, now, sizeof now);
            kept = true;
        }
    }
    if (!ok) {
        log_error("admin: reset: %s", err);
        error_internal(res, "The default world could not be built: %s", err);
    } else {
        if (reuse)
            log_info("admin: reset: the default world built at an earlier reset");
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
                    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        snapshot_restore_answer(req, res, path, "default", NULL, ms);
    }
    snapshot_unlock();
}
