/* actions.c — see actions.h. */
#include "async/actions.h"

#include <errno.h>
#include <limits.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "answer/errors.h"
#include "base/log.h"
#include "base/name_list.h"
#include "base/uuid.h"
#include "tenancy/owners.h"

#define DUE_BATCH 32

struct async_actions {
    const app *app;
    store *st;
    const durations *d;
    async_settings s;
    char *forced;           /* owned copy of s.forced */
    async_runner run;
    pthread_t thread;
    bool started;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;              /* guarded by lock */
    long long next_due;     /* ms since the epoch, LLONG_MAX: none (lock) */
    long long next_expiry;  /* when expired results are next looked for */
};

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

bool async_forced(const async_settings *s, const char *operation_id)
{
    return name_list_has(s->forced, operation_id);
}

long async_retention_seconds(const async_actions *aa) { return aa->s.result_ttl_ms / 1000; }

/* --- records ------------------------------------------------------------- */

/* Writes body and scope of action uid back, its owner columns kept. */
static bool save(async_actions *aa, const char *uid, const json_t *body, const json_t *scope)
{
    return store_update_with_scope(aa->st, ASYNC_TYPE, uid, body, scope) == STORE_OK;
}

/* The earliest due time of a running action, LLONG_MAX when none. */
static long long earliest_due(async_actions *aa)
{
    json_t *rows = NULL;
    json_t *args = json_pack("[s]", ASYNC_TYPE);
    long long due = LLONG_MAX;
    if (args && store_exec(aa->st,
                           "SELECT min(json_extract(scope, '$.due')) FROM records WHERE type = ?"
                           " AND json_extract(body, '$.status') = 'running'",
                           args, 1, &rows, NULL) == STORE_OK) {
        const json_t *v = json_array_get(json_array_get(rows, 0), 0);
        if (json_is_integer(v))
            due = json_integer_value(v);
    }
    json_decref(args);
    json_decref(rows);
    return due;
}

static void wake_for(async_actions *aa, long long due)
{
    pthread_mutex_lock(&aa->lock);
    if (due < aa->next_due) {
        aa->next_due = due;
        pthread_cond_signal(&aa->wake);
    }
    pthread_mutex_unlock(&aa->lock);
}

void async_rescan(async_actions *aa)
{
    if (aa)
        wake_for(aa, earliest_due(aa));
}

/* --- running an action --------------------------------------------------- */

/* The principal kept with the action. */
static json_t *principal_json(const principal *p)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:b}", "userUid", p->user_uid,
                     "userName", p->user_name, "role", p->role, "organizationUid", p->org_uid,
                     "impersonator", p->impersonator, "loginId", (json_int_t)p->login_id,
                     "readOnly", p->read_only, "apiKey", p->api_key);
}

static void copy_text(char *dst, size_t len, const json_t *v)
{
    snprintf(dst, len, "%s", json_string_value(v) ? json_string_value(v) : "");
}

static void principal_from(const json_t *j, principal *p)
{
    memset(p, 0, sizeof *p);
    p->known = true;
    copy_text(p->user_uid, sizeof p->user_uid, json_object_get(j, "userUid"));
    copy_text(p->user_name, sizeof p->user_name, json_object_get(j, "userName"));
    copy_text(p->role, sizeof p->role, json_object_get(j, "role"));
    copy_text(p->org_uid, sizeof p->org_uid, json_object_get(j, "organizationUid"));
    copy_text(p->impersonator, sizeof p->impersonator, json_object_get(j, "impersonator"));
    p->login_id = (long)json_integer_value(json_object_get(j, "loginId"));
    p->read_only = json_is_true(json_object_get(j, "readOnly"));
    p->api_key = json_is_true(json_object_get(j, "apiKey"));
}

/* The answer's bytes as kept: text when it is UTF-8, else base64. */
static json_t *result_json(const response *res)
{
    json_t *text = json_stringn(res->body ? res->body : "", res->len);
    json_t *out = json_pack("{s:i, s:s}", "status", res->status, "contentType",
                            res->content_type ? res->content_type : CT_JSON);
    if (!out) {
        json_decref(text);
        return NULL;
    }
    if (text) {
        json_object_set_new(out, "body", text);
        return out;
    }
    size_t n = 4 * ((res->len + 2) / 3) + 1;
    unsigned char *b64 = malloc(n);
    if (b64) {
        EVP_EncodeBlock(b64, (const unsigned char *)res->body, (int)res->len);
        json_object_set_new(out, "base64", json_string((const char *)b64));
    }
    free(b64);
    return out;
}

