/* response.c — see response.h. */
#include "answer/response.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer/serialise_csv.h"
#include "answer/serialise_xml.h"
#include "base/buf.h"

void response_init(response *r)
{
    memset(r, 0, sizeof *r);
    r->status = 200;
    r->content_type = CT_JSON;
}

/* VSPC's 520 for an answer that cannot be built (out of memory), written
 * here rather than through errors.h, which builds on this module. */
static const char cannot_build[] =
    "{\"errors\":[{\"message\":\"The response could not be built.\","
    "\"type\":\"unspecified\",\"code\":500}]}";

static void drop_answer(response *r);

/* Answers cannot_build (a static body, so it cannot fail). */
static void fail(response *r)
{
    drop_answer(r);
    r->body = strdup(cannot_build);
    r->len = r->body ? sizeof cannot_build - 1 : 0;
    r->status = 520;
    r->content_type = CT_JSON;
}

/* Drops the answer, keeping status and headers. */
static void drop_answer(response *r)
{
    json_decref(r->value);
    json_decref(r->data);
    free(r->data_text);
    free(r->body);
    r->value = r->data = NULL;
    r->data_text = r->body = NULL;
    r->data_text_len = r->len = 0;
    r->paged = false;
}

void response_clear(response *r)
{
    drop_answer(r);
    response_init(r);
}

bool response_json(response *r, int status, json_t *value)
{
    drop_answer(r);
    if (!value) {
        fail(r);
        return false;
    }
    r->value = value;
    r->status = status;
    r->content_type = CT_JSON;
    return true;
}

bool response_data(response *r, json_t *data)
{
    drop_answer(r);
    if (!data) {
        fail(r);
        return false;
    }
    r->data = data;
    r->status = 200;
    r->content_type = CT_JSON;
    return true;
}

bool response_page(response *r, json_t *data, long total, long count, long offset)
{
    if (!response_data(r, data))
        return false;
    r->paged = true;
    r->total = total, r->count = count, r->offset = offset;
    return true;
}

bool response_page_text(response *r, char *text, size_t len, bool paged, long total, long count,
                        long offset)
{
    drop_answer(r);
    if (!text) {
        fail(r);
        return false;
    }
    r->data_text = text;
    r->data_text_len = len;
    r->paged = paged;
    r->total = total, r->count = count, r->offset = offset;
    r->status = 200;
    r->content_type = CT_JSON;
    return true;
}

bool response_bytes(response *r, int status, const char *content_type,
                    const void *bytes, size_t len)
{
    char *copy = malloc(len ? len : 1);
    if (!copy) {
        fail(r);
        return false;
    }
    if (len)
        memcpy(copy, bytes, len);
    drop_answer(r);
    r->body = copy;
    r->len = len;
    r->status = status;
    r->content_type = content_type;
    return true;
}

bool response_bytes_typed(response *r, int status, const char *content_type,
                          const void *bytes, size_t len)
{
    if (!response_bytes(r, status, "application/octet-stream", bytes, len))
        return false;
    if (content_type && *content_type) {
        snprintf(r->own_type, sizeof r->own_type, "%s", content_type);
        r->content_type = r->own_type;
    }
    return true;
}

const json_t *response_data_of(const response *r) { return r->data; }

bool response_empty(response *r)
{
    return response_json(r, 200, json_pack("{s:[]}", "errors"));
}

bool response_parse_data(response *r)
{
    if (r->data)
        return true;
    if (!r->data_text)
        return false;
    json_t *data = json_loadb(r->data_text, r->data_text_len, JSON_DECODE_ANY, NULL);
    if (!data) {
        fail(r);
        return false;
    }
    free(r->data_text);
    r->data_text = NULL;
    r->data_text_len = 0;
    r->data = data;
    return true;
}

/* The envelope's head: {"meta":{"pagingInfo":...},"data": for a page,
 * {"data": otherwise (no meta without paging: the REST overview's single
 * resources carry none, and 3.6 and 3.5.1 allow no null one). */
static void envelope_head(const response *r, buf *b)
{
    if (r->paged)
        buf_printf(b, "{\"meta\":{\"pagingInfo\":{\"total\":%ld,\"count\":%ld,\"offset\":%ld}},\"data\":",
                   r->total, r->count, r->offset);
    else
        buf_puts(b, "{\"data\":");
}

/* The whole body as a value, for the formats other than JSON: the value,
 * or the envelope around the data (a new reference; NULL out of memory). */
static json_t *body_value(response *r)
{
    if (r->value)
        return json_incref(r->value);
    if (!response_parse_data(r))
        return NULL;
    json_t *body = json_object(); /* meta first, as in JSON */
    if (body && r->paged)
        json_object_set_new(body, "meta",
                            json_pack("{s:{s:I,s:I,s:I}}", "pagingInfo", "total",
                                      (json_int_t)r->total, "count", (json_int_t)r->count,
                                      "offset", (json_int_t)r->offset));
    if (body && json_object_set(body, "data", r->data)) {
        json_decref(body);
        return NULL;
    }
    return body;
}

/* XML or CSV (serialise_xml.h, serialise_csv.h) into b. */
static bool serialise_other(response *r, buf *b)
{
    json_t *body = body_value(r);
    bool ok = body && (r->format == FORMAT_XML ? serialise_xml(body, r->schemas, r->schema, r->schema_name, b)
                                               : serialise_csv(body, b));
    json_decref(body);
    if (ok && r->format_type)
        r->content_type = r->format_type;
    return ok;
}

bool response_serialise(response *r)
{
    if (!r->value && !r->data && !r->data_text)
        return true; /* bytes already, or nothing */
    buf b;
    buf_init(&b);
    bool ok = true;
    if (r->format == FORMAT_JSON && r->format_type)
        r->content_type = r->format_type; /* text/json when asked for it */
    if (r->format != FORMAT_JSON) {
        ok = serialise_other(r, &b);
    } else if (r->value) {
        char *text = json_dumps(r->value, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
        ok = text && buf_puts(&b, text);
        free(text);
    } else {
        envelope_head(r, &b);
        /* stored text: the whole answer in one allocation of its size */
        if (r->data_text)
            buf_reserve(&b, r->data_text_len + 1);
        if (r->data) {
            char *text = json_dumps(r->data, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
            ok = text && buf_puts(&b, text);
            free(text);
        } else {
            ok = buf_append(&b, r->data_text, r->data_text_len);
        }
        ok = ok && buf_puts(&b, "}");
    }
    size_t len;
    char *text = ok ? buf_take(&b, &len) : NULL;
    buf_free(&b);
    int status = r->status;
    const char *type = r->content_type;
    drop_answer(r);
    if (!text) {
        fail(r);
        return false;
    }
    r->body = text;
    r->len = len;
    r->status = status;
    r->content_type = type;
    return true;
}
