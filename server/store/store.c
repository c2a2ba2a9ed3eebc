/* store.c — see store.h. The SQL of the store is all in this file.
 *
 * The database holds password hashes and API key digests, so store_open
 * makes it owner-only (0600) whatever the umask, tightening a file an
 * earlier run or a copy left wider; its -wal and -shm follow (SQLite gives
 * the files it creates the database's mode, and store_open tightens ones
 * left over). */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "store/query.h"
#include "store/store_conn.h"

/* The schema. `seq` is the rowid: insertion order is the default order of
 * every list, as VSPC answers in "its own" stable order. */
static const char schema_sql[] =
    "PRAGMA journal_mode=WAL;"
    "CREATE TABLE IF NOT EXISTS records ("
    "  seq   INTEGER PRIMARY KEY,"
    "  type  TEXT NOT NULL,"
    "  uid   TEXT NOT NULL,"
    "  org   TEXT,"
    "  reseller TEXT,"
    "  loc   TEXT,"
    "  sub   TEXT,"
    "  scope TEXT NOT NULL DEFAULT '{}',"
    "  body  TEXT NOT NULL,"
    "  UNIQUE (type, uid)"
    ");"
    "CREATE INDEX IF NOT EXISTS records_by_type ON records (type, seq);"
    /* records per type, kept by triggers: an unfiltered list's total without
     * counting 100,000 index entries per request */
    "CREATE TABLE IF NOT EXISTS type_counts (type TEXT PRIMARY KEY, n INTEGER NOT NULL);"
    "CREATE TRIGGER IF NOT EXISTS records_counted AFTER INSERT ON records BEGIN"
    "  INSERT INTO type_counts (type, n) VALUES (new.type, 1)"
    "  ON CONFLICT (type) DO UPDATE SET n = n + 1;"
    "END;"
    "CREATE TRIGGER IF NOT EXISTS records_uncounted AFTER DELETE ON records BEGIN"
    "  UPDATE type_counts SET n = n - 1 WHERE type = old.type;"
    "END;";

/* The owner columns' indexes, made after an older database got the columns
 * (store_open): a caller's scope is a condition on one of them, and with
 * seq last a scoped page walks the index in insertion order. */
static const char owner_sql[] =
    "DROP INDEX IF EXISTS records_by_org;"
    "CREATE INDEX IF NOT EXISTS records_by_owner ON records (type, org, seq);"
    "CREATE INDEX IF NOT EXISTS records_by_reseller ON records (type, reseller, seq);"
    "CREATE INDEX IF NOT EXISTS records_by_location ON records (type, loc, seq);"
    /* few records belong to a subtenant: only those are indexed */
    "CREATE INDEX IF NOT EXISTS records_by_subtenant ON records (type, sub, seq)"
    " WHERE sub IS NOT NULL;"
    /* the records whose owner is still to be derived (tenancy/owners.c) */
    "CREATE INDEX IF NOT EXISTS records_unowned ON records (type) WHERE org IS NULL;";

/* Statements every connection prepares once. */
enum {
    SQL_INSERT,
    SQL_REPLACE,
    SQL_GET,
    SQL_OWNER,
    SQL_UPDATE,
    SQL_UPDATE_SCOPE,
    SQL_DELETE,
    SQL_COUNT_TYPE,
    SQL_COUNT_ALL,
    SQL_COUNT
};

static const char *const statements[SQL_COUNT] = {
    [SQL_INSERT] = "INSERT INTO records (type, uid, org, reseller, loc, sub, scope, body)"
                   " VALUES (?1, ?2, ?3, ?6, ?7, ?8, ?4, ?5)",
    [SQL_REPLACE] = "INSERT INTO records (type, uid, org, reseller, loc, sub, scope, body)"
                    " VALUES (?1, ?2, ?3, ?6, ?7, ?8, ?4, ?5)"
                    " ON CONFLICT (type, uid) DO UPDATE SET org = ?3, reseller = ?6, loc = ?7,"
                    " sub = ?8, scope = ?4, body = ?5",
    [SQL_GET] = "SELECT body, scope FROM records WHERE type = ?1 AND uid = ?2",
    [SQL_OWNER] = "SELECT org, reseller, loc, sub FROM records WHERE type = ?1 AND uid = ?2",
    [SQL_UPDATE] = "UPDATE records SET body = ?3 WHERE type = ?1 AND uid = ?2",
    [SQL_UPDATE_SCOPE] = "UPDATE records SET body = ?3, scope = ?4 WHERE type = ?1 AND uid = ?2",
    [SQL_DELETE] = "DELETE FROM records WHERE type = ?1 AND uid = ?2",
    [SQL_COUNT_TYPE] = "SELECT coalesce((SELECT n FROM type_counts WHERE type = ?1), 0)",
    [SQL_COUNT_ALL] = "SELECT count(*) FROM records",
};

/* Statements built per query (lists, finds, counts) are kept by SQL text,
 * so that a client repeating a query does not pay for preparing it again. */
#define STMT_CACHE 32

typedef struct conn {
    sqlite3 *db;
    sqlite3_stmt *stmt[SQL_COUNT];
    struct {
        char *sql;
        sqlite3_stmt *st;
    } cache[STMT_CACHE];
    unsigned next_victim;   /* round-robin eviction */
    int depth;              /* store_begin nesting: 1 = the transaction,
                             * more = savepoints within it */
    struct conn *next;
} conn;

struct store {
    char path[1024];
    json_t *indexes;        /* expression index name -> its last use, a tick of
                             * index_clock (guarded by lock) */
    unsigned long long index_clock;
    double build_tokens;    /* index builds allowed now (guarded by lock) */
    double build_burst, build_seconds; /* the budget (store_index_budget) */
    struct timespec build_refill; /* when build_tokens was last refilled */
    bool indexes_loaded;    /* those of earlier runs read (guarded by ddl) */
    json_t *unique_indexes; /* store_find_by's indexes made (guarded by lock) */
    pthread_mutex_t ddl;    /* one thread at a time makes or drops indexes */
    json_t *totals;         /* list query -> [generation, total] (guarded by lock) */
    unsigned long generation; /* bumped by every write (guarded by lock) */
    int replacing;          /* restores under way (store_conn.h; lock) */
    pthread_key_t key;      /* this thread's conn */
    pthread_mutex_t lock;   /* guards conns */
    conn *conns;            /* every connection opened, to close them all */
};