/* Runs the kept request of an action as its initiator; res receives the
 * serialised answer. */
static void run_request(async_actions *aa, const json_t *scope, response *res)
{
    const json_t *rq = json_object_get(scope, "request");
    const json_t *query = json_object_get(rq, "query");
    size_t nq = json_array_size(query);
    kv *q = calloc(nq + 1, sizeof *q);
    kv headers[3];
    size_t nh = 0;
    const char *version = json_string_value(json_object_get(rq, "version"));
    const char *ctype = json_string_value(json_object_get(rq, "contentType"));
    if (version)
        headers[nh++] = (kv){"X-Client-Version", version};
    if (ctype)
        headers[nh++] = (kv){"Content-Type", ctype};
    for (size_t i = 0; q && i < nq; i++)
        q[i] = (kv){json_string_value(json_array_get(json_array_get(query, i), 0)),
                    json_string_value(json_array_get(json_array_get(query, i), 1))};
    const char *method = json_string_value(json_object_get(rq, "method"));
    const char *body = json_string_value(json_object_get(rq, "body"));
    request req = {.app = aa->app,
                   .method_text = method ? method : "",
                   .method = http_method_parse(method ? method : ""),
                   .path = json_string_value(json_object_get(rq, "path")),
                   .query = q,
                   .nquery = q ? nq : 0,
                   .headers = headers,
                   .nheaders = nh,
                   .body = body,
                   .body_len = body ? strlen(body) : 0};
    principal_from(json_object_get(scope, "principal"), &req.who);
    if (req.path)
        aa->run(&req, res);
    else
        error_internal(res, "The async action has no request to run.");
    if (!res->body && !res->len)
        response_serialise(res);
    request_clear(&req);
    free(q);
}

/* Finishes action uid if it is still running: its operation and its new
 * status in one transaction. */
static void finish(async_actions *aa, const char *uid)
{
    json_t *body = NULL, *scope = NULL;
    if (!store_begin(aa->st))
        return;
    if (store_get(aa->st, ASYNC_TYPE, uid, &body, &scope) != STORE_OK ||
        !json_string_value(json_object_get(body, "status")) ||
        strcmp(json_string_value(json_object_get(body, "status")), "running")) {
        store_rollback(aa->st); /* canceled, or cleared meanwhile */
        json_decref(body);
        json_decref(scope);
        return;
    }
    response res;
    response_init(&res);
    run_request(aa, scope, &res);
    bool ok_answer = res.status >= 200 && res.status < 400;
    json_object_set_new(body, "status", json_string(ok_answer ? "succeed" : "failed"));
    json_object_set_new(scope, "result", result_json(&res));
    json_object_set_new(scope, "finished", json_integer(now_ms()));
    bool ok = save(aa, uid, body, scope) && store_commit(aa->st);
    if (!ok) {
        store_rollback(aa->st);
        log_error("async: action %s could not be finished", uid);
    } else {
        log_info("async: action %s (%s) %s with %d", uid,
                 json_string_value(json_object_get(body, "actionName")),
                 ok_answer ? "succeeded" : "failed", res.status);
    }
    response_clear(&res);
    json_decref(body);
    json_decref(scope);
}

/* Runs every due action. */
static void run_due(async_actions *aa)
{
    json_t *rows = NULL;
    json_t *args = json_pack("[sI]", ASYNC_TYPE, (json_int_t)now_ms());
    if (args && store_exec(aa->st,
                           "SELECT uid FROM records WHERE type = ?"
                           " AND json_extract(body, '$.status') = 'running'"
                           " AND json_extract(scope, '$.due') <= ?"
                           " ORDER BY json_extract(scope, '$.due'), seq",
                           args, DUE_BATCH, &rows, NULL) == STORE_OK) {
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row) finish(aa, json_string_value(json_array_get(row, 0)));
    }
    json_decref(args);
    json_decref(rows);
}

/* Forgets finished actions past their expiration time. */
static void expire(async_actions *aa)
{
    long long now = now_ms();
    json_t *args = json_pack("[sII]", ASYNC_TYPE, (json_int_t)(now - aa->s.result_ttl_ms),
                             (json_int_t)(now - aa->s.failure_ttl_ms));
    long gone = 0;
    if (args && store_exec(aa->st,
                           "DELETE FROM records WHERE type = ?1"
                           " AND json_extract(body, '$.status') != 'running'"
                           " AND json_extract(scope, '$.finished') <= CASE"
                           " json_extract(body, '$.status') WHEN 'succeed' THEN ?2 ELSE ?3 END",
                           args, 0, NULL, &gone) != STORE_OK)
        log_error("async: expired actions could not be removed");
    else if (gone > 0)
        log_debug("async: %ld expired actions forgotten", gone);
    json_decref(args);
}

