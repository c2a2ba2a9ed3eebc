/* store_conn.h — for the store's own files only (store_backup.c): the
 * calling thread's SQLite connection, and what the store forgets when the
 * database's whole content was replaced under it.
 *
 * Not for other layers: everything else goes through store.h, which keeps
 * the counts, cached totals and index bookkeeping true. */
#ifndef VSPC_STORE_CONN_H
#define VSPC_STORE_CONN_H

#include <sqlite3.h>

#include "store/store.h"

/* The calling thread's connection (opened on first use), or NULL. Its
 * depth of store_begin must be 0 when a backup writes into it. */
sqlite3 *store_conn_db(store *s);

/* The database's content was replaced (a restore): the write counter moves
 * (cached totals and auth.c's verified credentials are stale), and the
 * expression and unique indexes known to exist are forgotten (the new
 * content has its own; store_ensure_indexes and store_find_by find or make
 * them again). */
void store_conn_replaced(store *s);

/* Moves the write counter: a reader that counted while the content was
 * being replaced must not keep its total (call before and after). */
void store_conn_bump(store *s);

#endif