static void conn_close(conn *c)
{
    for (int i = 0; i < SQL_COUNT; i++)
        sqlite3_finalize(c->stmt[i]);
    for (int i = 0; i < STMT_CACHE; i++) {
        sqlite3_finalize(c->cache[i].st);
        free(c->cache[i].sql);
    }
    sqlite3_close(c->db);
    free(c);
}

/* Whether the records table of db has column. */
static bool has_column(sqlite3 *db, const char *column)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT %s FROM records LIMIT 0", column);
    sqlite3_stmt *st = NULL;
    bool yes = sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK;
    sqlite3_finalize(st);
    return yes;
}

/* A database of an earlier version lacks some owner columns (reseller and
 * loc came with resellers' scope, sub with subtenants'): they are added
 * empty, and the owners are derived again at start (OWNERS_VERSION). */
static bool add_owner_columns(sqlite3 *db)
{
    if (!has_column(db, "reseller") &&
        sqlite3_exec(db, "ALTER TABLE records ADD COLUMN reseller TEXT;"
                         "ALTER TABLE records ADD COLUMN loc TEXT;",
                     NULL, NULL, NULL) != SQLITE_OK)
        return false;
    return has_column(db, "sub") ||
           sqlite3_exec(db, "ALTER TABLE records ADD COLUMN sub TEXT;", NULL, NULL, NULL) ==
               SQLITE_OK;
}

