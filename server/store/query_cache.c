/* query_cache.c — see query_cache.h. */
#include "store/query_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct query_cache {
    pthread_mutex_t lock;
    json_t *entries; /* key -> [[where sql, args, indexes], [order sql, args, indexes]] */
    size_t capacity;
};

query_cache *query_cache_new(size_t capacity)
{
    query_cache *c = calloc(1, sizeof *c);
    if (!c || !(c->entries = json_object())) {
        free(c);
        return NULL;
    }
    pthread_mutex_init(&c->lock, NULL);
    c->capacity = capacity;
    return c;
}

void query_cache_free(query_cache *c)
{
    if (!c)
        return;
    json_decref(c->entries);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* Copies text, args and indexes of an entry's [sql, args, indexes] into q.
 * The arrays are shared with the entry: neither side changes them. */
static void fill(query_sql *q, const json_t *part)
{
    buf_puts(&q->sql, json_string_value(json_array_get(part, 0)));
    json_array_extend(q->args, json_array_get(part, 1));
    json_array_extend(q->indexes, json_array_get(part, 2));
}

bool query_cache_get(query_cache *c, const char *key, query_sql *where, query_sql *order)
{
    if (!c)
        return false;
    pthread_mutex_lock(&c->lock);
    json_t *entry = json_incref(json_object_get(c->entries, key));
    pthread_mutex_unlock(&c->lock);
    if (!entry)
        return false;
    fill(where, json_array_get(entry, 0));
    fill(order, json_array_get(entry, 1));
    json_decref(entry);
    return true;
}

/* [sql, args, indexes] of q, copied: the caller's go on being used and
 * freed. */
static json_t *part(const query_sql *q)
{
    return json_pack("[s, o, o]", q->sql.data ? q->sql.data : "", json_deep_copy(q->args),
                     json_deep_copy(q->indexes));
}

void query_cache_put(query_cache *c, const char *key, const query_sql *where,
                     const query_sql *order)
{
    if (!c)
        return;
    json_t *entry = json_pack("[o, o]", part(where), part(order));
    if (!entry)
        return;
    pthread_mutex_lock(&c->lock);
    if (json_object_size(c->entries) >= c->capacity)
        json_object_clear(c->entries);
    json_object_set_new(c->entries, key, entry);
    pthread_mutex_unlock(&c->lock);
}
