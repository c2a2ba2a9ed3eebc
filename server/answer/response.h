/* response.h — what a handler answers: a status, the answer as a value
 * (never as text it made itself), and the few extra headers VSPC sends
 * (Allow, Location, Content-Disposition, Retry-After).
 *
 * The answer takes one of four forms, and response_serialise (the
 * pipeline's serialise stage, pipeline/dispatch.h) turns it into body bytes
 * exactly once:
 *   value      a whole JSON body: an error envelope, an OAuth2 result, a
 *              generated answer (response_json);
 *   data       VSPC's data; the envelope is built at serialisation
 *              (response_data, response_page), as the REST overview's
 *              examples show it: {"data": ...} for one resource, and
 *              {"meta": {"pagingInfo": ...}, "data": [...]} for a page —
 *              meta only where there is paging, no "errors" on success;
 *   data_text  the same envelope around JSON text that was stored, never
 *              parsed (response_page_text: the store's pages and items);
 *   bytes      a body as it goes out (response_bytes: downloads).
 * An answer without data (a delete, an action) is the contract's
 * EmptyResponse, whose one required member is "errors": {"errors": []}
 * (response_empty).
 * Until serialisation the pipeline may still shape `data` (select, older
 * versions; response_parse_data makes stored text a value first). The
 * response owns everything it holds and frees it in response_clear().
 */
#ifndef VSPC_RESPONSE_H
#define VSPC_RESPONSE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "answer/accept.h"
#include "contract/schema.h"

#define CT_JSON "application/json; charset=utf-8"
#define CT_OCTET "application/octet-stream"

typedef struct response {
    int status;
    json_t *value;            /* owned: a whole body, or NULL */
    json_t *data;             /* owned: VSPC's data, or NULL */
    char *data_text;          /* owned: stored JSON text of the data, or NULL */
    size_t data_text_len;
    bool paged;               /* data comes with meta.pagingInfo */
    long total, count, offset;
    char *body;               /* owned: the bytes; may be NULL when len is 0 */
    size_t len;
    const char *content_type; /* static string, or own_type */
    char own_type[128];       /* a content type passed through (proxying) */
    char allow[64];           /* "GET, POST" for 405 answers, else "" */
    char location[256];       /* async action link for 202 answers, else "" */
    char content_disposition[128]; /* file downloads, else "" */
    long retry_after;         /* seconds for a Retry-After header (429), else 0 */
    const char *cache_control; /* static: a Cache-Control header, or NULL for none */
    /* The format response_serialise writes (answer/accept.h), chosen by the
     * pipeline from Accept; JSON unless set. XML names its elements from
     * the body's schema (serialise_xml.h): both may be NULL. A bytes answer
     * (a download) goes out as it is, whatever the format. */
    answer_format format;
    const char *format_type;   /* static: the Content-Type of that format */
    const schema_ctx *schemas;
    const json_t *schema;      /* the schema of the whole body (the envelope) */
    const char *schema_name;   /* its name in the contract (borrowed), or NULL */
} response;

void response_init(response *r);
void response_clear(response *r);

/* Sets status and a whole JSON body (takes the reference; NULL is an
 * error answer). False on NULL. */
bool response_json(response *r, int status, json_t *value);

/* 200 with VSPC's envelope around data (takes data). */
bool response_data(response *r, json_t *data);

/* 200 with a page: data (an array, taken) and its paging information. */
bool response_page(response *r, json_t *data, long total, long count, long offset);

/* 200 with stored JSON text as the data (taken: malloc'd, len bytes),
 * paged when paged is true. */
bool response_page_text(response *r, char *text, size_t len, bool paged, long total, long count,
                        long offset);

/* 200 with the contract's EmptyResponse: {"errors":[]}. */
bool response_empty(response *r);

/* Sets status and a copy of `len` raw bytes with the given content type. */
bool response_bytes(response *r, int status, const char *content_type,
                    const void *bytes, size_t len);

/* response_bytes with a content type that is not a static string (an
 * upstream's, copied; cut at 127 bytes). */
bool response_bytes_typed(response *r, int status, const char *content_type,
                          const void *bytes, size_t len);

/* The data a handler answered (borrowed), or NULL when it answered none
 * as a value. */
const json_t *response_data_of(const response *r);

/* Makes stored data text (response_page_text) the value `data`, so that
 * it can be shaped; true when the answer has data as a value now. False
 * for no data, and when the text is not JSON (then the answer is the 520
 * of an answer that cannot be built). */
bool response_parse_data(response *r);

/* Turns the answer into body bytes (once; later calls do nothing), in
 * r->format. False when it cannot be serialised, and then the body is an
 * error 520 (in JSON). */
bool response_serialise(response *r);

#endif