static conn *conn_open(const store *s, char *err, size_t errlen)
{
    conn *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    /* unix-excl: the process holds the database file exclusively (a second
     * server on the same data dir is refused, not interleaved) and keeps
     * the WAL index in its heap, so a read transaction costs no fcntl()
     * lock calls on a -shm file: two system calls less per request */
    if (sqlite3_open_v2(s->path, &c->db, flags, STORE_VFS) != SQLITE_OK)
        goto fail;
    sqlite3_busy_timeout(c->db, 10000);
    if (!query_register_collation(c->db))
        goto fail;
    if (sqlite3_exec(c->db, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF;", NULL, NULL,
                     NULL) != SQLITE_OK ||
        sqlite3_exec(c->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
        !add_owner_columns(c->db) || sqlite3_exec(c->db, owner_sql, NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    for (int i = 0; i < SQL_COUNT; i++)
        if (sqlite3_prepare_v3(c->db, statements[i], -1, SQLITE_PREPARE_PERSISTENT, &c->stmt[i],
                               NULL) != SQLITE_OK)
            goto fail;
    return c;
fail:
    snprintf(err, errlen, "%s: %s", s->path, c->db ? sqlite3_errmsg(c->db) : "cannot open");
    conn_close(c);
    return NULL;
}

/* The calling thread's connection, opened on first use. */
static conn *conn_get(store *s)
{
    conn *c = pthread_getspecific(s->key);
    if (c)
        return c;
    char err[512];
    c = conn_open(s, err, sizeof err);
    if (!c) {
        log_error("store: %s", err);
        return NULL;
    }
    pthread_mutex_lock(&s->lock);
    c->next = s->conns;
    s->conns = c;
    pthread_mutex_unlock(&s->lock);
    pthread_setspecific(s->key, c);
    return c;
}

/* Once per process, before SQLite initialises: no memory statistics, whose
 * global mutex every allocation of every connection would otherwise take. */
static pthread_once_t sqlite_configured = PTHREAD_ONCE_INIT;
static void sqlite_configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Creates the database file if missing and sets it and any -wal/-shm
 * beside it to 0600. Created here rather than by SQLite (whose default is
 * 0644 less the umask) so that it is never readable by others, not even
 * between SQLite's open and a chmod; an empty file is an empty database. */
static bool restrict_files(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
        return false;
    }
    bool ok = fchmod(fd, 0600) == 0;
    if (!ok)
        snprintf(err, errlen, "cannot restrict %s to mode 0600: %s", path, strerror(errno));
    close(fd);
    static const char *const sidecars[] = {"-wal", "-shm"};
    for (size_t i = 0; ok && i < sizeof sidecars / sizeof *sidecars; i++) {
        char side[sizeof ((store *)0)->path + sizeof "-wal"];
        snprintf(side, sizeof side, "%s%s", path, sidecars[i]);
        if (chmod(side, 0600) != 0 && errno != ENOENT) {
            snprintf(err, errlen, "cannot restrict %s to mode 0600: %s", side, strerror(errno));
            ok = false;
        }
    }
    return ok;
}

store *store_open(const char *path, char *err, size_t errlen)
{
    pthread_once(&sqlite_configured, sqlite_configure);
    store *s = calloc(1, sizeof *s);
    if (!s || strlen(path) >= sizeof s->path) {
        snprintf(err, errlen, s ? "database path too long" : "out of memory");
        free(s);
        return NULL;
    }
    strcpy(s->path, path);
    if (!restrict_files(s->path, err, errlen)) {
        free(s);
        return NULL;
    }
    if (pthread_key_create(&s->key, NULL) != 0) {
        snprintf(err, errlen, "cannot create a thread key");
        free(s);
        return NULL;
    }
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_init(&s->ddl, NULL);
    s->indexes = json_object();
    s->build_burst = s->build_tokens = STORE_INDEX_BUILDS_BURST;
    s->build_seconds = STORE_INDEX_BUILD_SECONDS;
    clock_gettime(CLOCK_MONOTONIC, &s->build_refill);
    s->unique_indexes = json_object();
    s->totals = json_object();
    /* open this thread's connection now: creates the file and schema, and
     * reports a bad path at start rather than at the first request */
    conn *c = conn_open(s, err, errlen);
    if (!c) {
        store_close(s);
        return NULL;
    }
    s->conns = c;
    pthread_setspecific(s->key, c);
    return s;
}

void store_close(store *s)
{
    if (!s)
        return;
    for (conn *c = s->conns, *next; c; c = next) {
        next = c->next;
        conn_close(c);
    }
    pthread_key_delete(s->key);
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_destroy(&s->ddl);
    json_decref(s->indexes);
    json_decref(s->unique_indexes);
    json_decref(s->totals);
    free(s);
}

const char *store_errmsg(store *s)
{
    conn *c = conn_get(s);
    return c ? sqlite3_errmsg(c->db) : "no database connection";
}

/* A prepared statement, reset and unbound, or NULL. */
static sqlite3_stmt *stmt(store *s, int which)
{
    conn *c = conn_get(s);
    if (!c)
        return NULL;
    sqlite3_stmt *st = c->stmt[which];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *text)
{
    if (text)
        sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

/* Binds a JSON value as compact text; false if it cannot be dumped. */
static bool bind_json(sqlite3_stmt *st, int i, const json_t *v, const char *dflt)
{
    if (!v) {
        sqlite3_bind_text(st, i, dflt, -1, SQLITE_STATIC);
        return true;
    }
    /* 15 significant digits: a price of 17.1 reads 17.1, not the 17-digit
     * 17.100000000000001 a double round-trips as (jansson's default) */
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
    if (!text)
        return false;
    sqlite3_bind_text(st, i, text, -1, free);
    return true;
}

unsigned long store_generation(store *s)
{
    pthread_mutex_lock(&s->lock);
    unsigned long g = s->generation;
    pthread_mutex_unlock(&s->lock);
    return g;
}

/* Every write makes the remembered list totals stale. */
static void bump(store *s)
{
    pthread_mutex_lock(&s->lock);
    s->generation++;
    pthread_mutex_unlock(&s->lock);
}

/* Runs a write statement to completion. */
static store_status run_write(store *s, sqlite3_stmt *st)
{
    bump(s);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    bump(s); /* also after: a total counted meanwhile saw the old rows */
    if (rc == SQLITE_DONE)
        return sqlite3_changes(sqlite3_db_handle(st)) ? STORE_OK : STORE_NOT_FOUND;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return STORE_CONFLICT;
    log_error("store: %s", store_errmsg(s));
    return STORE_ERROR;
}

store_status store_put(store *s, const store_record *rec, bool replace)
{
    sqlite3_stmt *st = stmt(s, replace ? SQL_REPLACE : SQL_INSERT);
    if (!st || !rec->type || !rec->uid || !rec->body)
        return STORE_ERROR;
    bind_text(st, 1, rec->type);
    bind_text(st, 2, rec->uid);
    bind_text(st, 3, rec->org);
    bind_text(st, 6, rec->reseller);
    bind_text(st, 7, rec->loc);
    bind_text(st, 8, rec->sub);
    if (!bind_json(st, 4, rec->scope, "{}") || !bind_json(st, 5, rec->body, "null"))
        return STORE_ERROR;
    return run_write(s, st);
}

/* Steps SQL_GET for (type, uid); SQLITE_ROW when found. */
static int step_get(store *s, const char *type, const char *uid, sqlite3_stmt **out)
{
    sqlite3_stmt *st = stmt(s, SQL_GET);
    if (!st)
        return SQLITE_ERROR;
    bind_text(st, 1, type);
    bind_text(st, 2, uid);
    *out = st;
    return sqlite3_step(st);
}

store_status store_get(store *s, const char *type, const char *uid, json_t **out,
                       json_t **scope_out)
{
    sqlite3_stmt *st;
    int rc = step_get(s, type, uid, &st);
    store_status result = rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
    *out = NULL;
    if (rc == SQLITE_ROW) {
        *out = json_loads((const char *)sqlite3_column_text(st, 0), JSON_DECODE_ANY, NULL);
        if (scope_out)
            *scope_out = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
        result = *out ? STORE_OK : STORE_ERROR;
    }
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        sqlite3_reset(st);
    return result;
}

store_status store_get_text(store *s, const char *type, const char *uid, buf *out)
{
    sqlite3_stmt *st;
    int rc = step_get(s, type, uid, &st);
    store_status result = rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
    if (rc == SQLITE_ROW)
        result = buf_append(out, sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0))
                     ? STORE_OK
                     : STORE_ERROR;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        sqlite3_reset(st);
    return result;
}

store_status store_update_with_scope(store *s, const char *type, const char *uid,
                                     const json_t *body, const json_t *scope)
{
    sqlite3_stmt *st = stmt(s, SQL_UPDATE_SCOPE);
    if (!st)
        return STORE_ERROR;
    bind_text(st, 1, type);
    bind_text(st, 2, uid);
    if (!bind_json(st, 3, body, "null") || !bind_json(st, 4, scope, "{}"))
        return STORE_ERROR;
    return run_write(s, st);
}

store_status store_update(store *s, const char *type, const char *uid, const json_t *body)
{
    sqlite3_stmt *st = stmt(s, SQL_UPDATE);
    if (!st)
        return STORE_ERROR;
    bind_text(st, 1, type);
    bind_text(st, 2, uid);
    if (!bind_json(st, 3, body, "null"))
        return STORE_ERROR;
    return run_write(s, st);
}

store_status store_delete(store *s, const char *type, const char *uid)
{
    sqlite3_stmt *st = stmt(s, SQL_DELETE);
    if (!st)
        return STORE_ERROR;
    bind_text(st, 1, type);
    bind_text(st, 2, uid);
    return run_write(s, st);
}

/* Keys are property names: letters, digits and '_' only. */
static bool filter_ok(const store_filter *f)
{
    for (size_t i = 0; f && i < f->n; i++) {
        if (!f->keys[i] || !f->keys[i][0] || !f->values[i])
            return false;
        for (const char *k = f->keys[i]; *k; k++)
            if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
                  (*k >= '0' && *k <= '9') || *k == '_'))
                return false;
    }
    return !f || f->n <= STORE_MAX_KEYS;
}

/* Appends " AND (scope.k = ? OR body.k = ?)" per key of f over the record
 * alias r, and their arguments: the JSON paths and values are bound, never
 * spliced. */
