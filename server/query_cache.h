/* query_cache.h — compiled filters and sorts kept by their text, so that a
 * client paging through a filtered, sorted list does not pay for parsing
 * and compiling the same query on every page. Thread-safe; bounded (when
 * full it starts again empty). A compilation depends on the text and the
 * entity type only, so the key is "type\n filter\n sort".
 */
#ifndef VSPC_QUERY_CACHE_H
#define VSPC_QUERY_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "query.h"

typedef struct query_cache query_cache;

query_cache *query_cache_new(size_t capacity);
void query_cache_free(query_cache *c);

/* Fills where and order (initialised, empty) and the name of the index to
 * walk (index, "" for none) from the entry of key; false when there is
 * none. */
bool query_cache_get(query_cache *c, const char *key, query_sql *where, query_sql *order,
                     char *index, size_t indexlen);
/* Remembers a compilation under key. */
void query_cache_put(query_cache *c, const char *key, const query_sql *where,
                     const query_sql *order, const char *index);

#endif
