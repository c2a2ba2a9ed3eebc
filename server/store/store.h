/* store.h — the emulator's state: records of the contract's entity types in
 * one SQLite database (WAL journal) in the data dir.
 *
 * A record is (type, uid) -> body: the entity's JSON exactly as the API
 * answers it, stored as compact text so that pages are assembled from
 * stored bytes, never re-serialised. Beside the body a record keeps the
 * organization that owns it (for role scoping) and its scope: the keys of
 * the paths it is reachable under that the body itself does not carry
 * (e.g. the backupServerUid of a job type that has no such property).
 *
 * The database is this process's alone while it is open (SQLite's
 * STORE_VFS, "unix-excl"): other processes cannot open it, so a tool
 * reading a running server's data reads a copy of vspc.db and its -wal.
 *
 * Each thread gets its own connection on first use (libmicrohttpd's pool
 * threads, tests); all are closed by store_close(). Every write is a
 * committed transaction before the call returns, so a write acknowledged to
 * a client survives kill -9 (WAL, synchronous=NORMAL).
 */
#ifndef VSPC_STORE_H
#define VSPC_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

#define STORE_VFS "unix-excl"

typedef struct store store;

typedef enum store_status {
    STORE_OK,
    STORE_NOT_FOUND,
    STORE_CONFLICT, /* a record of that type and uid already exists */
    STORE_ERROR,
} store_status;

/* Opens (creating if needed) the database file `path`. NULL with err on
 * failure. */
store *store_open(const char *path, char *err, size_t errlen);
void store_close(store *s);

/* One record, as given to store_put. scope and the owner columns may be
 * NULL. The owner columns say whose the record is, for tenant scoping
 * (tenancy/owners.h derives them): org, the owning organization (a
 * company, a reseller or the provider); reseller, the reseller that org
 * is or belongs to; loc, the company location the record is bound to;
 * sub, the cloud subtenant it belongs to (its own agents and backups). */
typedef struct store_record {
    const char *type;
    const char *uid;
    const char *org;
    const json_t *scope;   /* object of path keys, or NULL */
    const json_t *body;    /* the entity */
    const char *reseller;
    const char *loc;
    const char *sub;
} store_record;

/* A record's owner columns as stored ("" where NULL). */
#define STORE_OWNER_LEN 128
typedef struct store_owner {
    char org[STORE_OWNER_LEN], reseller[STORE_OWNER_LEN], loc[STORE_OWNER_LEN];
    char sub[STORE_OWNER_LEN];
} store_owner;

/* The owner columns of (type, uid). */
store_status store_owner_get(store *s, const char *type, const char *uid, store_owner *out);

/* What of a type a caller may see, as a condition on the owner columns:
 * column "org" (with value; and when nlocations > 0, only records bound to
 * one of those locations or to none; when nsubtenants > 0, only records
 * of one of those subtenants) or "reseller" (with value); column NULL and
 * nothing false: no condition; nothing: no record at all. */
#define STORE_MAX_LOCATIONS 16
typedef struct store_tenant {
    const char *column;
    const char *value;
    const char *locations[STORE_MAX_LOCATIONS];
    size_t nlocations;
    const char *subtenants[STORE_MAX_LOCATIONS];
    size_t nsubtenants;
    bool nothing;
} store_tenant;

/* Inserts a record; STORE_CONFLICT if it exists (unless replace). */
store_status store_put(store *s, const store_record *rec, bool replace);

/* The body of (type, uid) as a new JSON value (*out), and its scope if
 * scope_out is not NULL. */
store_status store_get(store *s, const char *type, const char *uid, json_t **out,
                       json_t **scope_out);

/* The body of (type, uid) as stored text, appended to out. */
store_status store_get_text(store *s, const char *type, const char *uid, buf *out);

/* Replaces the body of an existing record (scope and org kept). */
store_status store_update(store *s, const char *type, const char *uid, const json_t *body);
/* Replaces body and scope of an existing record (its owner columns kept);
 * STORE_NOT_FOUND when there is none. */
store_status store_update_with_scope(store *s, const char *type, const char *uid,
                                     const json_t *body, const json_t *scope);

/* Deletes (type, uid). */
store_status store_delete(store *s, const char *type, const char *uid);

/* Deletes every record of `type` whose scope or body has key == value;
 * *count receives how many (may be NULL). For cascading deletes. */
store_status store_delete_where(store *s, const char *type, const char *key, const char *value,
                                long *count);

/* Path keys a list is restricted by: a record matches a key when its scope
 * or its body has that key with that value. Keys are property names
 * (letters, digits, '_'); any other key is an error, never SQL. */
#define STORE_MAX_KEYS 8
typedef struct store_filter {
    size_t n;
    const char *keys[STORE_MAX_KEYS];
    const char *values[STORE_MAX_KEYS];
} store_filter;

/* The first record (insertion order) of `type` matching filter: its uid
 * (new string, caller frees), body and scope (new references; scope_out
 * may be NULL). For finding a record by a property other than its id. */
store_status store_find(store *s, const char *type, const store_filter *filter, char **uid_out,
                        json_t **body_out, json_t **scope_out);

/* Appends `[body,body,...]` (records offset..offset+limit-1 in insertion
 * order) to out, and sets *total to the number of matching records. */
store_status store_list(store *s, const char *type, const store_filter *filter, long offset,
                        long limit, long *total, buf *out);

/* A list query: path keys, a condition and an order over the record alias
 * `r` (SQL with '?' placeholders and their values, see query.h), and
 * optionally a root record of the same UID embedded as _embedded.<key>. */