static void filter_sql(buf *sql, json_t *args, const store_filter *f)
{
    for (size_t i = 0; f && i < f->n; i++) {
        char path[160];
        snprintf(path, sizeof path, "$.%s", f->keys[i]);
        buf_puts(sql, " AND (json_extract(r.scope, ?) = ? OR json_extract(r.body, ?) = ?)");
        json_array_append_new(args, json_string(path));
        json_array_append_new(args, json_string(f->values[i]));
        json_array_append_new(args, json_string(path));
        json_array_append_new(args, json_string(f->values[i]));
    }
}

/* The cached statement for `sql` on connection c, prepared on a miss. */
static sqlite3_stmt *cached(conn *c, const char *sql)
{
    for (int i = 0; i < STMT_CACHE; i++) {
        if (c->cache[i].sql && !strcmp(c->cache[i].sql, sql)) {
            sqlite3_reset(c->cache[i].st);
            sqlite3_clear_bindings(c->cache[i].st);
            return c->cache[i].st;
        }
    }
    sqlite3_stmt *st = NULL;
    char *copy = strdup(sql);
    if (!copy || sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        free(copy);
        sqlite3_finalize(st);
        return NULL;
    }
    int slot = (int)(c->next_victim++ % STMT_CACHE);
    sqlite3_finalize(c->cache[slot].st);
    free(c->cache[slot].sql);
    c->cache[slot].sql = copy;
    c->cache[slot].st = st;
    return st;
}

/* Gives a statement from prepare() back (it stays cached). */
static void release(sqlite3_stmt *st)
{
    sqlite3_reset(st);
}

/* The statement for `sql` (built from a buf, freed here) on this thread's
 * connection, with args (strings, integers, reals, booleans, nulls) bound
 * to its '?' placeholders in order. Give it back with release(). */
static sqlite3_stmt *prepare(store *s, buf *sql, const json_t *args)
{
    conn *c = conn_get(s);
    sqlite3_stmt *st = c && !sql->failed ? cached(c, sql->data) : NULL;
    if (!st) {
        if (c)
            log_error("store: %s", sqlite3_errmsg(c->db));
        buf_free(sql);
        return NULL;
    }
    buf_free(sql);
    size_t i;
    const json_t *v;
    json_array_foreach(args, i, v) {
        int at = (int)i + 1;
        if (json_is_string(v))
            sqlite3_bind_text(st, at, json_string_value(v), (int)json_string_length(v),
                              SQLITE_TRANSIENT);
        else if (json_is_integer(v))
            sqlite3_bind_int64(st, at, json_integer_value(v));
        else if (json_is_real(v))
            sqlite3_bind_double(st, at, json_real_value(v));
        else if (json_is_boolean(v))
            sqlite3_bind_int(st, at, json_is_true(v));
        else
            sqlite3_bind_null(st, at);
    }
    return st;
}

store_status store_exec_owners(store *s, const char *sql, const json_t *args, long *changes)
{
    bump(s);
    store_status st = store_exec(s, sql, args, 0, NULL, changes);
    bump(s);
    return st;
}

/* user_version 3: the owner columns are derived, sub included (2: all
 * but sub; 1 or 0: not yet). */
#define OWNERS_VERSION 3

bool store_owners_derived(store *s)
{
    json_t *rows = NULL;
    bool yes = store_exec(s, "PRAGMA user_version", NULL, 1, &rows, NULL) == STORE_OK &&
               json_integer_value(json_array_get(json_array_get(rows, 0), 0)) >= OWNERS_VERSION;
    json_decref(rows);
    return yes;
}

bool store_set_owners_derived(store *s)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", OWNERS_VERSION);
    return store_exec(s, sql, NULL, 0, NULL, NULL) == STORE_OK;
}

static void copy_column(sqlite3_stmt *st, int i, char *out)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    snprintf(out, STORE_OWNER_LEN, "%s", v ? (const char *)v : "");
}

store_status store_owner_get(store *s, const char *type, const char *uid, store_owner *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = stmt(s, SQL_OWNER);
    if (!st)
        return STORE_ERROR;
    bind_text(st, 1, type);
    bind_text(st, 2, uid);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        copy_column(st, 0, out->org);
        copy_column(st, 1, out->reseller);
        copy_column(st, 2, out->loc);
        copy_column(st, 3, out->sub);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

store_status store_exec(store *s, const char *sql, const json_t *args, size_t max_rows,
                        json_t **rows, long *changes)
{
    if (rows)
        *rows = NULL;
    buf text;
    buf_init(&text);
    buf_puts(&text, sql);
    sqlite3_stmt *st = prepare(s, &text, args);
    if (!st)
        return STORE_ERROR;
    json_t *out = rows ? json_array() : NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!out || json_array_size(out) >= max_rows)
            continue; /* a write's RETURNING, or rows past the limit */
        json_t *row = json_array();
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_INTEGER:
                json_array_append_new(row, json_integer(sqlite3_column_int64(st, i)));
                break;
            case SQLITE_FLOAT:
                json_array_append_new(row, json_real(sqlite3_column_double(st, i)));
                break;
            case SQLITE_NULL:
                json_array_append_new(row, json_null());
                break;
            default:
                json_array_append_new(row, json_stringn((const char *)sqlite3_column_text(st, i),
                                                        (size_t)sqlite3_column_bytes(st, i)));
            }
        }
        json_array_append_new(out, row);
    }
    if (changes)
        *changes = sqlite3_changes(sqlite3_db_handle(st));
    if (rc != SQLITE_DONE)
        log_error("store: %s", sqlite3_errmsg(sqlite3_db_handle(st)));
    release(st);
    if (rc != SQLITE_DONE) {
        json_decref(out);
        return STORE_ERROR;
    }
    if (rows)
        *rows = out;
    return STORE_OK;
}

/* Appends the WHERE clause of a list: type, path keys, the query's
 * condition. */
/* The caller's scope (store.h: store_tenant) as a condition on the owner
 * columns; the column names are ours, never a client's. */
