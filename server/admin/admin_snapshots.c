/* admin_snapshots.c — POST /_emulator/snapshots (save), GET (list),
 * POST /_emulator/snapshots/{name}/restore and DELETE
 * /_emulator/snapshots/{name}; see admin_snapshots.h. */
#include "admin/admin_snapshots.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "admin/admin_endpoints.h"
#include "answer/errors.h"
#include "app/app.h"
#include "async/actions.h"
#include "base/files.h"
#include "base/log.h"
#include "sim/simulation.h"
#include "store/store_backup.h"

#define SNAPSHOT_EXT ".db"

static pthread_mutex_t whole_world = PTHREAD_MUTEX_INITIALIZER;

void snapshot_lock(void) { pthread_mutex_lock(&whole_world); }
void snapshot_unlock(void) { pthread_mutex_unlock(&whole_world); }

bool snapshot_name_valid(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    return n >= 1 && n <= SNAPSHOT_NAME_MAX &&
           strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

bool snapshot_path(const app *a, const char *file, char *out, size_t len, char *err,
                   size_t errlen)
{
    char dir[PATH_MAX];
    if ((size_t)snprintf(dir, sizeof dir, "%s/%s", a->cfg.data_dir, SNAPSHOT_DIR) >= sizeof dir ||
        (size_t)snprintf(out, len, "%s/%s", dir, file) >= len) {
        snprintf(err, errlen, "the data dir's path is too long");
        return false;
    }
    return files_make_dir(dir, "snapshot folder", err, errlen);
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

void snapshot_restore_answer(request *req, response *res, const char *path, const char *what,
                             const char *name, double build_ms)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char err[512];
    if (!store_backup_restore(req->app->store, path, err, sizeof err)) {
        log_error("admin: restore of %s: %s", path, err);
        error_internal(res, "The world could not be replaced: %s", err);
        return;
    }
    /* a restored world's running actions run when due, and it moves on */
    async_rescan(req->app->async);
    sim_world_replaced(req->app->sim);
    long records = store_count(req->app->store, NULL);
    double ms = build_ms + ms_since(&t0);
    log_info("admin: world replaced by %s%s%s: %ld records in %.0f ms", what, name ? " " : "",
             name ? name : "", records, ms);
    response_data(res, json_pack("{s:s, s:s?, s:I, s:f}", "world", what, "snapshot", name,
                                 "records", (json_int_t)records, "ms", ms));
}

/* The file of snapshot name into out; false with the answer made when the
 * name is not one or the folder cannot be made. */
static bool named_file(request *req, response *res, const char *name, bool in_body, char *out,
                       size_t len)
{
    if (!snapshot_name_valid(name)) {
        error_answer(res, in_body ? E_BAD_PROPERTY : E_BAD_PARAMETER, "name",
                     "A snapshot name is 1 to %d letters, digits, '.', '_' or '-'.",
                     SNAPSHOT_NAME_MAX);
        return false;
    }
    char file[SNAPSHOT_NAME_MAX + sizeof SNAPSHOT_EXT], err[512];
    snprintf(file, sizeof file, "%s%s", name, SNAPSHOT_EXT);
    if (!snapshot_path(req->app, file, out, len, err, sizeof err)) {
        error_internal(res, "%s", err);
        return false;
    }
    return true;
}

/* One snapshot as the list shows it, or NULL when path is none. */
static json_t *describe(const char *name, const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return NULL;
    char created[32];
    struct tm tm;
    gmtime_r(&sb.st_mtime, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return json_pack("{s:s, s:s, s:I, s:I}", "name", name, "created", created, "bytes",
                     (json_int_t)sb.st_size, "records", (json_int_t)store_backup_records(path));
}

static bool is_true(const char *text)
{
    return text && (!strcmp(text, "true") || !strcmp(text, "1"));
}

static void not_found(response *res, const char *name)
{
    error_not_found(res, "The snapshot '%s' does not exist.", name);
}

void admin_post_snapshot(request *req, response *res, const admin_params *p)
{
    (void)p;
    json_t *body = req->body_len ? json_loadb(req->body, req->body_len, 0, NULL) : NULL;
    const char *name = json_string_value(json_object_get(body, "name"));
    char path[PATH_MAX];
    if (!named_file(req, res, name, true, path, sizeof path)) {
        json_decref(body);
        return;
    }
    bool overwrite = is_true(request_query(req, "overwrite"));
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    snapshot_lock();
    char err[512];
    if (!overwrite && access(path, F_OK) == 0) {
        error_answer(res, E_CONFLICT, "name",
                     "The snapshot '%s' exists; delete it first or save with ?overwrite=true.",
                     name);
    } else if (!store_backup_save(req->app->store, path, err, sizeof err)) {
        log_error("admin: snapshot %s: %s", name, err);
        error_internal(res, "The snapshot could not be saved: %s", err);
    } else {
        json_t *d = describe(name, path);
        json_object_set_new(d, "ms", json_real(ms_since(&t0)));
        log_info("admin: snapshot %s saved", name);
        response_data(res, d);
    }
    snapshot_unlock();
    json_decref(body);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void admin_get_snapshots(request *req, response *res, const admin_params *p)
{
    (void)p;
    char dir[PATH_MAX], err[512];
    if (!snapshot_path(req->app, "", dir, sizeof dir, err, sizeof err)) {
        error_internal(res, "%s", err);
        return;
    }
    json_t *items = json_array();
    snapshot_lock(); /* no file half renamed or half deleted meanwhile */
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t len = strlen(e->d_name), ext = strlen(SNAPSHOT_EXT);
        if (len <= ext || strcmp(e->d_name + len - ext, SNAPSHOT_EXT))
            continue;
        char *name = strndup(e->d_name, len - ext);
        if (!name || !snapshot_name_valid(name)) {
            free(name);
            continue;
        }
        if (n == cap) {
            size_t more = cap ? 2 * cap : 16;
            char **grown = realloc(names, more * sizeof *names);
            if (!grown) {
                free(name);
                continue;
            }
            names = grown;
            cap = more;
        }
        names[n++] = name;
    }
    if (d)
        closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX + SNAPSHOT_NAME_MAX + sizeof SNAPSHOT_EXT];
        snprintf(path, sizeof path, "%s%s%s", dir, names[i], SNAPSHOT_EXT);
        json_t *one = describe(names[i], path);
        if (one)
            json_array_append_new(items, one);
        free(names[i]);
    }
    snapshot_unlock();
    free(names);
    long count = (long)json_array_size(items);
    response_page(res, items, count, count, 0);
}

void admin_post_snapshot_restore(request *req, response *res, const admin_params *p)
{
    const char *name = admin_param(p, "name");
    char path[PATH_MAX];
    if (!named_file(req, res, name, false, path, sizeof path))
        return;
    snapshot_lock();
    if (access(path, F_OK) != 0)
        not_found(res, name);
    else
        snapshot_restore_answer(req, res, path, "snapshot", name, 0);
    snapshot_unlock();
}

void admin_delete_snapshot(request *req, response *res, const admin_params *p)
{
    const char *name = admin_param(p, "name");
    char path[PATH_MAX];
    if (!named_file(req, res, name, false, path, sizeof path))
        return;
    snapshot_lock();
    if (unlink(path) == 0) {
        log_info("admin: snapshot %s deleted", name);
        response_empty(res);
    } else if (errno == ENOENT) {
        not_found(res, name);
    } else {
        error_internal(res, "The snapshot could not be deleted: %s", strerror(errno));
    }
    snapshot_unlock();
}
