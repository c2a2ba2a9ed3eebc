/* handler_generic.c — the answer of every operation without a special case:
 * a schema-valid body generated from the operation's 200 response schema.
 *
 * The body is deterministic for a given request path (the path seeds the
 * generator), so repeated GETs agree with each other. Collections honour
 * limit and offset and carry meta.pagingInfo; single items take their UID
 * from the path. File downloads answer plausible bytes of the real content
 * type (the contract normalised them all to application/octet-stream).
 * The stateful store replaces this for the entities it knows.
 *
 * Tenancy still holds for what is generated: an operation under a record
 * the caller does not see (another tenant's backup server, organization...)
 * is a 404 naming it, as a list under it is, so no write under another
 * tenant's record is "accepted" and nothing is invented about it.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "answer/errors.h"
#include "contract/generate.h"
#include "handlers/handlers.h"
#include "base/rng.h"
#include "base/uuid.h"

/* Fixed seed of the generated world; the request path is mixed into it. */
#define WORLD_SEED 0x56535043u /* "VSPC" */

/* Collections generated here hold between these many items. */
#define MIN_ITEMS 2
#define MAX_ITEMS 12

/* A page of the generated collection: items offset..offset+limit-1. */
static json_t *generate_page(const request *req, const json_t *items, uint64_t seed,
                             json_t **meta)
{
    const schema_ctx *ctx = &req->contract->schemas;
    rng r;
    rng_init(&r, seed);
    long total = (long)rng_range(&r, MIN_ITEMS, MAX_ITEMS);
    long offset = request_param_long(req, "offset", 0);
    long limit = request_param_long(req, "limit", 100);
    json_t *page = json_array();
    for (long i = offset; page && i < total && i < offset + limit; i++) {
        json_t *item = generate_value(ctx, items, NULL, rng_mix_u64(seed, (uint64_t)i));
        if (!item || json_array_append_new(page, item)) {
            json_decref(page);
            return NULL;
        }
    }
    *meta = json_pack("{s:{s:I, s:I, s:I}}", "pagingInfo", "total", (json_int_t)total, "count",
                      (json_int_t)json_array_size(page), "offset", (json_int_t)offset);
    return page;
}

/* Gives a generated item the identity its path names: the last path
 * parameter becomes instanceUid, and any path parameter that is also a
 * property (organizationUid, backupServerUid...) keeps its value. */
static void adopt_path_ids(const request *req, json_t *data)
{
    if (!json_is_object(data) || req->route.nparams == 0)
        return;
    for (size_t i = 0; i < req->route.nparams; i++) {
        const char *name = req->route.names[i], *value = req->route.values[i];
        json_t *prop = json_object_get(data, name);
        if (json_is_string(prop) && uuid_valid(value))
            json_object_set_new(data, name, json_string(value));
    }
    const char *last = req->route.values[req->route.nparams - 1];
    if (json_is_string(json_object_get(data, "instanceUid")) && uuid_valid(last))
        json_object_set_new(data, "instanceUid", json_string(last));
}

/* Answers an envelope schema's data (the pipeline builds the envelope);
 * false when it cannot be generated. */
static bool answer_envelope(const request *req, response *res, const json_t *env, uint64_t seed)
{
    const schema_ctx *ctx = &req->contract->schemas;
    /* EmptyResponse makes "errors" required, and nothing else: an empty
     * list says "none" (answer/response.h) */
    size_t i;
    const json_t *name;
    json_array_foreach(json_object_get(env, "required"), i, name)
        if (!strcmp(json_string_value(name), "errors"))
            return response_empty(res);
    const json_t *props = json_object_get(env, "properties");
    const json_t *data_schema = json_object_get(props, "data");
    json_t *meta = NULL, *data;
    const char *type = schema_type(ctx, data_schema);
    if (req->op->paginated && type && !strcmp(type, "array"))
        data = generate_page(req, json_object_get(schema_resolve(ctx, data_schema), "items"), seed,
                             &meta);
    else
        data = generate_value(ctx, data_schema, "data", seed);
    if (!data) {
        json_decref(meta);
        return false;
    }
    adopt_path_ids(req, data);
    const json_t *paging = json_object_get(meta, "pagingInfo");
    bool ok = paging ? response_page(res, data,
                                     (long)json_integer_value(json_object_get(paging, "total")),
                                     (long)json_integer_value(json_object_get(paging, "count")),
                                     (long)json_integer_value(json_object_get(paging, "offset")))
                     : response_data(res, data);
    json_decref(meta);
    return ok;
}

static void answer_download(const request *req, response *res)
{
    const download *d = handlers_download_for(req->op->path);
    if (!d) {
        static const char fallback[] = "vspc-emulator";
        response_bytes(res, 200, CT_OCTET, fallback, sizeof fallback - 1);
        return;
    }
    if (response_bytes(res, 200, d->content_type, d->bytes, strlen(d->bytes)))
        snprintf(res->content_disposition, sizeof res->content_disposition,
                 "attachment; filename=\"%s\"", d->filename);
}

void handle_generic(request *req, response *res)
{
    if (!handlers_parents_seen(req, res))
        return;
    const operation *op = req->op;
    if (op->response_binary) {
        answer_download(req, res);
        return;
    }
    const schema_ctx *ctx = &req->contract->schemas;
    uint64_t seed = rng_mix(WORLD_SEED, req->path);
    const json_t *env = schema_resolve(ctx, op->response_schema);
    if (env && json_object_get(json_object_get(env, "properties"), "data")) {
        if (!answer_envelope(req, res, env, seed))
            error_internal(res, "The response of %s could not be generated.", op->operation_id);
        return;
    }
    json_t *body = env ? generate_value(ctx, op->response_schema, NULL, seed)
                       : json_pack("{s:n}", "data");
    if (!body) {
        error_internal(res, "The response of %s could not be generated.", op->operation_id);
        return;
    }
    response_json(res, 200, body);
}
