/* response.h — what a handler answers: status, body bytes, content type and
 * the few extra headers VSPC sends (Allow, Location, WWW-Authenticate).
 *
 * The response owns its body (malloc'd) and frees it in response_clear().
 * http.c turns it into a libmicrohttpd response.
 */
#ifndef VSPC_RESPONSE_H
#define VSPC_RESPONSE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define CT_JSON "application/json; charset=utf-8"
#define CT_OCTET "application/octet-stream"

typedef struct response {
    int status;
    char *body;               /* owned; may be NULL when len is 0 */
    size_t len;
    const char *content_type; /* static string */
    char allow[64];           /* "GET, POST" for 405 answers, else "" */
    char location[256];       /* async action link for 202 answers, else "" */
    char content_disposition[128]; /* file downloads, else "" */
    long retry_after;         /* seconds for a Retry-After header (429), else 0 */
} response;

void response_init(response *r);
void response_clear(response *r);

/* Sets status and a JSON body: dumps `value` compactly and takes ownership of
 * the reference (decref'd here, also on failure). False if it could not be
 * serialised, in which case the response is a 520 error. */
bool response_json(response *r, int status, json_t *value);

/* 200 with VSPC's envelope {"meta": null, "data": data}; takes data. */
bool response_data(response *r, json_t *data);

/* Sets status and a copy of `len` raw bytes with the given content type. */
bool response_bytes(response *r, int status, const char *content_type,
                    const void *bytes, size_t len);

#endif
