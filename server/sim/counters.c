/* counters.c — counts a record keeps of others that follow them
 * (simulation.json "counters"): a backup agent's total, running and
 * successful jobs are recounted from its jobs' records whenever one of
 * them starts or ends, and once for every agent at start. */
#include "sim/sim_internal.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"

static bool counts_type(const json_t *row, const char *type)
{
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(row, "jobs"), i, t)
        if (!strcmp(json_string_value(t), type))
            return true;
    return false;
}

/* Recounts the members of record uid of row's type from its jobs. */
static void recount(simulation *s, const json_t *row, const char *uid)
{
    const char *type = json_string_value(json_object_get(row, "type"));
    const char *key = json_string_value(json_object_get(row, "key"));
    char status_path[128], key_path[128];
    sim_json_path(json_string_value(json_object_get(row, "status")), status_path, sizeof status_path);
    snprintf(key_path, sizeof key_path, "$.%s", key ? key : "");
    buf sql;
    buf_init(&sql);
    buf_printf(&sql, "SELECT json_extract(body, ?), count(*) FROM records WHERE type IN (");
    json_t *args = json_pack("[s]", status_path);
    sim_sql_list(&sql, args, json_object_get(row, "jobs"));
    buf_printf(&sql, ") AND json_extract(body, ?) = ? GROUP BY 1");
    json_array_append_new(args, json_string(key_path));
    json_array_append_new(args, json_string(uid));
    json_t *rows = NULL;
    bool got = sim_sql(s, sql.data, args, 64, &rows);
    buf_free(&sql);
    json_t *record = NULL;
    if (got && store_get(s->st, type, uid, &record, NULL) == STORE_OK) {
        bool changed = false;
        const char *member;
        json_t *status;
        json_object_foreach(json_object_get(row, "members"), member, status) {
            json_int_t n = 0;
            size_t i;
            json_t *r;
            json_array_foreach(rows, i, r) {
                const char *st = json_string_value(json_array_get(r, 0));
                if (!strcmp(json_string_value(status), "*") || (st && !strcmp(st, json_string_value(status))))
                    n += json_integer_value(json_array_get(r, 1));
            }
            json_t *old = json_pointer_get(record, member);
            if (!json_is_integer(old) || json_integer_value(old) != n) {
                sim_ptr_set(record, member, json_integer(n));
                changed = true;
            }
        }
        if (changed)
            store_update(s->st, type, uid, record);
    }
    json_decref(record);
    json_decref(rows);
}

void counters_job_changed(simulation *s, const job_kind *k, json_t *job)
{
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(s->params, "counters"), i, row) {
        const char *owner = json_string_value(
            json_object_get(job, json_string_value(json_object_get(row, "key"))));
        if (owner && counts_type(row, k->type))
            recount(s, row, owner);
    }
}

/* At start, the records some job points to (an agent without jobs keeps
 * what the world gave it: a start must not write every agent of a large
 * world). */
void counters_refresh(simulation *s)
{
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(s->params, "counters"), i, row) {
        char key_path[128];
        snprintf(key_path, sizeof key_path, "$.%s",
                 json_string_value(json_object_get(row, "key")) ? json_string_value(json_object_get(row, "key")) : "");
        buf sql;
        buf_init(&sql);
        buf_printf(&sql, "SELECT DISTINCT json_extract(body, ?) FROM records WHERE type IN (");
        json_t *args = json_pack("[s]", key_path);
        sim_sql_list(&sql, args, json_object_get(row, "jobs"));
        buf_printf(&sql, ") ORDER BY 1");
        json_t *rows = NULL;
        sim_sql(s, sql.data, args, 100000, &rows);
        buf_free(&sql);
        size_t j;
        json_t *r;
        store_begin(s->st);
        json_array_foreach(rows, j, r) {
            const char *uid = json_string_value(json_array_get(r, 0));
            if (uid)
                recount(s, row, uid);
            if ((j + 1) % (size_t)s->batch == 0) { /* short transactions */
                store_commit(s->st);
                store_begin(s->st);
            }
        }
        store_commit(s->st);
        json_decref(rows);
    }
}
