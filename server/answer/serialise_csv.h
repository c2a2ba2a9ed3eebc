/* serialise_csv.h — an answer's JSON body as CSV (RFC 4180): a header row,
 * then one row per resource, lines ending in CRLF.
 *
 *   - which rows: the items of `data` for a collection; `data` alone for
 *     one resource (one row); without data, the items of `errors` (an
 *     error envelope, an EmptyResponse: no rows at all); any other object
 *     (an OAuth result) is one row;
 *   - columns: every member, flattened — a nested object's members are
 *     "a.b.c", an array's items "a.0", "a.1.name" (indexed, so nothing is
 *     lost); the header is the union of the rows' columns in the order
 *     first met; no rows, no header (an empty body);
 *   - cells: text as it is, numbers and true/false as JSON writes them,
 *     null and a missing member empty; a cell holding a comma, a quote, CR
 *     or LF is quoted, its quotes doubled. Paging information is not
 *     written (it is the answer's meta, not a resource).
 */
#ifndef VSPC_SERIALISE_CSV_H
#define VSPC_SERIALISE_CSV_H

#include <jansson.h>
#include <stdbool.h>

#include "base/buf.h"

/* Appends body as CSV to out. False when out failed. */
bool serialise_csv(const json_t *body, buf *out);

#endif
