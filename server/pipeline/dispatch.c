/* dispatch.c — see dispatch.h. */
#include "pipeline/dispatch.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "answer/errors.h"
#include "async/actions.h"
#include "base/rng.h"
#include "contract/conform.h"
#include "request/form.h"
#include "admin/admin.h"
#include "proxy/proxy.h"
#include "handlers/handlers.h"
#include "journal/journal.h"
#include "metrics/metrics.h"
#include "pipeline/negotiate.h"
#include "swagger/swagger.h"
#include "base/log.h"
#include "request/select.h"
#include "base/uuid.h"

/* Step 2: the contract document for X-Client-Version. */
static bool pick_contract(request *req, response *res)
{
    const contract_set *set = &req->app->contracts;
    const char *version = request_header(req, "X-Client-Version");
    req->contract = contract_set_find(set, version);
    if (req->contract)
        return true;
    char known[256]; /* every version served, 3.5 included (contract.h) */
    contract_set_versions_text(set, known, sizeof known);
    error_bad_parameter(res, "X-Client-Version",
                        "API version '%s' is not supported. Supported versions: %s.", version,
                        known);
    return false;
}

/* Step 3: the operation. */
static bool find_operation(request *req, response *res, const char *api_path)
{
    route_status st = router_match(req->contract->routes, req->method, api_path, &req->route);
    if (st == ROUTE_FOUND) {
        req->op = req->route.payload;
        return true;
    }
    if (st == ROUTE_METHOD_NOT_ALLOWED) {
        router_allowed_text(req->route.allowed, res->allow, sizeof res->allow);
        error_answer(res, E_METHOD_NOT_ALLOWED, NULL,
                     "The %s method is not allowed for the resource '%s'. Allowed: %s.",
                     req->method_text, req->path, res->allow);
        return false;
    }
    error_not_found(res, "The resource '%s' does not exist.", req->path);
    return false;
}

/* The media type of a Content-Type value, without parameters. */
static void media_type(const char *content_type, char *out, size_t len)
{
    size_t n = 0;
    const char *p = content_type ? content_type : "";
    while (*p == ' ')
        p++;
    while (*p && *p != ';' && *p != ' ' && n + 1 < len)
        out[n++] = *p++;
    out[n] = 0;
}

/* Whether `media` is accepted for a body of kind `kind`. */
static bool media_accepted(body_kind kind, const char *declared, const char *media)
{
    if (!strcasecmp(media, declared))
        return true;
    if (kind != BODY_JSON)
        return false;
    /* ASP.NET's JSON input formatter also takes these */
    size_t len = strlen(media);
    return !strcasecmp(media, "text/json") ||
           (!strncasecmp(media, "application/", 12) && len > 17 &&
            !strcasecmp(media + len - 5, "+json"));
}