static void tenant_sql(buf *sql, json_t *args, const store_tenant *t)
{
    if (!t)
        return;
    if (t->nothing) {
        buf_puts(sql, " AND 0");
        return;
    }
    if (!t->column)
        return;
    buf_printf(sql, " AND r.%s = ?", !strcmp(t->column, "reseller") ? "reseller" : "org");
    json_array_append_new(args, json_string(t->value ? t->value : ""));
    if (t->nlocations > 0) {
        buf_puts(sql, " AND (r.loc IS NULL OR r.loc IN (");
        for (size_t i = 0; i < t->nlocations && i < STORE_MAX_LOCATIONS; i++) {
            buf_puts(sql, i ? ", ?" : "?");
            json_array_append_new(args, json_string(t->locations[i] ? t->locations[i] : ""));
        }
        buf_puts(sql, "))");
    }
    if (t->nsubtenants > 0) {
        buf_puts(sql, " AND r.sub IN (");
        for (size_t i = 0; i < t->nsubtenants && i < STORE_MAX_LOCATIONS; i++) {
            buf_puts(sql, i ? ", ?" : "?");
            json_array_append_new(args, json_string(t->subtenants[i] ? t->subtenants[i] : ""));
        }
        buf_puts(sql, ")");
    }
}

static bool tenant_empty(const store_tenant *t) { return !t || (!t->nothing && !t->column); }

static void where_sql(buf *sql, json_t *args, const char *type, const store_query *q)
{
    buf_puts(sql, " WHERE r.type = ?");
    json_array_append_new(args, json_string(type));
    tenant_sql(sql, args, q ? q->tenant : NULL);
    filter_sql(sql, args, q ? q->keys : NULL);
    if (q && q->where && q->where[0]) {
        buf_printf(sql, " AND (%s)", q->where);
        json_array_extend(args, (json_t *)q->where_args);
    }
}

store_status store_find(store *s, const char *type, const store_filter *filter, char **uid_out,
                        json_t **body_out, json_t **scope_out)
{
    *uid_out = NULL;
    *body_out = NULL;
    if (scope_out)
        *scope_out = NULL;
    if (!filter_ok(filter))
        return STORE_ERROR;
    buf sql;
    buf_init(&sql);
    json_t *args = json_array();
    store_query q = {.keys = filter};
    buf_puts(&sql, "SELECT r.uid, r.body, r.scope FROM records r");
    where_sql(&sql, args, type, &q);
    buf_puts(&sql, " ORDER BY r.seq LIMIT 1");
    sqlite3_stmt *st = prepare(s, &sql, args);
    json_decref(args);
    if (!st)
        return STORE_ERROR;
    int rc = sqlite3_step(st);
    store_status result = rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
    if (rc == SQLITE_ROW) {
        *uid_out = strdup((const char *)sqlite3_column_text(st, 0));
        *body_out = json_loads((const char *)sqlite3_column_text(st, 1), JSON_DECODE_ANY, NULL);
        if (scope_out)
            *scope_out = json_loads((const char *)sqlite3_column_text(st, 2), 0, NULL);
        result = *uid_out && *body_out ? STORE_OK : STORE_ERROR;
    }
    release(st);
    return result;
}

