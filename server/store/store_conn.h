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

/* The database's content was replaced (a restore; also after a failed
 * one, ending store_conn_replacing): the write counter moves
 * (cached totals and auth.c's verified credentials are stale), and the
 * expression and unique indexes known to exist are forgotten (the new
 * content has its own; store_ensure_indexes and store_find_by find or make
 * them again). */
void store_conn_replaced(store *s);

/* A replacement begins (store_conn_replaced ends it): the write counter
 * moves, and until the end no list uses or keeps a remembered total (a
 * reader's snapshot may be of either world meanwhile). */
void store_conn_replacing(store *s);

#endif
