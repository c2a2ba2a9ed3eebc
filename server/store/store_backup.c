/* store_backup.c — see store_backup.h. */
#include "store/store_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/files.h"
#include "store/store_conn.h"

/* How often a copy that found a lock taken tries again, beyond the
 * destination's busy timeout (which the first try already waited out). */
#define BACKUP_RETRIES 3

/* Copies all of src's pages into dst in one step: one read transaction on
 * src, one write transaction on dst. */
static bool copy_all(sqlite3 *dst, sqlite3 *src, char *err, size_t errlen)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
        snprintf(err, errlen, "cannot start the copy: %s", sqlite3_errmsg(dst));
        return false;
    }
    int rc;
    for (int tries = 0;; tries++) {
        rc = sqlite3_backup_step(b, -1);
        if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || tries == BACKUP_RETRIES)
            break;
        struct timespec pause = {0, 50 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    /* finish rolls back a copy that did not reach SQLITE_DONE */
    int fin = sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE || fin != SQLITE_OK) {
        snprintf(err, errlen, "copy failed: %s",
                 sqlite3_errstr(rc != SQLITE_DONE ? rc : fin));
        return false;
    }
    return true;
}

/* fsync of a file written by another handle (SQLite's, closed). */
static bool sync_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0;
    close(fd);
    return ok;
}

bool store_backup_save(store *s, const char *path, char *err, size_t errlen)
{
    sqlite3 *src = store_conn_db(s);
    if (!src) {
        snprintf(err, errlen, "no database connection outside a transaction");
        return false;
    }
    char tmp[PATH_MAX];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp) {
        snprintf(err, errlen, "path too long");
        return false;
    }
    unlink(tmp); /* a leftover of a save cut short */
    /* made here with 0600 so that SQLite never creates it wider */
    int fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
        return false;
    }
    close(fd);
    sqlite3 *dst = NULL;
    bool ok = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) ==
              SQLITE_OK;
    if (!ok)
        snprintf(err, errlen, "cannot open %s: %s", tmp, dst ? sqlite3_errmsg(dst) : "no memory");
    ok = ok && copy_all(dst, src, err, errlen);
    /* the pages say WAL, as the live database's do: a snapshot is one
     * file, read by a restore without a -wal or -shm beside it */
    if (ok && sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot make %s self-contained: %s", tmp, sqlite3_errmsg(dst));
        ok = false;
    }
    sqlite3_close(dst);
    if (ok && !sync_file(tmp)) {
        snprintf(err, errlen, "cannot sync %s: %s", tmp, strerror(errno));
        ok = false;
    }
    if (ok && rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot rename %s: %s", tmp, strerror(errno));
        ok = false;
    }
    if (!ok) {
        unlink(tmp);
        return false;
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = 0;
        (void)files_sync_dir(dir[0] ? dir : "/", NULL, 0); /* best effort */
    }
    return true;
}

/* A saved file opened read-only; NULL with err when it is not a store's
 * database. */
static sqlite3 *open_saved(const char *path, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(db, "SELECT 1 FROM records, type_counts LIMIT 0", NULL, NULL, NULL) !=
            SQLITE_OK) {
        snprintf(err, errlen, "%s is not a database of the emulator: %s", path,
                 db ? sqlite3_errmsg(db) : "no memory");
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

bool store_backup_restore(store *s, const char *path, char *err, size_t errlen)
{
    sqlite3 *dst = store_conn_db(s);
    if (!dst) {
        snprintf(err, errlen, "no database connection outside a transaction");
        return false;
    }
    sqlite3 *src = open_saved(path, err, errlen);
    if (!src)
        return false;
    /* until the copy is done a reader may see either world: no
     * remembered total is used meanwhile (store_conn.h) */
    store_conn_replacing(s);
    bool ok = copy_all(dst, src, err, errlen);
    sqlite3_close(src);
    store_conn_replaced(s);
    return ok;
}

long store_backup_records(const char *path)
{
    char err[256];
    sqlite3 *db = open_saved(path, err, sizeof err);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    long n = -1;
    if (sqlite3_prepare_v2(db, "SELECT coalesce(sum(n), 0) FROM type_counts", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}