store_status store_delete_where(store *s, const char *type, const char *key, const char *value,
                                long *count)
{
    store_filter f = {1, {key}, {value}};
    if (!filter_ok(&f))
        return STORE_ERROR;
    buf sql;
    buf_init(&sql);
    json_t *args = json_array();
    store_query q = {.keys = &f};
    buf_puts(&sql, "DELETE FROM records AS r");
    where_sql(&sql, args, type, &q);
    sqlite3_stmt *st = prepare(s, &sql, args);
    json_decref(args);
    if (!st)
        return STORE_ERROR;
    bump(s);
    int rc = sqlite3_step(st);
    bump(s);
    if (count)
        *count = rc == SQLITE_DONE ? sqlite3_changes(sqlite3_db_handle(st)) : 0;
    release(st);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* Number of records of a list, or -1. seen: the write counter before the
 * read transaction began, cacheable: no restore was under way then; a
 * remembered total is used (and one kept) only when the counter has not
 * moved since, so it is of the world the page was read from. */
static long count_where(store *s, const char *type, const store_query *q, unsigned long seen_gen,
                        bool cacheable)
{
    if (!q || ((!q->keys || q->keys->n == 0) && (!q->where || !q->where[0]) &&
               tenant_empty(q->tenant)))
        return store_count(s, type); /* kept by triggers */
    buf sql;
    buf_init(&sql);
    json_t *args = json_array();
    buf_puts(&sql, "SELECT count(*) FROM records r");
    where_sql(&sql, args, type, q);
    /* a client paging through a filtered list repeats the same count: it is
     * remembered until the next write */
    /* the key: the SQL and its arguments' text, each after a unit
     * separator (no JSON text: this runs for every scoped or filtered page) */
    buf key;
    buf_init(&key);
    buf_puts(&key, sql.data ? sql.data : "");
    size_t ai;
    const json_t *av;
    json_array_foreach(args, ai, av) {
        /* length-prefixed, so that no value can pass for two */
        if (json_is_string(av)) {
            buf_printf(&key, "\x1fs%zu:", json_string_length(av));
            buf_append(&key, json_string_value(av), json_string_length(av));
        } else if (json_is_integer(av)) {
            buf_printf(&key, "\x1fi%lld", (long long)json_integer_value(av));
        } else if (json_is_real(av)) {
            buf_printf(&key, "\x1fr%.17g", json_real_value(av));
        } else {
            char *text = json_dumps(av, JSON_ENCODE_ANY | JSON_COMPACT);
            buf_printf(&key, "\x1fj%zu:%s", text ? strlen(text) : 0, text ? text : "");
            free(text);
        }
    }
    pthread_mutex_lock(&s->lock);
    const json_t *seen = key.failed ? NULL : json_object_get(s->totals, key.data);
    unsigned long generation = s->generation;
    cacheable = cacheable && generation == seen_gen;
    long n = cacheable && seen &&
                     (unsigned long)json_integer_value(json_array_get(seen, 0)) == generation
                 ? (long)json_integer_value(json_array_get(seen, 1))
                 : -1;
    pthread_mutex_unlock(&s->lock);
    if (n >= 0) {
        buf_free(&sql);
        buf_free(&key);
        json_decref(args);
        return n;
    }
    sqlite3_stmt *st = prepare(s, &sql, args);
    json_decref(args);
    if (st) {
        n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
        release(st);
    }
    if (n >= 0 && !key.failed && cacheable) {
        pthread_mutex_lock(&s->lock);
        if (json_object_size(s->totals) > 1000)
            json_object_clear(s->totals);
        json_object_set_new(s->totals, key.data,
                            json_pack("[I, I]", (json_int_t)generation, (json_int_t)n));
        pthread_mutex_unlock(&s->lock);
    }
    buf_free(&key);
    return n;
}

/* Appends the page of a list query to out; indexed: walk q->use_index. */
static store_status query_rows(store *s, const char *type, const store_query *q, long offset,
                               long limit, bool indexed, buf *out)
{
    buf sql;
    buf_init(&sql);
    json_t *args = json_array();
    bool embed = q && q->embed_type && q->embed_key;
    if (embed) { /* the root record, under _embedded.<key> */
        buf_puts(&sql, "SELECT json_set(r.body, '$._embedded', json_object(?, json(e.body)))");
        json_array_append_new(args, json_string(q->embed_key));
    } else {
        buf_puts(&sql, "SELECT r.body");
    }
    buf_puts(&sql, " FROM records r");
    if (indexed)
        buf_printf(&sql, " INDEXED BY %s", q->use_index); /* a name of ours, checked */
    if (embed) {
        buf_puts(&sql, " LEFT JOIN records e ON e.type = ? AND e.uid = r.uid");
        json_array_append_new(args, json_string(q->embed_type));
    }
    where_sql(&sql, args, type, q);
    buf_puts(&sql, " ORDER BY ");
    if (q && q->order && q->order[0]) {
        buf_printf(&sql, "%s, ", q->order);
        json_array_extend(args, (json_t *)q->order_args);
    }
    buf_puts(&sql, "r.seq LIMIT ? OFFSET ?");
    json_array_append_new(args, json_integer(limit));
    json_array_append_new(args, json_integer(offset));
    sqlite3_stmt *st = prepare(s, &sql, args);
    json_decref(args);
    if (!st)
        return STORE_ERROR;
    /* a page of bodies is large: room for a typical one at once rather
     * than a dozen regrowths, each a copy of what is there */
    if (limit > 0)
        buf_reserve(out, (size_t)(limit < 100 ? limit : 100) * 1024);
    buf_puts(out, "[");
    int rc;
    size_t n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++)
            buf_puts(out, ",");
        buf_append(out, sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0));
    }
    buf_puts(out, "]");
    if (rc != SQLITE_DONE)
        log_error("store: %s", sqlite3_errmsg(sqlite3_db_handle(st)));
    release(st);
    return rc == SQLITE_DONE && !out->failed ? STORE_OK : STORE_ERROR;
}

static bool exec(store *s, const char *sql);
static store_status query_page(store *s, const char *type, const store_query *q, long offset,
                               long limit, unsigned long seen_gen, bool cacheable, long *total,
                               buf *out);

store_status store_query_list(store *s, const char *type, const store_query *q, long offset,
                              long limit, long *total, buf *out)
{
    if (!filter_ok(q ? q->keys : NULL))
        return STORE_ERROR;
    pthread_mutex_lock(&s->lock);
    unsigned long seen_gen = s->generation;
    bool cacheable = s->replacing == 0;
    pthread_mutex_unlock(&s->lock);
    /* the page and its total in one read transaction (unless a write one
     * is open on this connection): a write or a restore committed between
     * the two statements cannot give the page of one world and the total
     * of another */
    conn *c = conn_get(s);
    bool own = c && c->depth == 0 && exec(s, "BEGIN");
    store_status st = query_page(s, type, q, offset, limit, seen_gen, cacheable, total, out);
    if (own)
        (void)exec(s, "COMMIT");
    return st;
}

/* store_query_list's reads, within its transaction. */
static store_status query_page(store *s, const char *type, const store_query *q, long offset,
                               long limit, unsigned long seen_gen, bool cacheable, long *total,
                               buf *out)
{
    size_t start = out->len;
    bool indexed = q && q->use_index && store_index_made(s, q->use_index);
    store_status st = query_rows(s, type, q, offset, limit, indexed, out);
    if (st != STORE_OK && indexed && !out->failed) {
        /* the index may have been dropped (least recently used) between
         * the check and the step: the same page without it */
        out->len = start;
        if (out->data)
            out->data[start] = 0;
        st = query_rows(s, type, q, offset, limit, false, out);
    }
    if (st != STORE_OK)
        return st;
    /* the total apart: an index count, not a window over every row */
    *total = count_where(s, type, q, seen_gen, cacheable);
    return *total < 0 ? STORE_ERROR : STORE_OK;
}

store_status store_list(store *s, const char *type, const store_filter *filter, long offset,
                        long limit, long *total, buf *out)
{
    store_query q = {.keys = filter};
    return store_query_list(s, type, &q, offset, limit, total, out);
}

/* FNV-1a, for index names: h is the hash so far (FNV_START at first). */
#define FNV_START 1469598103934665603ULL
static unsigned long long fnv(unsigned long long h, const char *text)
{
    for (; *text; text++)
        h = (h ^ (unsigned char)*text) * 1099511628211ULL;
    return h;
}

/* The column list of an index: "type, col, col...". */
static void index_columns(const json_t *columns, buf *cols)
{
    buf_puts(cols, "type");
    size_t k;
    const json_t *col;
    json_array_foreach(columns, k, col) {
        buf_puts(cols, ", ");
        buf_puts(cols, json_string_value(col));
    }
}

bool store_index_made(store *s, const char *name)
{
    pthread_mutex_lock(&s->lock);
    bool made = json_object_get(s->indexes, name) != NULL;
    pthread_mutex_unlock(&s->lock);
    return made;
}

