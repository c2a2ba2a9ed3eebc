/* sim_records.c — what the simulation's concern files (jobs, alarms,
 * heartbeats, billing, counters, repositories) share, apart from the step
 * loop that calls them: reading and writing a record's members by JSON
 * Pointer, its date-times in VSPC's text, SQL over the side tables and the
 * side state, and the names of a session's results (sim_internal.h). */
#include "sim/sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

const char *const sim_result_names[4] = {"Success", "Warning", "Failed", "Stopped"};

void sim_ptr_set(json_t *doc, const char *ptr, json_t *value)
{
    if (!ptr || ptr[0] != '/' || !json_is_object(doc)) {
        json_decref(value);
        return;
    }
    char part[128];
    const char *p = ptr + 1;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        snprintf(part, sizeof part, "%.*s", (int)n, p);
        if (!slash) {
            json_object_set_new(doc, part, value);
            return;
        }
        json_t *next = json_object_get(doc, part);
        if (!json_is_object(next)) {
            next = json_object();
            json_object_set_new(doc, part, next);
        }
        doc = next;
        p = slash + 1;
    }
}

void sim_json_path(const char *ptr, char *out, size_t len)
{
    size_t n = (size_t)snprintf(out, len, "$");
    for (const char *p = ptr ? ptr : ""; *p && n + 1 < len; p++)
        out[n++] = *p == '/' ? '.' : *p;
    out[n < len ? n : len - 1] = 0;
}

void sim_sql_list(buf *sql, json_t *args, const json_t *values)
{
    for (size_t i = 0; i < json_array_size(values); i++) {
        buf_printf(sql, "%s?", i ? ", " : "");
        json_array_append(args, json_array_get(values, i));
    }
}

void sim_set_time(json_t *doc, const char *ptr, int64_t ms)
{
    if (!ptr)
        return;
    char text[CLOCK_TEXT_LEN];
    clock_format(ms, text, sizeof text);
    sim_ptr_set(doc, ptr, json_string(text));
}

bool sim_sql(simulation *s, const char *sql, json_t *args, size_t max_rows, json_t **rows)
{
    if (!args)
        args = json_array();
    store_status st = store_exec(s->st, sql, args, max_rows, rows, NULL);
    json_decref(args);
    if (st != STORE_OK)
        log_warn("simulation: %s: %s", sql, store_errmsg(s->st));
    return st == STORE_OK;
}

int64_t sim_sql_int(simulation *s, const char *sql, json_t *args, int64_t def)
{
    json_t *rows = NULL;
    int64_t v = def;
    if (sim_sql(s, sql, args, 1, &rows)) {
        json_t *cell = json_array_get(json_array_get(rows, 0), 0);
        if (json_is_integer(cell))
            v = json_integer_value(cell);
    }
    json_decref(rows);
    return v;
}

int64_t sim_state_get(simulation *s, const char *key, int64_t def)
{
    return sim_sql_int(s, "SELECT value FROM sim_state WHERE key = ?", json_pack("[s]", key), def);
}

void sim_state_set(simulation *s, const char *key, int64_t value)
{
    sim_sql(s, "INSERT INTO sim_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
               "value = excluded.value",
            json_pack("[sI]", key, (json_int_t)value), 0, NULL);
}
