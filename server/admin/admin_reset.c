/* admin_reset.c — POST /_emulator/reset: the world back to the default one
 * (the fixtures and the records of --seed and --scale, as a fresh data dir
 * has it), or to a named snapshot (?snapshot=NAME, or a JSON body
 * {"snapshot": "NAME"}). The default world is built into a file of its own
 * first (app/default_world.h; the fixtures are read again, so an edited
 * fixture shows) and then restored as a snapshot is: the live world is
 * replaced in one step, and requests meanwhile see the old one. What is not
 * in the database stays: the token signing keys, the admin secret, the
 * configuration. */
#include <limits.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "admin/admin_endpoints.h"
#include "admin/admin_snapshots.h"
#include "answer/errors.h"
#include "app/default_world.h"
#include "base/log.h"

/* The default world's file while it is built: not a snapshot name. */
#define RESET_FILE ".reset.building"

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
    if (!snapshot_path(req->app, RESET_FILE, path, sizeof path, err, sizeof err)) {
        error_internal(res, "%s", err);
        return;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    snapshot_lock();
    world_stats built;
    if (!default_world_file(req->app, path, &built, err, sizeof err)) {
        log_error("admin: reset: %s", err);
        error_internal(res, "The default world could not be built: %s", err);
    } else {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
                    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        snapshot_restore_answer(req, res, path, "default", NULL, ms);
        unlink(path);
    }
    snapshot_unlock();
}