/* The hash of index_columns' text, without building it: this runs for
 * every filtered or sorted list. */
void store_index_name(const json_t *columns, char *name, size_t len)
{
    unsigned long long h = fnv(FNV_START, "type");
    size_t k;
    const json_t *col;
    json_array_foreach(columns, k, col) {
        const char *text = json_string_value(col);
        h = fnv(fnv(h, ", "), text ? text : "");
    }
    snprintf(name, len, "ix_%016llx", h);
}

/* Marks index name used now; false when it does not exist. */
static bool index_touch(store *s, const char *name)
{
    pthread_mutex_lock(&s->lock);
    json_t *last = json_object_get(s->indexes, name);
    if (last)
        json_integer_set(last, (json_int_t)++s->index_clock);
    pthread_mutex_unlock(&s->lock);
    return last != NULL;
}

/* Drops the least recently used expression index. Called with s->ddl held
 * (no other thread adds or drops meanwhile). */
static bool index_drop_lru(store *s, conn *c)
{
    char victim[32] = "";
    json_int_t oldest = 0;
    pthread_mutex_lock(&s->lock);
    const char *name;
    json_t *last;
    json_object_foreach(s->indexes, name, last) {
        if (!victim[0] || json_integer_value(last) < oldest) {
            snprintf(victim, sizeof victim, "%s", name);
            oldest = json_integer_value(last);
        }
    }
    /* gone for the planner before it is gone from the file: a list that
     * checks store_index_made from now on does not name it */
    json_object_del(s->indexes, victim);
    pthread_mutex_unlock(&s->lock);
    char sql[64];
    snprintf(sql, sizeof sql, "DROP INDEX IF EXISTS %s", victim); /* a name of ours */
    if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        log_error("store: %s: %s", sql, sqlite3_errmsg(c->db));
        pthread_mutex_lock(&s->lock); /* still there: still counted */
        json_object_set_new(s->indexes, victim, json_integer(oldest));
        pthread_mutex_unlock(&s->lock);
        return false;
    }
    log_info("store: index %s dropped (least recently used of %d)", victim, STORE_MAX_INDEXES);
    return true;
}

/* Once per process, with s->ddl held: the expression indexes an earlier
 * run made (they count against the cap, as unused), and the excess of a
 * database made before the cap existed dropped. */
static bool index_load(store *s, conn *c)
{
    if (s->indexes_loaded)
        return true;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT name FROM sqlite_master WHERE type = 'index' AND name GLOB 'ix_*'",
                           -1, &st, NULL) != SQLITE_OK)
        return false;
    pthread_mutex_lock(&s->lock);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_object_set_new(s->indexes, (const char *)sqlite3_column_text(st, 0), json_integer(0));
    size_t n = json_object_size(s->indexes);
    pthread_mutex_unlock(&s->lock);
    sqlite3_finalize(st);
    for (; n > STORE_MAX_INDEXES; n--)
        if (!index_drop_lru(s, c))
            return false;
    s->indexes_loaded = true;
    return true;
}

/* Makes the index of columns, called name, dropping the least recently
 * used one first when STORE_MAX_INDEXES exist. */
static bool index_make(store *s, const json_t *columns, const char *name)
{
    conn *c = conn_get(s);
    if (!c)
        return false;
    buf cols, sql;
    buf_init(&cols);
    buf_init(&sql);
    index_columns(columns, &cols);
    /* the columns are query.c's own text over contract names */
    buf_printf(&sql, "CREATE INDEX IF NOT EXISTS %s ON records (%s)", name,
               cols.data ? cols.data : "");
    pthread_mutex_lock(&s->ddl);
    bool ok = !cols.failed && !sql.failed;
    if (ok && !index_touch(s, name)) { /* another thread may have made it meanwhile */
        ok = index_load(s, c);
        while (ok && !index_touch(s, name) && json_object_size(s->indexes) >= STORE_MAX_INDEXES)
            ok = index_drop_lru(s, c);
        if (ok && !index_touch(s, name)) {
            ok = sqlite3_exec(c->db, sql.data, NULL, NULL, NULL) == SQLITE_OK;
            if (!ok) {
                log_error("store: %s: %s", sql.data, sqlite3_errmsg(c->db));
            } else {
                log_info("store: index %s on (%s)", name, cols.data);
                pthread_mutex_lock(&s->lock);
                json_object_set_new(s->indexes, name, json_integer((json_int_t)++s->index_clock));
                pthread_mutex_unlock(&s->lock);
            }
        }
    }
    pthread_mutex_unlock(&s->ddl);
    buf_free(&cols);
    buf_free(&sql);
    return ok;
}

/* Takes one index build from the time budget (store.h); false when none
 * is left now. */
static bool build_allowed(store *s)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    pthread_mutex_lock(&s->lock);
    double elapsed = (double)(now.tv_sec - s->build_refill.tv_sec) +
                     (double)(now.tv_nsec - s->build_refill.tv_nsec) / 1e9;
    s->build_refill = now;
    s->build_tokens += elapsed / s->build_seconds;
    if (s->build_tokens > s->build_burst)
        s->build_tokens = s->build_burst;
    bool ok = s->build_tokens >= 1.0;
    if (ok)
        s->build_tokens -= 1.0;
    pthread_mutex_unlock(&s->lock);
    return ok;
}

void store_index_budget(store *s, int burst, double seconds_per_build)
{
    pthread_mutex_lock(&s->lock);
    s->build_burst = s->build_tokens = burst;
    s->build_seconds = seconds_per_build > 0 ? seconds_per_build : STORE_INDEX_BUILD_SECONDS;
    pthread_mutex_unlock(&s->lock);
}

