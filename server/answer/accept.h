/* accept.h — which format an answer goes out in, from the request's Accept
 * header (RFC 9110 12.5.1), the way ASP.NET's output formatters choose:
 *
 *   - no Accept, an empty one, or one that names a wildcard type with a
 *     quality above 0 ("*" "/" "*", as browsers and curl send it) is JSON:
 *     ASP.NET ignores a browser's Accept unless told otherwise
 *     (RespectBrowserAcceptHeader is off by default);
 *   - otherwise the media ranges are tried from the highest quality down
 *     (equal qualities in the order given), and the first one a format
 *     writes wins: application/json, text/json (JSON), application/xml,
 *     text/xml (XML), text/csv (CSV); "text/" "*" and "application/" "*"
 *     match the first of those with that type; q=0 refuses a range;
 *   - nothing matches: not acceptable (the pipeline answers 406).
 * The chosen media type is also the answer's Content-Type (with
 * charset=utf-8), so a client asking for text/xml gets text/xml.
 */
#ifndef VSPC_ACCEPT_H
#define VSPC_ACCEPT_H

#include <stdbool.h>

typedef enum answer_format {
    FORMAT_JSON, /* the default */
    FORMAT_XML,
    FORMAT_CSV,
} answer_format;

typedef struct accept_choice {
    bool acceptable;          /* false: nothing the header names can be written */
    answer_format format;     /* when acceptable */
    const char *content_type; /* static: "application/xml; charset=utf-8", ... */
} accept_choice;

/* The format for an Accept header value (NULL: none sent). */
accept_choice accept_choose(const char *accept);

/* The media types the emulator answers in, for a 406's message:
 * "application/json, text/json, application/xml, text/xml, text/csv". */
const char *accept_supported_text(void);

#endif
