/* query_cache.c — see query_cache.h. */
#include "query_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct query_cache {
    pthread_mutex_t lock;
    json_t *entries; /* key -> [where sql, where args, order sql, order args] */
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

/* Copies text and args into q. */
static void fill(query_sql *q, const json_t *sql, const json_t *args)
{
    buf_puts(&q->sql, json_string_value(sql));
    json_array_extend(q->args, (json_t *)args);
}

bool query_cache_get(query_cache *c, const char *key, query_sql *where, query_sql *order,
                     char *index, size_t indexlen)
{
    if (!c)
        return false;
    pthread_mutex_lock(&c->lock);
    json_t *entry = json_incref(json_object_get(c->entries, key));
    pthread_mutex_unlock(&c->lock);
    if (!entry)
        return false;
    fill(where, json_array_get(entry, 0), json_array_get(entry, 1));
    fill(order, json_array_get(entry, 2), json_array_get(entry, 3));
    snprintf(index, indexlen, "%s", json_string_value(json_array_get(entry, 4)));
    json_decref(entry);
    return true;
}

void query_cache_put(query_cache *c, const char *key, const query_sql *where,
                     const query_sql *order, const char *index)
{
    if (!c)
        return;
    /* the arrays are copied: the caller's go on being used and freed */
    json_t *entry = json_pack("[s, o, s, o, s]", where->sql.data ? where->sql.data : "",
                              json_copy(where->args), order->sql.data ? order->sql.data : "",
                              json_copy(order->args), index ? index : "");
    if (!entry)
        return;
    pthread_mutex_lock(&c->lock);
    if (json_object_size(c->entries) >= c->capacity)
        json_object_clear(c->entries);
    json_object_set_new(c->entries, key, entry);
    pthread_mutex_unlock(&c->lock);
}