static void *worker(void *arg)
{
    async_actions *aa = arg;
    pthread_mutex_lock(&aa->lock);
    while (!aa->stop) {
        long long now = now_ms();
        if (aa->next_due <= now || aa->next_expiry <= now) {
            pthread_mutex_unlock(&aa->lock);
            if (aa->next_expiry <= now) {
                expire(aa);
                aa->next_expiry = now + aa->s.timer_ms;
            }
            run_due(aa);
            long long due = earliest_due(aa);
            pthread_mutex_lock(&aa->lock);
            aa->next_due = due; /* a registration meanwhile signalled or lowers it */
            continue;
        }
        long long until = aa->next_due < aa->next_expiry ? aa->next_due : aa->next_expiry;
        struct timespec ts = {.tv_sec = (time_t)(until / 1000),
                              .tv_nsec = (long)(until % 1000) * 1000000};
        pthread_cond_timedwait(&aa->wake, &aa->lock, &ts);
    }
    pthread_mutex_unlock(&aa->lock);
    return NULL;
}

/* Actions an earlier run left running were never applied: failed. */
static bool fail_interrupted(async_actions *aa)
{
    json_t *args = json_pack("[sI]", ASYNC_TYPE, (json_int_t)now_ms());
    long n = 0;
    bool ok = args && store_exec(aa->st,
                                 "UPDATE records SET body = json_set(body, '$.status', 'failed'),"
                                 " scope = json_set(scope, '$.finished', ?2, '$.result',"
                                 " json_object('status', 500, 'contentType',"
                                 " 'application/json; charset=utf-8', 'body', json_object("
                                 "'errors', json_array(json_object('message', 'The server"
                                 " stopped before the action finished; nothing of it was"
                                 " applied.', 'type', 'logical', 'code', 500)))))"
                                 " WHERE type = ?1 AND json_extract(body, '$.status') = 'running'",
                                 args, 0, NULL, &n) == STORE_OK;
    json_decref(args);
    if (n > 0)
        log_info("async: %ld actions interrupted by the last stop marked failed", n);
    return ok;
}

