/* alarms.c — a job's failed run raises an active alarm naming it (one per
 * job, kept in sim_alarms; a later failure repeats it), and its next
 * successful run resolves it (simulation.json "alarms"). */
#include "sim/sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "base/uuid.h"
#include "tenancy/owners.h"

static const char *by_type(const json_t *map, const char *type)
{
    const char *v = json_string_value(json_object_get(map, type));
    return v ? v : json_string_value(json_object_get(map, "default"));
}

/* pattern with its first "%s" replaced by a and the second by b (the
 * file's text is never a format string). */
static void fill(char *out, size_t len, const char *pattern, const char *a, const char *b)
{
    size_t n = 0, used = 0;
    const char *args[2] = {a, b};
    for (const char *p = pattern ? pattern : ""; *p && n + 1 < len; p++) {
        if (p[0] == '%' && p[1] == 's') {
            const char *v = used < 2 ? args[used++] : "";
            n += (size_t)snprintf(out + n, len - n, "%s", v ? v : "");
            if (n >= len)
                n = len - 1;
            p++;
        } else
            out[n++] = *p;
    }
    out[n < len ? n : len - 1] = 0;
}

static json_t *activation(simulation *s, const char *alarm_uid, int64_t now, const char *status,
                          const char *message)
{
    char uid[UUID_STR_LEN], time_text[CLOCK_TEXT_LEN];
    uuid_from_seed(rng_mix_u64(rng_mix(s->seed, alarm_uid), (uint64_t)now), uid);
    clock_format(now, time_text, sizeof time_text);
    return json_pack("{s:s, s:s, s:s, s:s, s:n}", "instanceUid", uid, "time", time_text, "status",
                     status, "message", message, "remark");
}

static char *alarm_of(simulation *s, const job_kind *k, const char *uid)
{
    json_t *rows = NULL;
    char *out = NULL;
    if (sim_sql(s, "SELECT alarm_uid FROM sim_alarms WHERE type = ? AND job_uid = ?",
                json_pack("[ss]", k->type, uid), 1, &rows) && json_array_size(rows))
        out = strdup(json_string_value(json_array_get(json_array_get(rows, 0), 0)));
    json_decref(rows);
    return out;
}

/* The template an activation of k's jobs names: an Alarm of the file's
 * category, else the first Alarm; NULL when the world has none. */
static char *template_of(simulation *s, const json_t *cfg, const job_kind *k)
{
    const json_t *t = json_object_get(cfg, "template");
    const char *type = json_string_value(json_object_get(t, "type"));
    const char *category = by_type(json_object_get(t, "category"), k->type);
    store_filter f = {.n = category ? 1 : 0, .keys = {"category"}, .values = {category}};
    char *uid = NULL;
    json_t *body = NULL;
    if (store_find(s->st, type, &f, &uid, &body, NULL) != STORE_OK) {
        store_filter none = {0};
        if (store_find(s->st, type, &none, &uid, &body, NULL) != STORE_OK)
            return NULL;
    }
    json_decref(body);
    return uid;
}

void alarms_failed(simulation *s, const job_kind *k, const char *uid, json_t *job,
                   const char *message, int64_t now)
{
    const json_t *cfg = json_object_get(s->params, "alarms");
    const char *type = json_string_value(json_object_get(cfg, "type"));
    const char *name = json_string_value(json_object_get(job, "name"));
    char text[512];
    fill(text, sizeof text, json_string_value(json_object_get(cfg, "failed")), name ? name : uid,
         message);
    char *alarm_uid = alarm_of(s, k, uid);
    json_t *alarm = NULL;
    if (alarm_uid && store_get(s->st, type, alarm_uid, &alarm, NULL) == STORE_OK) {
        json_t *count = json_object_get(alarm, "repeatCount");
        json_object_set_new(alarm, "repeatCount", json_integer(json_integer_value(count) + 1));
        json_object_set_new(alarm, "lastActivation", activation(s, alarm_uid, now, "Error", text));
        store_update(s->st, type, alarm_uid, alarm);
        json_decref(alarm);
        free(alarm_uid);
        return;
    }
    free(alarm_uid);
    char *template = template_of(s, cfg, k);
    if (!template)
        return;
    char new_uid[UUID_STR_LEN];
    uuid_from_seed(rng_mix(rng_mix(s->seed, "alarm"), uid), new_uid);
    json_t *object = json_pack("{s:s, s:s, s:O?, s:O?, s:s, s:s?}", "instanceUid", uid, "type",
                               by_type(json_object_get(cfg, "objectType"), k->type),
                               "organizationUid", json_object_get(job, "organizationUid"),
                               "locationUid", json_object_get(job, "locationUid"), "objectUid", uid,
                               "objectName", name);
    alarm = json_pack("{s:s, s:s, s:i, s:o, s:o, s:s}", "instanceUid", new_uid, "alarmTemplateUid",
                      template, "repeatCount", 1, "object", object, "lastActivation",
                      activation(s, new_uid, now, "Error", text), "area", "vspc");
    store_record rec = {.type = type, .uid = new_uid, .body = alarm};
    if (store_put(s->st, &rec, true) == STORE_OK) {
        owners_derive_one(s->st, s->app->owners, type, new_uid);
        sim_sql(s, "INSERT OR REPLACE INTO sim_alarms (type, job_uid, alarm_uid) VALUES (?, ?, ?)",
                json_pack("[sss]", k->type, uid, new_uid), 0, NULL);
    }
    json_decref(alarm);
    free(template);
}

void alarms_succeeded(simulation *s, const job_kind *k, const char *uid, json_t *job, int64_t now)
{
    char *alarm_uid = alarm_of(s, k, uid);
    if (!alarm_uid)
        return;
    const json_t *cfg = json_object_get(s->params, "alarms");
    const char *type = json_string_value(json_object_get(cfg, "type"));
    json_t *alarm = NULL;
    if (store_get(s->st, type, alarm_uid, &alarm, NULL) == STORE_OK) {
        const char *status =
            json_string_value(json_object_get(json_object_get(alarm, "lastActivation"), "status"));
        if (!status || strcmp(status, "Resolved")) {
            const char *name = json_string_value(json_object_get(job, "name"));
            char text[512];
            fill(text, sizeof text, json_string_value(json_object_get(cfg, "resolved")),
                 name ? name : uid, NULL);
            json_object_set_new(alarm, "lastActivation",
                                activation(s, alarm_uid, now, "Resolved", text));
            store_update(s->st, type, alarm_uid, alarm);
        }
        json_decref(alarm);
    }
    free(alarm_uid);
}
