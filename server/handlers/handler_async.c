/* handler_async.c — the /asyncActions routes over the stored actions of
 * async/actions.h. Each caller sees only the actions it initiated; any
 * other id is a 404, as if it did not exist.
 *
 *   GET    /asyncActions                 the caller's actions, all of them:
 *                                         the contract declares no paging
 *                                         for it (x-veeam-pagination false,
 *                                         no limit or offset)
 *   GET    /asyncActions/{id}            one
 *   DELETE /asyncActions/{id}            cancels a running one: it will not
 *                                         run (400 once it has finished)
 *   PUT    /asyncActions/{id}/requestData  replaces the request body and
 *                                         query of a running one
 *   GET    /asyncActions/{id}/result     the operation's own answer, status
 *                                         and body, once finished (400 while
 *                                         it runs, and for a canceled one)
 *   DELETE /asyncActions/{id}/result     forgets a finished one
 *   GET    /asyncActions/config          the result retention in seconds
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answer/errors.h"
#include "async/actions.h"
#include "handlers/handlers.h"

/* The caller's action the path names (body and scope, caller decrefs),
 * else NULL with the 404. */
static json_t *my_action(request *req, response *res, json_t **scope)
{
    const char *id = request_path_param(req, "actionId");
    json_t *body = NULL;
    *scope = NULL;
    if (id && store_get(req->app->store, ASYNC_TYPE, id, &body, scope) == STORE_OK) {
        const char *who = json_string_value(json_object_get(*scope, "initiatorUid"));
        if (who && !strcmp(who, req->who.user_uid))
            return body;
        json_decref(body);
        json_decref(*scope);
        *scope = NULL;
    }
    error_not_found(res, "The async action with ID '%s' does not exist.", id ? id : "");
    return NULL;
}

static const char *status_of(const json_t *body)
{
    const char *s = json_string_value(json_object_get(body, "status"));
    return s ? s : "";
}

/* Writes an action back, inside its own transaction with the check that
 * it still runs (the worker may finish it meanwhile): false with res the
 * 400 when it no longer does. */
static bool save_running(request *req, response *res, const char *id, json_t *body,
                         json_t *scope)
{
    store *st = req->app->store;
    json_t *now = NULL, *now_scope = NULL;
    if (!store_begin(st)) {
        error_internal(res, "The async action could not be changed.");
        return false;
    }
    bool running = store_get(st, ASYNC_TYPE, id, &now, &now_scope) == STORE_OK &&
                   !strcmp(status_of(now), "running");
    json_decref(now);
    json_decref(now_scope);
    bool ok = running && store_update_with_scope(st, ASYNC_TYPE, id, body, scope) == STORE_OK &&
              store_commit(st);
    if (!ok) {
        store_rollback(st);
        if (running)
            error_internal(res, "The async action could not be changed.");
        else
            error_bad_parameter(res, "actionId", "The async action '%s' has already finished.",
                                id);
    }
    return ok;
}

void handle_async_list(request *req, response *res)
{
    const entity *e = entities_find(req->contract->entities, ASYNC_TYPE);
    store_filter mine = {1, {"initiatorUid"}, {req->who.user_uid}};
    store_tenant all = {0};
    if (e)
        handlers_list(req, res, e, &mine, &all, req->op->paginated);
    else
        error_internal(res, "The API has no %s records.", ASYNC_TYPE);
}

void handle_async_get(request *req, response *res)
{
    json_t *scope, *body = my_action(req, res, &scope);
    if (body)
        response_data(res, body);
    json_decref(scope);
}

void handle_async_cancel(request *req, response *res)
{
    json_t *scope, *body = my_action(req, res, &scope);
    if (!body)
        return;
    const char *id = request_path_param(req, "actionId");
    json_object_set_new(body, "status", json_string("canceled"));
    json_t *finished = json_integer((json_int_t)time(NULL) * 1000);
    json_object_set_new(scope, "finished", finished);
    if (save_running(req, res, id, body, scope))
        response_empty(res);
    json_decref(body);
    json_decref(scope);
}

