/* query_cache.h — compiled filters and sorts kept by their text, so that a
 * client paging through a filtered, sorted list does not pay for parsing
 * and compiling the same query on every page. Thread-safe; bounded (when
 * full it starts again empty). A compilation depends on the text and the
 * entity type only, so the key is "type\n filter\n sort".
 *
 * An entry keeps the whole query_sql of each: SQL, arguments and the
 * indexes that serve it, which the caller passes to the store on every use
 * (the store may have dropped one since, see store_ensure_indexes).
 */
#ifndef VSPC_QUERY_CACHE_H
#define VSPC_QUERY_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "store/query.h"

typedef struct query_cache query_cache;

query_cache *query_cache_new(size_t capacity);
void query_cache_free(query_cache *c);

/* Fills where and order (initialised, empty) from the entry of key; false
 * when there is none. */
bool query_cache_get(query_cache *c, const char *key, query_sql *where, query_sql *order);
/* Remembers a compilation under key. */
void query_cache_put(query_cache *c, const char *key, const query_sql *where,
                     const query_sql *order);

#endif