bool store_ensure_indexes(store *s, const json_t *indexes)
{
    bool ok = true;
    int made = 0;
    size_t i;
    const json_t *columns;
    json_array_foreach(indexes, i, columns) {
        size_t n = json_array_size(columns);
        if (n == 0 || n > STORE_MAX_INDEX_COLUMNS)
            continue; /* served without an index of its own */
        char name[32];
        store_index_name(columns, name, sizeof name);
        if (index_touch(s, name) || made >= STORE_NEW_INDEXES_PER_CALL || !build_allowed(s))
            continue;
        made++;
        ok = index_make(s, columns, name) && ok;
    }
    return ok;
}

/* Makes the index serving store_find_by on property name, once per
 * process (CREATE ... IF NOT EXISTS finds the one of an earlier run). */
static bool unique_index(store *s, const char *name)
{
    char key[160];
    snprintf(key, sizeof key, "ux_%s", name);
    pthread_mutex_lock(&s->lock);
    bool made = json_object_get(s->unique_indexes, key) != NULL;
    pthread_mutex_unlock(&s->lock);
    if (made)
        return true;
    conn *c = conn_get(s);
    char sql[512];
    snprintf(sql, sizeof sql,
             "CREATE INDEX IF NOT EXISTS %s ON records (type, json_extract(body, '$.\"%s\"'))", key,
             name);
    pthread_mutex_lock(&s->ddl);
    bool ok = c && sqlite3_exec(c->db, sql, NULL, NULL, NULL) == SQLITE_OK;
    pthread_mutex_unlock(&s->ddl);
    if (!ok) {
        if (c)
            log_error("store: %s: %s", sql, sqlite3_errmsg(c->db));
        return false;
    }
    pthread_mutex_lock(&s->lock);
    json_object_set_new(s->unique_indexes, key, json_true());
    pthread_mutex_unlock(&s->lock);
    return true;
}

store_status store_find_by(store *s, const char *type, const char *name, const char *value,
                           char **uid_out)
{
    *uid_out = NULL;
    store_filter f = {1, {name}, {value}};
    if (!type || !filter_ok(&f) || strlen(name) > 100 || !unique_index(s, name))
        return STORE_ERROR;
    /* the path is written, not bound, so that the expression is the
     * index's (a name checked by filter_ok) */
    buf sql;
    buf_init(&sql);
    buf_printf(&sql,
               "SELECT uid FROM records WHERE type = ? AND json_extract(body, '$.\"%s\"') = ?"
               " ORDER BY seq LIMIT 1",
               name);
    json_t *args = json_pack("[s, s]", type, value);
    sqlite3_stmt *st = prepare(s, &sql, args);
    json_decref(args);
    if (!st)
        return STORE_ERROR;
    int rc = sqlite3_step(st);
    store_status result = rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
    if (rc == SQLITE_ROW) {
        *uid_out = strdup((const char *)sqlite3_column_text(st, 0));
        result = *uid_out ? STORE_OK : STORE_ERROR;
    }
    release(st);
    return result;
}

long store_count(store *s, const char *type)
{
    sqlite3_stmt *st = stmt(s, type ? SQL_COUNT_TYPE : SQL_COUNT_ALL);
    if (!st)
        return -1;
    if (type)
        bind_text(st, 1, type);
    long n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return n;
}

static bool exec(store *s, const char *sql)
{
    conn *c = conn_get(s);
    if (!c || sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        if (c)
            log_error("store: %s: %s", sql, sqlite3_errmsg(c->db));
        return false;
    }
    return true;
}

#define XSTR(x) #x
#define STR(x) XSTR(x)
static const char default_cache[] = "PRAGMA cache_size=-2000";

/* A begin inside a transaction is a savepoint: an async action runs its
 * operation's handler (which groups its own writes) inside the transaction
 * that also records the action finished, so that both land or neither. */
bool store_begin(store *s)
{
    conn *c = conn_get(s);
    if (!c)
        return false;
    char sql[32];
    if (c->depth > 0)
        snprintf(sql, sizeof sql, "SAVEPOINT s%d", c->depth);
    bool ok = exec(s, c->depth > 0 ? sql : "BEGIN IMMEDIATE");
    if (ok)
        c->depth++;
    return ok;
}
bool store_begin_bulk(store *s)
{
    return exec(s, "PRAGMA cache_size=-" STR(STORE_BULK_CACHE_KIB)) && store_begin(s);
}
bool store_commit(store *s)
{
    conn *c = conn_get(s);
    if (!c || c->depth == 0)
        return false;
    char sql[32];
    if (c->depth > 1)
        snprintf(sql, sizeof sql, "RELEASE s%d", c->depth - 1);
    bool ok = exec(s, c->depth > 1 ? sql : "COMMIT");
    if (ok) /* a failed COMMIT leaves the transaction open: rollback ends it */
        c->depth--;
    if (c->depth == 0)
        (void)exec(s, default_cache);
    bump(s); /* totals counted during the transaction saw the old rows */
    return ok;
}
void store_rollback(store *s)
{
    conn *c = conn_get(s);
    if (!c || c->depth == 0)
        return;
    char sql[64];
    if (c->depth > 1)
        snprintf(sql, sizeof sql, "ROLLBACK TO s%d; RELEASE s%d", c->depth - 1, c->depth - 1);
    (void)exec(s, c->depth > 1 ? sql : "ROLLBACK");
    c->depth--;
    if (c->depth == 0)
        (void)exec(s, default_cache);
}

/* store_conn.h: the hooks of store_backup.c. */
sqlite3 *store_conn_db(store *s)
{
    conn *c = conn_get(s);
    return c && c->depth == 0 ? c->db : NULL;
}

void store_conn_replacing(store *s)
{
    pthread_mutex_lock(&s->lock);
    s->replacing++;
    s->generation++;
    pthread_mutex_unlock(&s->lock);
}

void store_conn_replaced(store *s)
{
    pthread_mutex_lock(&s->ddl); /* no index is being made or dropped meanwhile */
    pthread_mutex_lock(&s->lock);
    json_object_clear(s->indexes);
    json_object_clear(s->unique_indexes);
    json_object_clear(s->totals);
    s->indexes_loaded = false; /* index_load reads the new content's ix_ */
    s->replacing--;
    s->generation++;
    pthread_mutex_unlock(&s->lock);
    pthread_mutex_unlock(&s->ddl);
}
