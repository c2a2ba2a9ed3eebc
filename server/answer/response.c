/* response.c — see response.h. */
#include "answer/response.h"

#include <stdlib.h>
#include <string.h>

#include "answer/errors.h"

void response_init(response *r)
{
    memset(r, 0, sizeof *r);
    r->status = 200;
    r->content_type = CT_JSON;
}

void response_clear(response *r)
{
    free(r->body);
    response_init(r);
}

bool response_data(response *r, json_t *data)
{
    return response_json(r, 200, data ? json_pack("{s:n, s:o}", "meta", "data", data) : NULL);
}

bool response_json(response *r, int status, json_t *value)
{
    char *text = value ? json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    json_decref(value);
    if (!text) {
        error_internal(r, "The response could not be serialised.");
        return false;
    }
    free(r->body);
    r->body = text;
    r->len = strlen(text);
    r->status = status;
    r->content_type = CT_JSON;
    return true;
}

bool response_bytes(response *r, int status, const char *content_type,
                    const void *bytes, size_t len)
{
    char *copy = malloc(len ? len : 1);
    if (!copy) {
        error_internal(r, "Out of memory.");
        return false;
    }
    if (len)
        memcpy(copy, bytes, len);
    free(r->body);
    r->body = copy;
    r->len = len;
    r->status = status;
    r->content_type = content_type;
    return true;
}
