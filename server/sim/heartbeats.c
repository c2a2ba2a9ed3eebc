/* heartbeats.c — agents that report a heartbeat (simulation.json
 * "heartbeats"): a connected one's last heartbeat is its latest beat of
 * the period (its phase from the seed and its uid), and a stale status it
 * had becomes healthy; a disconnected one stops beating and, once its last
 * beat is older than staleAfter, shows the stale status. One write per
 * agent and period at most, whatever the advance: only the latest beat is
 * visible. sim_beats keeps when each agent is next due. Records that show
 * an agent's status (a backup agent's managementAgentStatus: the row's
 * "mirrors") take it whenever the agent's record is written. */
#include "sim/sim_internal.h"

#include <stdio.h>
#include <string.h>

#include "base/rng.h"

static const json_t *row_of(simulation *s, const char *type)
{
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(s->params, "heartbeats"), i, row)
        if (!strcmp(json_string_value(json_object_get(row, "type")), type))
            return row;
    return NULL;
}

void heartbeats_register(simulation *s, int64_t now)
{
    (void)now;
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(s->params, "heartbeats"), i, row) {
        const char *type = json_string_value(json_object_get(row, "type"));
        /* next_ms 0: due at once, and its first beat (mirrored whatever) */
        sim_sql(s, "INSERT INTO sim_beats (type, uid, next_ms) SELECT type, uid, 0 FROM records r "
                   "WHERE r.type = ? AND NOT EXISTS (SELECT 1 FROM sim_beats b WHERE b.type = r.type "
                   "AND b.uid = r.uid)",
                json_pack("[s]", type), 0, NULL);
    }
}

/* The records of cfg's mirrors that point to agent uid take its status. */
static void mirror(simulation *s, const json_t *cfg, const char *uid, const char *status)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(cfg, "mirrors"), i, m) {
        const char *type = json_string_value(json_object_get(m, "type"));
        const char *key = json_string_value(json_object_get(m, "key"));
        const char *member = json_string_value(json_object_get(m, "member"));
        if (!type || !key || !member || !status)
            continue;
        char key_path[128];
        snprintf(key_path, sizeof key_path, "$.%s", key);
        json_t *rows = NULL;
        sim_sql(s, "SELECT uid FROM records WHERE type = ? AND json_extract(body, ?) = ? ORDER BY seq",
                json_pack("[sss]", type, key_path, uid), 10000, &rows);
        size_t j;
        json_t *r;
        json_array_foreach(rows, j, r) {
            const char *ruid = json_string_value(json_array_get(r, 0));
            json_t *rec = NULL;
            if (store_get(s->st, type, ruid, &rec, NULL) != STORE_OK)
                continue;
            const char *had = json_string_value(json_pointer_get(rec, member));
            if (!had || strcmp(had, status)) {
                sim_ptr_set(rec, member, json_string(status));
                store_update(s->st, type, ruid, rec);
            }
            json_decref(rec);
        }
        json_decref(rows);
    }
}

/* One agent at now: its record brought up to date; when it is due next. */
static int64_t beat(simulation *s, const json_t *cfg, const char *type, const char *uid, int64_t now,
                    bool first)
{
    int64_t period = json_integer_value(json_object_get(cfg, "period")) * 1000;
    int64_t stale_after = json_integer_value(json_object_get(cfg, "staleAfter")) * 1000;
    if (period <= 0)
        period = 60000;
    json_t *agent = NULL;
    if (store_get(s->st, type, uid, &agent, NULL) != STORE_OK)
        return INT64_MIN; /* gone */
    const char *time_ptr = json_string_value(json_object_get(cfg, "time"));
    const char *status_ptr = json_string_value(json_object_get(cfg, "status"));
    const char *healthy = json_string_value(json_object_get(cfg, "healthy"));
    const char *stale = json_string_value(json_object_get(cfg, "stale"));
    const json_t *conn = json_object_get(cfg, "connected");
    bool connected = json_equal(json_pointer_get(agent, json_string_value(json_object_get(conn, "pointer"))),
                                json_object_get(conn, "value"));
    const char *status = json_string_value(json_pointer_get(agent, status_ptr));
    bool changed = false, status_moved = first;
    int64_t next;
    if (connected) {
        int64_t phase = (int64_t)(rng_mix(s->seed, uid) % (uint64_t)period);
        int64_t last = now - ((now - phase) % period + period) % period;
        sim_set_time(agent, time_ptr, last);
        if (status && stale && !strcmp(status, stale)) {
            sim_ptr_set(agent, status_ptr, json_string(healthy));
            status_moved = true;
        }
        changed = true;
        next = last + period;
    } else {
        int64_t last = 0;
        bool known = clock_parse_time(json_string_value(json_pointer_get(agent, time_ptr)), &last);
        if (!known || last > now) { /* a beat "from the future" is one of now */
            sim_set_time(agent, time_ptr, now);
            last = now;
            changed = true;
        }
        if (now - last >= stale_after) {
            if (!status || strcmp(status, stale)) {
                sim_ptr_set(agent, status_ptr, json_string(stale));
                changed = status_moved = true;
            }
            next = now + period; /* look again: it may have come back */
        } else
            next = last + stale_after;
    }
    if (changed)
        store_update(s->st, type, uid, agent);
    if (status_moved) /* a scan of the mirrors' records: only when it tells something */
        mirror(s, cfg, uid, json_string_value(json_pointer_get(agent, status_ptr)));
    json_decref(agent);
    return next;
}

void heartbeats_step(simulation *s, int64_t now)
{
    for (;;) {
        json_t *rows = NULL;
        if (!sim_sql(s, "SELECT type, uid, next_ms FROM sim_beats WHERE next_ms <= ? ORDER BY next_ms, uid "
                        "LIMIT ?",
                     json_pack("[II]", (json_int_t)now, (json_int_t)s->batch), (size_t)s->batch,
                     &rows)) {
            json_decref(rows);
            return;
        }
        size_t n = json_array_size(rows), i;
        json_t *row;
        if (n)
            store_begin(s->st);
        json_array_foreach(rows, i, row) {
            const char *type = json_string_value(json_array_get(row, 0));
            const char *uid = json_string_value(json_array_get(row, 1));
            const json_t *cfg = row_of(s, type);
            bool first = json_integer_value(json_array_get(row, 2)) == 0;
            int64_t next = cfg ? beat(s, cfg, type, uid, now, first) : INT64_MIN;
            if (next == INT64_MIN)
                sim_sql(s, "DELETE FROM sim_beats WHERE type = ? AND uid = ?",
                        json_pack("[ss]", type, uid), 0, NULL);
            else
                sim_sql(s, "UPDATE sim_beats SET next_ms = ? WHERE type = ? AND uid = ?",
                        json_pack("[Iss]", (json_int_t)next, type, uid), 0, NULL);
        }
        if (n)
            store_commit(s->st);
        json_decref(rows);
        if (n < (size_t)s->batch)
            return;
    }
}