void handle_async_request_data(request *req, response *res)
{
    json_t *scope, *body = my_action(req, res, &scope);
    if (!body)
        return;
    const char *id = request_path_param(req, "actionId");
    const json_t *given = req->json_body;
    const json_t *text = json_object_get(given, "requestBody");
    const json_t *query = json_object_get(given, "queryParameters");
    json_t *rq = json_object_get(scope, "request");
    if (text) {
        json_object_set(body, "requestBody", (json_t *)text);
        json_object_set(rq, "body", (json_t *)text);
    }
    if (json_is_object(query)) {
        json_object_set(body, "queryParameters", (json_t *)query);
        json_t *pairs = json_array();
        const char *k;
        json_t *values;
        json_object_foreach((json_t *)query, k, values) {
            size_t i;
            json_t *v;
            json_array_foreach(values, i, v) if (json_is_string(v))
                json_array_append_new(pairs, json_pack("[ss]", k, json_string_value(v)));
        }
        json_object_set_new(rq, "query", pairs);
    }
    if (save_running(req, res, id, body, scope))
        response_data(res, json_incref(body));
    json_decref(body);
    json_decref(scope);
}

void handle_async_result(request *req, response *res)
{
    json_t *scope, *body = my_action(req, res, &scope);
    if (!body)
        return;
    const char *status = status_of(body);
    const json_t *result = json_object_get(scope, "result");
    const char *id = request_path_param(req, "actionId");
    if (!strcmp(status, "running"))
        error_bad_parameter(res, "actionId", "The async action '%s' is still running.", id);
    else if (!result)
        error_bad_parameter(res, "actionId", "The async action '%s' was %s; it has no result.",
                            id, status);
    else {
        const char *ct = json_string_value(json_object_get(result, "contentType"));
        int code = (int)json_integer_value(json_object_get(result, "status"));
        const json_t *text = json_object_get(result, "body");
        const char *b64 = json_string_value(json_object_get(result, "base64"));
        /* the content type must outlive the record: ours are static */
        const char *type = ct && !strncmp(ct, "application/json", 16) ? CT_JSON : CT_OCTET;
        if (json_is_object(text) || json_is_array(text)) {
            response_json(res, code ? code : 200, json_incref((json_t *)text));
        } else if (b64) {
            size_t n = strlen(b64);
            unsigned char *raw = malloc(n / 4 * 3 + 3);
            int len = raw ? EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)n) : -1;
            while (len > 0 && n > 0 && b64[--n] == '=')
                len--; /* EVP_DecodeBlock counts the padding */
            if (len >= 0)
                response_bytes(res, code ? code : 200, type, raw, (size_t)len);
            else
                error_internal(res, "The result of async action '%s' cannot be read.", id);
            free(raw);
        } else {
            const char *t = json_string_value(text);
            response_bytes(res, code ? code : 200, type, t ? t : "", t ? strlen(t) : 0);
        }
    }
    json_decref(body);
    json_decref(scope);
}

void handle_async_clear(request *req, response *res)
{
    json_t *scope, *body = my_action(req, res, &scope);
    if (!body)
        return;
    const char *id = request_path_param(req, "actionId");
    if (!strcmp(status_of(body), "running"))
        error_bad_parameter(res, "actionId", "The async action '%s' is still running.", id);
    else if (store_delete(req->app->store, ASYNC_TYPE, id) != STORE_OK)
        error_internal(res, "The async action '%s' could not be removed.", id);
    else
        response_empty(res);
    json_decref(body);
    json_decref(scope);
}

void handle_async_config(request *req, response *res)
{
    long seconds = req->app->async ? async_retention_seconds(req->app->async) : 300;
    response_data(res, json_pack("{s:I}", "resultRetentionTime", (json_int_t)seconds));
}
