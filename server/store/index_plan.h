/* index_plan.h — which expression indexes serve a compiled list query
 * (query.h), and which one the list must walk.
 *
 * A filter alone is served by an index per filtered property set; a sort
 * alone by one index over its keys (SQLite appends the rowid, so the
 * store's last tie-break, insertion order, comes from the index too). A
 * filter with a sort is served by one index that gives the whole order —
 * sort keys, then `seq` — and holds the filtered values after it, so that
 * rows are tested in the index and no temporary b-tree sorts ties. The
 * indexes are made on first use and marked used on every call
 * (store_ensure_indexes: the least recently used beyond the cap is
 * dropped, and a query whose index was dropped gets it again).
 */
#ifndef VSPC_INDEX_PLAN_H
#define VSPC_INDEX_PLAN_H

#include <stddef.h>

#include "store/query.h"
#include "store/store.h"

/* Ensures the indexes of where and order; walk receives the name of the
 * index the list must walk (INDEXED BY), or "" when the planner may
 * choose. walk must hold at least 24 bytes. */
void index_plan(store *s, const query_sql *where, const query_sql *order, char *walk,
                size_t walklen);

#endif
