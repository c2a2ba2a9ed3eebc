/* uri.h — the request-target of an HTTP request line ("/api/v3/x?a=1&b=2"),
 * as the client sent it, split into a decoded path and decoded query pairs.
 *
 * The transport hands this module the raw bytes (libmicrohttpd's own query
 * parsing is bypassed, see http.c) so that every value is handled with its
 * length and every limit is checked before anything is allocated per pair:
 *
 *   - the whole target is at most URI_MAX_TARGET bytes and the decoded path
 *     at most URI_MAX_PATH bytes, else URI_TOO_LONG (the caller answers 414);
 *   - at most URI_MAX_PARAMS query pairs, else URI_TOO_MANY (400);
 *   - a NUL byte (%00) in the path, a query name or a query value is
 *     URI_BAD (400) naming the culprit: C strings would silently cut the
 *     value there ("limit=1%00" read as "limit=1").
 *
 * Decoding: %XX is a byte in the path and the query; '+' is a space in the
 * query only (HTML forms); an invalid escape stays as it is, as ASP.NET
 * leaves it. A pair without '=' has the value "". Empty pairs ("a=1&&b=2")
 * are skipped.
 */
#ifndef VSPC_URI_H
#define VSPC_URI_H

#include <stdbool.h>
#include <stddef.h>

#include "request/params.h"

#define URI_MAX_TARGET 16384 /* bytes of the request-target as sent */
#define URI_MAX_PATH 2000    /* bytes of the decoded path (the route index holds 2048) */
#define URI_MAX_PARAMS 256   /* query pairs */

typedef enum uri_status {
    URI_OK,
    URI_TOO_LONG,
    URI_TOO_MANY,
    URI_BAD,
    URI_NO_MEMORY,
} uri_status;

typedef struct uri_parts {
    char *path;     /* decoded, NUL-terminated, owned */
    kv *query;      /* nquery decoded pairs; keys and values live in `text` */
    size_t nquery;
    char *text;     /* owned storage of the decoded pairs */
} uri_parts;

/* Splits target[0..len) into out (which the caller clears with
 * uri_parts_clear, also after a failure). On a failure other than URI_OK,
 * `why` says what is wrong in one sentence and `name` is the parameter at
 * fault ("path" for the path, the decoded query name otherwise with a NUL
 * shown as "\0", "query" for a pair without a name, "" when none). */
uri_status uri_parse(const char *target, size_t len, uri_parts *out, char *why, size_t whylen,
                     char *name, size_t namelen);

void uri_parts_clear(uri_parts *parts);

#endif
