/* store_backup.h — whole-database copies of a store, with SQLite's online
 * backup API (sqlite3_backup_*): the admin API's snapshots and reset.
 *
 * store_backup_save copies the live database, as one read transaction of
 * the calling thread's connection (WAL: writers go on meanwhile), into a
 * new file: written as "<path>.tmp" (mode 0600: it holds password hashes)
 * and renamed into place, so a file under its final name is always whole.
 * The copy is self-contained (rollback journal, no -wal beside it).
 *
 * store_backup_restore replaces the live database's whole content by a
 * file's in ONE step of one write transaction on the calling thread's
 * connection: a request reading meanwhile on another connection keeps the
 * WAL snapshot it started with, so it sees the old world or the new one,
 * never a mix; a writer waits for the lock as for any other write. Then
 * the store forgets what it derived from the old content (store_conn.h:
 * the write counter moves, so cached totals and verified credentials are
 * recomputed; indexes are found again). Everything in the file comes back:
 * records, the auth side tables (passwords, API keys, issued tokens) and
 * the owners' version.
 *
 * Both must be called outside a store_begin transaction. False with a
 * one-line reason in err on failure; a failed restore leaves the live
 * content as it was (the write transaction is rolled back). */
#ifndef VSPC_STORE_BACKUP_H
#define VSPC_STORE_BACKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

bool store_backup_save(store *s, const char *path, char *err, size_t errlen);
bool store_backup_restore(store *s, const char *path, char *err, size_t errlen);

/* The records a saved file holds (its type counts), -1 when it is not a
 * database of a store. */
long store_backup_records(const char *path);

#endif
