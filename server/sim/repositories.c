/* repositories.c — where a run's bytes go: the repository of the job's
 * row (simulation.json jobs[].repository) that shares its key (the job's
 * backup server) fills: usedSpace and backupSize grow by the run's bytes,
 * freeSpace shrinks (never below 0). A repository the world left without
 * its info gets the row's "start" first. */
#include "sim/sim_internal.h"

#include <stdlib.h>

void repositories_filled(simulation *s, const job_kind *k, json_t *job, int64_t bytes)
{
    const json_t *cfg = json_object_get(k->row, "repository");
    const char *type = json_string_value(json_object_get(cfg, "type"));
    const char *key = json_string_value(json_object_get(cfg, "key"));
    const char *info_ptr = json_string_value(json_object_get(cfg, "info"));
    const char *value = key ? json_string_value(json_object_get(job, key)) : NULL;
    if (!type || !value || !info_ptr || bytes <= 0)
        return;
    store_filter f = {.n = 1, .keys = {key}, .values = {value}};
    char *uid = NULL;
    json_t *repo = NULL;
    if (store_find(s->st, type, &f, &uid, &repo, NULL) != STORE_OK)
        return;
    json_t *info = json_pointer_get(repo, info_ptr);
    if (!json_is_object(info)) {
        info = json_deep_copy(json_object_get(cfg, "start"));
        sim_ptr_set(repo, info_ptr, info);
    }
    if (json_is_object(info)) {
        json_int_t used = json_integer_value(json_object_get(info, "usedSpace")) + bytes;
        json_int_t size = json_integer_value(json_object_get(info, "backupSize")) + bytes;
        json_int_t free_space = json_integer_value(json_object_get(info, "freeSpace")) - bytes;
        json_object_set_new(info, "usedSpace", json_integer(used));
        json_object_set_new(info, "backupSize", json_integer(size));
        json_object_set_new(info, "freeSpace", json_integer(free_space > 0 ? free_space : 0));
        store_update(s->st, type, uid, repo);
    }
    json_decref(repo);
    free(uid);
}
