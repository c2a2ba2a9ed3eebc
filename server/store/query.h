/* query.h — VSPC's filter and sort query parameters (the REST overview's
 * "Filter Parameter" and "Sort Parameter"), compiled to SQL over the
 * store's JSON records.
 *
 * filter=[{"property":"lastActivation.status","operation":"equals",
 *          "collation":"ignorecase","value":"error"}, ...]
 * A list of expressions is their conjunction; a grouping expression
 * {"operation":"and|or|not|exclusiveOr","items":[...]} nests to any depth.
 * "items": null is no group (clients send it on every leaf).
 * The ten relational operators (in, contains, subset, superset, equals,
 * notEquals, lessThan, lessThanOrEqual, greaterThan, greaterThanOrEqual)
 * apply by the property's schema type: numbers compare as numbers,
 * booleans as booleans, date-times as instants, UUIDs ignoring case, enums
 * by name, arrays by their elements; collation ordinal (default),
 * ignorecase or lexicographic (natural order: digit runs as numbers,
 * ignoring case) applies to text. "a.b.c" reaches into sub-objects.
 *
 * sort=[{"property":"name","direction":"ascending","collation":"ordinal"}]
 * orders by several keys; the store adds insertion order last, so the
 * order is total and stable; nulls sort first ascending, last descending.
 *
 * Every value is a bound parameter, never SQL text; a property path is
 * written into the SQL only when it is made of contract names ([A-Za-z0-9_]
 * and dots), so that expression indexes can serve it. A problem is a
 * sentence for a 400 naming the parameter ("filter", "sort").
 */
#ifndef VSPC_QUERY_H
#define VSPC_QUERY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "contract/schema.h"

/* The name of the custom SQLite collation for "lexicographic"; the store
 * registers it on every connection (query_register_collation). */
#define QUERY_LEXICAL_COLLATION "VSPC_LEXICAL"

/* SQL fragments over the record alias `r` (r.body) and their arguments,
 * in the order of their '?' placeholders. */
typedef struct query_sql {
    buf sql;
    json_t *args;    /* owned array */
    json_t *indexes; /* owned: indexes that would serve the SQL, each an
                      * array of column definitions over `body`
                      * ("json_extract(body, '$.\"name\"') COLLATE NOCASE DESC"),
                      * for store_ensure_indexes */
} query_sql;

void query_sql_init(query_sql *q);
void query_sql_free(query_sql *q);

/* Compiles filter text for items of `schema` into a boolean SQL expression
 * (appended to out). False with why on a problem. */
bool query_filter(const schema_ctx *ctx, const json_t *schema, const char *text, query_sql *out,
                  char *why, size_t whylen);

/* Compiles sort text into comma-separated ORDER BY terms. */
bool query_sort(const schema_ctx *ctx, const json_t *schema, const char *text, query_sql *out,
                char *why, size_t whylen);

/* Natural comparison of two byte strings (the "lexicographic" collation):
 * case-insensitive, runs of digits compared by value. */
int query_lexical_compare(const char *a, size_t alen, const char *b, size_t blen);

struct sqlite3;
/* Registers QUERY_LEXICAL_COLLATION on a connection; false on failure. */
bool query_register_collation(struct sqlite3 *db);

#endif