/* Step 6 for JSON bodies: syntax then schema. */
static bool check_json_body(request *req, response *res)
{
    json_error_t jerr;
    req->json_body = json_loadb(req->body, req->body_len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    if (!req->json_body) {
        error_answer(res, E_BAD_REQUEST, NULL,
                     "The request body is not valid JSON: %s (line %d, column %d).", jerr.text,
                     jerr.line, jerr.column);
        return false;
    }
    return true;
}

/* Step 6 for form bodies: fields, typed by the body schema. */
static bool check_form_body(request *req, response *res, const char *content_type)
{
    char why[256], prop[128];
    req->json_body = req->op->body == BODY_FORM
                         ? form_parse_urlencoded(req->body, req->body_len, prop, sizeof prop, why,
                                                 sizeof why)
                         : form_parse_multipart(content_type, req->body, req->body_len, prop,
                                                sizeof prop, why, sizeof why);
    if (!req->json_body) {
        if (prop[0])
            error_bad_property(res, prop, "%s", why);
        else
            error_answer(res, E_BAD_REQUEST, NULL, "%s", why);
        return false;
    }
    if (!params_coerce_object(&req->contract->schemas, req->op->body_schema, req->json_body,
                              prop, sizeof prop, why, sizeof why)) {
        error_bad_property(res, prop, "%s", why);
        return false;
    }
    return true;
}

/* JSON Patch bodies, as VSPC takes them: one bare operation stands for a
 * list of one (the REST overview's own example), and `value` may be any
 * JSON although the contract types it as a string (and required even where
 * RFC 6902 has none: remove, move, copy). Returns the value to
 * validate against the contract: values rendered as their JSON text. */
static json_t *patch_for_validation(request *req)
{
    const json_t *items = json_object_get(schema_resolve(&req->contract->schemas, req->op->body_schema), "items");
    const char *name = schema_ref_name(items);
    if (!name || strcmp(name, "JsonPatch"))
        return json_incref(req->json_body);
    if (json_is_object(req->json_body)) {
        json_t *list = json_array();
        json_array_append_new(list, req->json_body);
        req->json_body = list;
    }
    json_t *copy = json_deep_copy(req->json_body);
    size_t i;
    json_t *op;
    json_array_foreach(copy, i, op) {
        json_t *value = json_object_get(op, "value");
        const char *name = json_string_value(json_object_get(op, "op"));
        if (!value && name && (!strcasecmp(name, "remove") || !strcasecmp(name, "move") ||
                               !strcasecmp(name, "copy")))
            json_object_set_new(op, "value", json_string("")); /* these need none */
        else if (value && !json_is_string(value) && !json_is_null(value)) {
            char *text = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
            json_object_set_new(op, "value", json_string(text ? text : ""));
            free(text);
        }
    }
    return copy;
}

/* Step 6: the request body. */
static bool check_body(request *req, response *res)
{
    const operation *op = req->op;
    if (op->body == BODY_NONE)
        return true; /* VSPC ignores a body it does not expect */
    const char *content_type = request_header(req, "Content-Type");
    char media[128];
    media_type(content_type, media, sizeof media);
    if (!media_accepted(op->body, op->body_media_type, media)) {
        error_answer(res, E_MEDIA_TYPE, NULL,
                     "The content type '%s' is not supported by this operation; use %s.",
                     media[0] ? media : "(none)", op->body_media_type);
        return false;
    }
    if (req->body_len == 0) {
        if (!op->body_required)
            return true;
        error_answer(res, E_BAD_REQUEST, NULL,
                     "A non-empty request body is required.");
        return false;
    }
    if (op->body == BODY_BINARY)
        return true;
    if (!(op->body == BODY_JSON ? check_json_body(req, res)
                                : check_form_body(req, res, content_type)))
        return false;
    schema_error serr;
    json_t *checked = op->method == HTTP_PATCH ? patch_for_validation(req) : json_incref(req->json_body);
    bool valid = schema_validate(&req->contract->schemas, op->body_schema, checked, &serr);
    json_decref(checked);
    if (!valid) {
        if (serr.path[0])
            error_bad_property(res, serr.path, "%s", serr.message);
        else
            error_answer(res, E_BAD_REQUEST, NULL,
                         "The request body is not valid: %s", serr.message);
        return false;
    }
    return true;
}

/* Step 5b: select=[{"propertyPath":...}] on GETs, checked before the
 * handler runs. */
static bool check_select(request *req, response *res)
{
    const char *text = request_query(req, "select");
    const json_t *schema = text && req->method == HTTP_GET ? request_item_schema(req) : NULL;
    char why[512];
    if (schema && !select_parse(&req->contract->schemas, schema, text, &req->select, why, sizeof why)) {
        error_bad_parameter(res, "select", "%s", why);
        return false;
    }
    return true;
}

/* Step 5c: a UUID in a path matches ignoring case, as literal segments do:
 * handlers and the store see path UUIDs in lower case, the case records keep. */
static void lower_path_uuids(request *req)
{
    for (size_t i = 0; i < req->route.nparams; i++) {
        const json_t *typed = json_object_get(req->params, req->route.names[i]);
        const char *text = json_string_value(typed);
        char *value = (char *)req->route.values[i]; /* points into req->route.buf */
        if (text && uuid_valid(value) && !strcasecmp(text, value))
            for (char *p = value; *p; p++)
                *p = (char)tolower((unsigned char)*p);
    }
}

/* --- the stages, in the order of the table below ------------------------ */

/* route: the path must lie under /api/v3; X-Client-Version picks the
 * contract document; the route index finds the operation. */
static bool stage_route(request *req, response *res)
{
    size_t plen = strlen(API_PREFIX);
    const char *api_path = req->path + plen;
    if (strncasecmp(req->path, API_PREFIX, plen) || (*api_path != '/' && *api_path)) {
        error_not_found(res, "The resource '%s' does not exist.", req->path);
        return false;
    }
    if (!*api_path)
        api_path = "/";
    return pick_contract(req, res) && find_operation(req, res, api_path);
}

/* fault: the fault rules of the admin API (faults/faults.h), right after
 * route so that rules can name the operationId, and before authenticate:
 * an outage, a slow or a dropped route hits every client of the route, a
 * bad token too, as a proxy or an overloaded server in front of VSPC
 * would. A rule naming a user matches only a caller whose credential
 * passes (looked at here without refusing; authenticate answers it).
 * status and throttle answer now and nothing is done; drop "before" ends
 * the request unanswered; async is taken by the async stage (a request
 * refused before it is not accepted); latency, truncate and drop "after"
 * are the transport's, once the answer is made (http/http_delay.h). */
static bool stage_fault(request *req, response *res)
{
    faults *f = req->app->faults;
    fault_request q = {req->method_text, req->path, req->op->operation_id, NULL};
    principal peek; /* filled by auth_authenticate when it passes */
    if (faults_want_user(f) && !req->op->handler->anonymous &&
        auth_authenticate(req->app->auth, request_header(req, "Authorization"), req->method_text,
                          &peek) == AUTH_OK)
        q.user = peek.user_name;
    fault_hit *hit = &req->fault;
    if (!faults_draw(f, &q, hit))
        return true;
    log_debug("fault: rule %ld applies to %s %s", hit->rule_id, req->method_text, req->path);
    switch (hit->kind) {
    case FAULT_STATUS:
        if (hit->message[0])
            error_injected(res, hit->status, "%s", hit->message);
        else
            error_injected(res, hit->status, "The fault rule %ld of the emulator answers %d.",
                           hit->rule_id, hit->status);
        return false;
    case FAULT_THROTTLE:
        error_throttled(res, hit->retry_after, "%s",
                        hit->message[0] ? hit->message
                                        : "Too many requests (a fault rule of the emulator).");
        return false;
    case FAULT_DROP:
        return hit->after; /* before: nothing is done, nothing answered */
    default:
        return true;
    }
}

/* authenticate: credentials before anything about the request itself, as
 * ASP.NET's authorization runs before model binding. */
static bool stage_authenticate(request *req, response *res)
{
    if (req->op->handler->anonymous)
        return true;
    switch (auth_authenticate(req->app->auth, request_header(req, "Authorization"),
                              req->method_text, &req->who)) {
    case AUTH_OK:
        return true;
    case AUTH_READ_ONLY:
        error_answer(res, E_READ_ONLY, NULL, NULL);
        return false;
    default:
        error_answer(res, E_UNAUTHORIZED, NULL, NULL);
        return false;
    }
}

/* admit: the caller's role may call this operation (tenancy/admission.h;
 * 403 otherwise), and what of the records it may see (its scope, used by
 * the handlers' queries). Before validation: a role that may not call an
 * operation learns nothing about its parameters. */
static bool stage_admit(request *req, response *res)
{
    if (req->op->handler->anonymous)
        return true;
    if (!admission_allows(req->app->admission, req->who.role, req->op)) {
        error_answer(res, E_FORBIDDEN, NULL,
                     "The %s role is not allowed to perform the %s operation.", req->who.role,
                     req->op->operation_id);
        return false;
    }
    if (!scope_of(req->app->store, req->app->owners, &req->who, &req->scope)) {
        error_internal(res, "The scope of the caller could not be read.");
        return false;
    }
    return true;
}

/* throttle: VSPC's request limits (throttle/throttle.h) for the groups of
 * the caller — all requests, its address, its user, its user at that
 * address; over one of them a 429 that did nothing. After admit, so that
 * the user is known (an anonymous operation counts by address); before
 * validate, so that a throttled request costs no parsing. The places it
 * takes are given back by dispatch_finished. */
static bool stage_throttle(request *req, response *res)
{
    throttle *t = req->app->throttle;
    if (!t)
        return true;
    throttle_verdict v = throttle_enter(t, req->who.known ? req->who.user_uid : NULL,
                                        req->client_addr, throttle_now_ms(), &req->held);
    if (v.allowed)
        return true;
    const char *group = throttle_group_name(v.group);
    if (v.parallel)
        error_answer(res, E_THROTTLED, NULL,
                     "Too many requests in process at once for the %s group: at most %ld.",
                     group, v.limit);
    else
        error_throttled(res, v.retry_after,
                        "Too many requests for the %s group: at most %ld every %.3g s. "
                        "Retry after %ld s.",
                        group, v.limit, (double)v.unit_ms / 1000, v.retry_after);
    return false;
}

/* validate: the body's size, then parameters, the body and select, all
 * against the contract. */
static bool stage_validate(request *req, response *res)
{
    if (req->body_too_large) {
        error_answer(res, E_BODY_TOO_LARGE, NULL,
                     "The request body is larger than %ld bytes.", req->app->cfg.max_body);
        return false;
    }
    param_input in = {req->query, req->nquery, req->headers, req->nheaders, &req->route,
                      req->app->cfg.max_page_size};
    if (!params_parse(req->op, &in, &req->params, res) || !check_body(req, res) ||
        !check_select(req, res))
        return false;
    lower_path_uuids(req);
    return true;
}

/* async: an operation VSPC takes longer to answer than the wait threshold
 * (contract/durations.h, --async-after) is accepted as an async action
 * and run later (async/actions.h): 202 and its Location. After validate:
 * a bad request is refused at once, never accepted. */
static bool stage_async(request *req, response *res)
{
    return !async_take(req->app->async, req, res);
}

/* handle: the operation's handler (handlers/handlers.h) answers. */
static bool stage_handle(request *req, response *res)
{
    req->op->handler->fn(req, res);
    return true;
}

/* The stages a request goes through until one answers. Adding a stage is
 * one row here, and one line in dispatch.h's map. */
static const struct {
    const char *name;
    bool (*run)(request *req, response *res); /* false: it has answered */
    bool deferred; /* also runs for an async action's request, later */
} stages[] = {
    {"route", stage_route, true},
    {"fault", stage_fault, false},               /* drawn once, when it came */
    {"authenticate", stage_authenticate, false}, /* the initiator was */
    {"admit", stage_admit, true},                /* it may have lost the right */
    {"throttle", stage_throttle, false},          /* it was counted once */
    {"validate", stage_validate, true},
    {"negotiate", negotiate_stage, false},       /* it was accepted once */
    {"async", stage_async, false},
    {"handle", stage_handle, true},
};

#define N_STAGES (sizeof stages / sizeof stages[0])

/* Seeds what is filled in for an older client: by the resource's own UID
 * where it has one, so that a record reads the same in a list and alone. */
#define SHAPE_SEED 0x56535043u /* "VSPC" */

static uint64_t seed_of(const json_t *item, uint64_t fallback)
{
    const char *uid = json_string_value(json_object_get(item, "instanceUid"));
    return uid ? rng_mix(SHAPE_SEED, uid) : fallback;
}

/* shape, for a client of an older version: the answer's data, in the
 * newest version's shape as records are kept, in the shape of the
 * client's version (contract/conform.h: nulls it cannot read, members it
 * lacks, renamed or retyped ones). The newest version's contract has no
 * table of differences: its clients skip this altogether. */
static void shape_version(request *req, response *res)
{
    const differences *d = contract_differences(req->contract);
    if (!d || res->status != 200)
        return;
    if (res->value) { /* a whole body: an OAuth result, an EmptyResponse */
        res->value = conform_to_version(d, req->op->response_schema, res->value,
                                        rng_mix(SHAPE_SEED, req->path));
        return;
    }
    if (!res->data && !res->data_text)
        return;
    bool is_array = false;
    const json_t *schema = operation_data_schema(req->op, &is_array);
    if (!schema || !response_parse_data(res))
        return;
    uint64_t seed = rng_mix(SHAPE_SEED, req->path);
    if (!is_array || !json_is_array(res->data)) {
        res->data = conform_to_version(d, schema, res->data, seed_of(res->data, seed));
        return;
    }
    size_t i;
    json_t *item;
    json_array_foreach(res->data, i, item) {
        json_t *shaped = conform_to_version(d, schema, json_incref(item),
                                            seed_of(item, rng_mix_u64(seed, i)));
        if (shaped != item)
            json_array_set_new(res->data, i, shaped);
        else
            json_decref(shaped);
    }
}

/* shape: the answer in the client's version; then only the selected
 * properties of each resource (select names the version's properties);
 * a refused request of an OAuth operation in the OAuth 2.0 error shape. */
static void shape(request *req, response *res, const char *refused_by)
{
    if (refused_by && !strcmp(refused_by, "validate") && req->op->handler->oauth_errors &&
        res->status == 400) {
        error_to_oauth(res, json_object_get(req->json_body, "grant_type") != NULL);
        return;
    }
    shape_version(req, res);
    if (!req->select || res->status != 200 || !res->data)
        return;
    json_t *data = res->data;
    if (json_is_array(data)) {
        size_t i;
        json_t *item;
        json_array_foreach(data, i, item) json_array_set_new(data, i, select_apply(req->select, item));
    } else {
        res->data = select_apply(req->select, data);
        json_decref(data);
    }
}

static void run_stages(request *req, response *res, bool deferred)
{
    const char *refused_by = NULL;
    for (size_t i = 0; i < N_STAGES && !refused_by; i++)
        if ((!deferred || stages[i].deferred) && !stages[i].run(req, res))
            refused_by = stages[i].name;
    if (req->op)
        shape(req, res, refused_by);
    negotiate_format(req, res);
    response_serialise(res);
}

/* A proxied request (proxy/proxy.h): authenticated, admitted and
 * throttled as a call of the operation schema/proxy.json names, then
 * forwarded; its answer is the product's, neither shaped nor validated. */
static void run_proxy(request *req, response *res)
{
    req->contract = req->app->contracts.latest;
    req->op = contract_find_op(req->contract, proxy_operation(req->app->proxy));
    if (!req->op)
        error_internal(res, "The operation that proxied requests are admitted as is unknown.");
    else if (stage_authenticate(req, res) && stage_admit(req, res) && stage_throttle(req, res))
        proxy_answer(req, res);
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* record: once the answer is serialised, the metrics' counters and the
 * journal's entry (journal/journal.h: secrets redacted there). The time is
 * the pipeline's, from the request's arrival in dispatch to its bytes;
 * sending them is the transport's. */
static void record(request *req, response *res, const struct timespec *t0)
{
    const app *a = req->app;
    double ms = ms_since(t0);
    metrics_record(a->metrics, req, res, ms);
    if (journal_wants(a->journal, req->path))
        journal_record(a->journal, req, res, ms);
}

void dispatch(request *req, response *res)
{
    if (admin_is_path(req->path)) { /* the emulator's own API, not VSPC's pipeline */
        admin_dispatch(req, res);
        response_serialise(res);
        return;
    }
    if (swagger_is_path(req->path)) { /* Swagger UI's files, VSPC's place for them */
        swagger_dispatch(req, res);
        response_serialise(res);
        return;
    }
    if (metrics_is_path(req->path)) { /* what Prometheus scrapes: no VSPC path either */
        metrics_answer(req, res);
        response_serialise(res);
        return;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    metrics_enter(req->app->metrics);
    if (proxy_is_path(req->path)) {
        run_proxy(req, res);
        response_serialise(res);
    } else {
        run_stages(req, res, false);
    }
    record(req, res, &t0);
}

void dispatch_deferred(request *req, response *res) { run_stages(req, res, true); }

void dispatch_finished(throttle_hold *held)
{
    throttle_leave(held);
}
