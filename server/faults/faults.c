/* faults.c — see faults.h. The rule's checks against schema/faults.json
 * are fault_rule.c's; here: the list, the draws, the counts. */
#include "faults/faults.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>

#include "base/json_file.h"
#include "faults/fault_rule.h"

struct faults {
    pthread_mutex_t lock;
    json_t *effects; /* faults.json's "effects" */
    uint64_t seed;   /* --seed */
    fault_rule **rules;
    size_t n, cap;
    long next_id;
    atomic_size_t live;  /* rules, read without the lock: no rules, no cost */
    atomic_size_t users; /* rules that name a user */
};

faults *faults_open(const char *schema_dir, long seed, char *err, size_t errlen)
{
    json_t *doc = json_file_load_in(schema_dir, "faults.json", 0, err, errlen);
    if (!doc)
        return NULL;
    json_t *effects = json_incref(json_object_get(doc, "effects"));
    json_decref(doc);
    if (!json_is_object(effects)) {
        snprintf(err, errlen, "%s/faults.json: no \"effects\" object", schema_dir);
        json_decref(effects);
        return NULL;
    }
    const char *name;
    const json_t *row;
    json_object_foreach(effects, name, row) {
        if (fault_kind_named(name) == FAULT_NONE || !json_is_object(row)) {
            snprintf(err, errlen, "%s/faults.json: the effect '%s' is not one the emulator applies",
                     schema_dir, name);
            json_decref(effects);
            return NULL;
        }
    }
    faults *f = calloc(1, sizeof *f);
    if (!f) {
        json_decref(effects);
        snprintf(err, errlen, "faults: out of memory");
        return NULL;
    }
    pthread_mutex_init(&f->lock, NULL);
    f->effects = effects;
    f->seed = (uint64_t)seed;
    f->next_id = 1;
    return f;
}

void faults_close(faults *f)
{
    if (!f)
        return;
    faults_clear(f);
    free(f->rules);
    json_decref(f->effects);
    pthread_mutex_destroy(&f->lock);
    free(f);
}

static void count_users(faults *f)
{
    size_t users = 0;
    for (size_t i = 0; i < f->n; i++)
        users += f->rules[i]->user != NULL;
    atomic_store(&f->users, users);
    atomic_store(&f->live, f->n);
}

json_t *faults_add(faults *f, const json_t *rule, char *prop, size_t proplen, char *why,
                   size_t whylen)
{
    fault_rule *r = fault_rule_parse(f->effects, f->seed, rule, prop, proplen, why, whylen);
    if (!r)
        return NULL;
    pthread_mutex_lock(&f->lock);
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        fault_rule **grown = realloc(f->rules, cap * sizeof *grown);
        if (!grown) {
            pthread_mutex_unlock(&f->lock);
            fault_rule_free(r);
            snprintf(prop, proplen, "%s", "");
            snprintf(why, whylen, "Out of memory.");
            return NULL;
        }
        f->rules = grown;
        f->cap = cap;
    }
    r->id = f->next_id++;
    f->rules[f->n++] = r;
    count_users(f);
    json_t *out = fault_rule_json(r);
    pthread_mutex_unlock(&f->lock);
    return out;
}

json_t *faults_list(faults *f)
{
    json_t *list = json_array();
    pthread_mutex_lock(&f->lock);
    for (size_t i = 0; i < f->n; i++)
        json_array_append_new(list, fault_rule_json(f->rules[i]));
    pthread_mutex_unlock(&f->lock);
    return list;
}

bool faults_remove(faults *f, long id)
{
    bool found = false;
    pthread_mutex_lock(&f->lock);
    for (size_t i = 0; i < f->n && !found; i++) {
        if (f->rules[i]->id != id)
            continue;
        fault_rule_free(f->rules[i]);
        memmove(&f->rules[i], &f->rules[i + 1], (f->n - i - 1) * sizeof f->rules[0]);
        f->n--;
        found = true;
    }
    count_users(f);
    pthread_mutex_unlock(&f->lock);
    return found;
}

size_t faults_clear(faults *f)
{
    pthread_mutex_lock(&f->lock);
    size_t n = f->n;
    for (size_t i = 0; i < f->n; i++)
        fault_rule_free(f->rules[i]);
    f->n = 0;
    count_users(f);
    pthread_mutex_unlock(&f->lock);
    return n;
}

bool faults_want_user(faults *f) { return f && atomic_load(&f->users) > 0; }

bool faults_draw(faults *f, const fault_request *q, fault_hit *hit)
{
    hit->kind = FAULT_NONE;
    if (!f || !atomic_load(&f->live))
        return false;
    pthread_mutex_lock(&f->lock);
    for (size_t i = 0; i < f->n && hit->kind == FAULT_NONE; i++)
        fault_rule_draw(f->rules[i], q, hit);
    pthread_mutex_unlock(&f->lock);
    return hit->kind != FAULT_NONE;
}