async_actions *async_open(const app *a, const durations *d, const async_settings *s,
                          async_runner run, char *err, size_t errlen)
{
    async_actions *aa = calloc(1, sizeof *aa);
    if (!aa) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    aa->app = a;
    aa->st = a->store;
    aa->d = d;
    aa->s = *s;
    aa->forced = s->forced ? strdup(s->forced) : NULL;
    aa->s.forced = aa->forced;
    if (aa->s.timer_ms <= 0)
        aa->s.timer_ms = 60000;
    aa->run = run;
    aa->next_due = LLONG_MAX;
    aa->next_expiry = now_ms() + aa->s.timer_ms;
    pthread_mutex_init(&aa->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_cond_init(&aa->wake, &attr);
    pthread_condattr_destroy(&attr);
    if (!fail_interrupted(aa)) {
        snprintf(err, errlen, "async actions: the interrupted ones could not be failed");
        async_close(aa);
        return NULL;
    }
    int rc = pthread_create(&aa->thread, NULL, worker, aa);
    if (rc) {
        snprintf(err, errlen, "async actions: no worker thread: %s", strerror(rc));
        async_close(aa);
        return NULL;
    }
    aa->started = true;
    return aa;
}

void async_close(async_actions *aa)
{
    if (!aa)
        return;
    if (aa->started) {
        pthread_mutex_lock(&aa->lock);
        aa->stop = true;
        pthread_cond_signal(&aa->wake);
        pthread_mutex_unlock(&aa->lock);
        pthread_join(aa->thread, NULL);
    }
    pthread_cond_destroy(&aa->wake);
    pthread_mutex_destroy(&aa->lock);
    free(aa->forced);
    free(aa);
}

/* --- taking a request ---------------------------------------------------- */

/* {name: [values]} of the request's query, as AsyncActionInfo shows it. */
static json_t *query_parameters(const request *req)
{
    json_t *out = json_object();
    for (size_t i = 0; out && i < req->nquery; i++) {
        const char *k = req->query[i].key, *v = req->query[i].value;
        if (!k)
            continue;
        json_t *list = json_object_get(out, k);
        if (!list) {
            list = json_array();
            json_object_set_new(out, k, list);
        }
        json_array_append_new(list, json_string(v ? v : ""));
    }
    return out;
}

static json_t *query_pairs(const request *req)
{
    json_t *out = json_array();
    for (size_t i = 0; out && i < req->nquery; i++)
        if (req->query[i].key)
            json_array_append_new(out, json_pack("[ss]", req->query[i].key,
                                                 req->query[i].value ? req->query[i].value : ""));
    return out;
}

static void answer_accepted(response *res, const char *uid, json_t *body)
{
    response_data(res, body);
    res->status = 202;
    snprintf(res->location, sizeof res->location, "%s%s", ASYNC_PATH, uid);
}

/* The action x-request-id names, when the same request made it (answered
 * again: true with the 202), or another one (true with the 409); false
 * when there is none. */
static bool replayed(async_actions *aa, request *req, const char *uid, response *res)
{
    json_t *body = NULL, *scope = NULL;
    if (store_get(aa->st, ASYNC_TYPE, uid, &body, &scope) != STORE_OK)
        return false;
    const json_t *rq = json_object_get(scope, "request");
    const char *method = json_string_value(json_object_get(rq, "method"));
    const char *path = json_string_value(json_object_get(rq, "path"));
    const char *who = json_string_value(json_object_get(scope, "initiatorUid"));
    if (method && path && who && !strcmp(method, req->method_text) &&
        !strcmp(path, req->path) && !strcmp(who, req->who.user_uid)) {
        answer_accepted(res, uid, body); /* the operation runs once */
    } else {
        json_decref(body);
        error_bad_parameter(res, "x-request-id",
                            "The x-request-id '%s' is the id of another request's async action.",
                            uid);
    }
    json_decref(scope);
    return true;
}

bool async_take(async_actions *aa, request *req, response *res)
{
    const operation *op = req->op;
    bool faulted = req->fault.kind == FAULT_ASYNC; /* a fault rule forces it */
    if (!aa || !op || (!faulted && !durations_async_capable(aa->d, op)))
        return false;
    double seconds = durations_of(aa->d, op);
    bool forced = faulted || async_forced(&aa->s, op->operation_id);
    if (!forced && !(seconds > 0 && seconds > aa->s.after_seconds))
        return false;
    char uid[UUID_STR_LEN];
    const char *given = request_header(req, "x-request-id");
    if (given && strlen(given) < sizeof uid) {
        snprintf(uid, sizeof uid, "%s", given);
        for (char *p = uid; *p; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
        if (replayed(aa, req, uid, res))
            return true;
    } else if (!uuid_random(uid)) {
        error_internal(res, "No UID for the async action.");
        return true;
    }
    long long due = now_ms() + (long long)(seconds * 1000);
    const char *version = request_header(req, "X-Client-Version");
    const char *ctype = request_header(req, "Content-Type");
    json_t *text = req->body && req->body_len ? json_stringn(req->body, req->body_len) : NULL;
    json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "id", uid, "initiatorUid",
                             req->who.user_uid, "actionName", op->operation_id, "status",
                             "running", "queryParameters", query_parameters(req), "requestBody",
                             text ? json_incref(text) : json_null());
    json_t *scope = json_pack("{s:s, s:{s:s, s:s, s:o, s:o, s:o, s:o}, s:o, s:I}", "initiatorUid",
                              req->who.user_uid, "request", "method", req->method_text, "path",
                              req->path, "query", query_pairs(req), "version",
                              version ? json_string(version) : json_null(), "contentType",
                              ctype ? json_string(ctype) : json_null(), "body",
                              text ? text : json_null(), "principal",
                              principal_json(&req->who), "due", (json_int_t)due);
    store_record rec = {.type = ASYNC_TYPE, .uid = uid, .scope = scope, .body = body};
    store_status st = body && scope ? store_put(aa->st, &rec, false) : STORE_ERROR;
    if (st == STORE_OK &&
        !owners_derive_one(aa->st, aa->app->owners, ASYNC_TYPE, uid))
        log_error("async: the owner of action %s could not be derived", uid);
    json_decref(scope);
    if (st == STORE_CONFLICT) { /* the same x-request-id at the same moment */
        json_decref(body);
        if (!replayed(aa, req, uid, res))
            error_internal(res, "The async action could not be registered.");
        return true;
    }
    if (st != STORE_OK) {
        json_decref(body);
        error_internal(res, "The async action could not be registered.");
        return true;
    }
    log_info("async: %s %s accepted as action %s, due in %.1f s", req->method_text, req->path,
             uid, seconds);
    answer_accepted(res, uid, body);
    wake_for(aa, due);
    return true;
}