typedef struct store_query {
    const store_filter *keys;
    const char *where;           /* boolean SQL, or NULL */
    const json_t *where_args;
    const char *order;           /* ORDER BY terms, or NULL (insertion order) */
    const json_t *order_args;
    const char *use_index;       /* an index the query must walk (INDEXED BY),
                                  * made by store_ensure_indexes; or NULL */
    const char *embed_type;      /* expand: the root entity type, or NULL */
    const char *embed_key;       /* and its member name under _embedded */
    const store_tenant *tenant;  /* the caller's scope, or NULL: every record */
} store_query;

/* store_list with a query; insertion order breaks ties, so the order is
 * total and a page boundary never drops or repeats a record. */
store_status store_query_list(store *s, const char *type, const store_query *q, long offset,
                              long limit, long *total, buf *out);

/* The expression indexes a query asked for (query.h: query_sql.indexes),
 * each led by the record type, made when first asked for and marked used
 * on every later call (call it for every query, not only the first).
 *
 * Clients choose what they filter and sort on, so what this makes is
 * bounded, never a client's to grow: the columns are query.c's text over
 * properties the entity's schema has (an unknown property is a 400 before
 * this), and at most STORE_MAX_INDEXES such indexes exist in the database
 * (named ix_...): beyond it the least recently used is dropped. Last use is
 * kept in memory; after a restart the indexes found count as unused. An
 * index of more than STORE_MAX_INDEX_COLUMNS columns is not made, and one
 * call makes at most STORE_NEW_INDEXES_PER_CALL new ones (a filter of 500
 * properties must not rebuild the whole set). Building an index takes the
 * write lock for a scan of the type's records, so builds are also rationed
 * in time: at most STORE_INDEX_BUILDS_BURST at once, then one every
 * STORE_INDEX_BUILD_SECONDS; a client cycling through ever-new query shapes
 * gets correct answers without an index of their own instead of a build
 * (and a drop) per request. False only on an SQLite error. */
#define STORE_MAX_INDEXES 64
#define STORE_INDEX_BUILDS_BURST 16
#define STORE_INDEX_BUILD_SECONDS 2
#define STORE_MAX_INDEX_COLUMNS 8
#define STORE_NEW_INDEXES_PER_CALL 4
bool store_ensure_indexes(store *s, const json_t *indexes);
/* Replaces the build budget's burst and pace (tests; the defaults are the
 * constants above). */
void store_index_budget(store *s, int burst, double seconds_per_build);
/* The name store_ensure_indexes gives the index of those columns (an array
 * as in query_sql.indexes), into name (at least 24 bytes). */
void store_index_name(const json_t *columns, char *name, size_t len);
/* Whether the index called name exists now (made or found by
 * store_ensure_indexes, not dropped since). */
bool store_index_made(store *s, const char *name);

/* The uid (new string, caller frees) of the first record (insertion order)
 * of `type` whose body's top-level property `name` (letters, digits, '_')
 * is the string value: the check of unique names and logins. Served by an
 * index on (type, that property) made on first use (named ux_<name>; one per
 * property the mapping declares unique, outside STORE_MAX_INDEXES), so a
 * create costs the same in a world of 10 companies as of 100,000. */
store_status store_find_by(store *s, const char *type, const char *name, const char *value,
                           char **uid_out);

/* One statement of another module over its own side tables (auth.h's
 * tokens and secrets), or a read of records by a condition of its own:
 * sql with '?' placeholders bound to args (strings, integers, booleans,
 * nulls) in order; cached per connection like every statement here. The
 * rows, at most max_rows, land in *rows as an array of arrays of column
 * values (rows may be NULL for a write); *changes gets the rows changed
 * (may be NULL). It must not write `records`: the counts and cached totals
 * are kept by store_put/update/delete. */
store_status store_exec(store *s, const char *sql, const json_t *args, size_t max_rows,
                        json_t **rows, long *changes);
/* A statement of tenancy/owners.c over the owner columns of records
 * (sql with '?' placeholders bound to args, as store_exec); unlike
 * store_exec it counts as a write of records: caches see it. */
store_status store_exec_owners(store *s, const char *sql, const json_t *args, long *changes);
/* Whether the owner columns were derived for this database's records (a
 * database of an earlier version, or one built before its owners were
 * derived, says no); store_set_owners_derived records that they are. */
bool store_owners_derived(store *s);
bool store_set_owners_derived(store *s);

/* A number that changes with every write of records: what caches of
 * record-derived answers (auth.c's verified credentials) compare. */
unsigned long store_generation(store *s);
/* Number of records of a type (all types when type is NULL). */
long store_count(store *s, const char *type);

/* Groups writes into one transaction (on the calling thread's connection).
 * A begin inside one is a savepoint: its commit keeps its writes for the
 * outer transaction, its rollback undoes only them. */
bool store_begin(store *s);
/* The same for a bulk load (the world build): the connection's page cache
 * is raised to STORE_BULK_CACHE_KIB for the transaction, so that SQLite
 * writes the new pages once at commit instead of spilling them to the WAL
 * as the default 2 MiB cache fills; store_commit/rollback restore it. */
#define STORE_BULK_CACHE_KIB 65536
bool store_begin_bulk(store *s);
bool store_commit(store *s);
void store_rollback(store *s);

/* The last SQLite error message of the calling thread's connection. */
const char *store_errmsg(store *s);

#endif
