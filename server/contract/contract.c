/* contract.c — see contract.h. */
#include "contract/contract.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/json_file.h"
#include "base/log.h"
#include "contract/differences.h"

/* The older documents being compared with the latest, by one thread (a
 * second one would take the core that start-up goes on with). */
typedef struct compare_job {
    pthread_t thread;
    contract *items[CONTRACT_MAX_VERSIONS]; /* as the set has them: latest first */
    size_t count;
    pthread_mutex_t lock;
    atomic_bool done; /* joined: every differences may be read */
} compare_job;

static bool is_true(const json_t *v) { return v && json_is_true(v); }

static const char *string_or(const json_t *obj, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : dflt;
}

/* Fills op->params from the operation's (and the path item's) parameters. */
static bool load_params(operation *op, const json_t *path_item, const json_t *jop,
                        char *err, size_t errlen)
{
    const json_t *lists[2] = {json_object_get(path_item, "parameters"),
                              json_object_get(jop, "parameters")};
    size_t total = json_array_size(lists[0]) + json_array_size(lists[1]);
    op->params = total ? calloc(total, sizeof *op->params) : NULL;
    if (total && !op->params) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    for (int l = 0; l < 2; l++) {
        size_t i;
        const json_t *p;
        json_array_foreach(lists[l], i, p) {
            const char *name = json_string_value(json_object_get(p, "name"));
            const char *in = json_string_value(json_object_get(p, "in"));
            if (!name || !in) {
                snprintf(err, errlen, "%s %s: parameter without name or in",
                         http_method_name(op->method), op->path);
                return false;
            }
            param_in where;
            if (!strcmp(in, "path"))
                where = PARAM_PATH;
            else if (!strcmp(in, "query"))
                where = PARAM_QUERY;
            else if (!strcmp(in, "header"))
                where = PARAM_HEADER;
            else
                continue; /* cookies: VSPC has none */
            /* an operation-level parameter overrides a path-level one */
            op_param *slot = (op_param *)operation_param(op, where, name);
            if (!slot)
                slot = &op->params[op->nparams++];
            *slot = (op_param){name, where, is_true(json_object_get(p, "required")) ||
                                                where == PARAM_PATH,
                               json_object_get(p, "schema")};
        }
    }
    return true;
}

static const struct {
    const char *media;
    body_kind kind;
} body_kinds[] = {
    {"application/json", BODY_JSON},
    {"application/x-www-form-urlencoded", BODY_FORM},
    {"multipart/form-data", BODY_MULTIPART},
    {"application/octet-stream", BODY_BINARY},
};

static void load_body(operation *op, const json_t *jop)
{
    const json_t *rb = json_object_get(jop, "requestBody");
    const json_t *content = json_object_get(rb, "content");
    if (!content)
        return;
    for (size_t i = 0; i < sizeof body_kinds / sizeof body_kinds[0]; i++) {
        const json_t *media = json_object_get(content, body_kinds[i].media);
        if (media) {
            op->body = body_kinds[i].kind;
            op->body_media_type = body_kinds[i].media;
            op->body_schema = json_object_get(media, "schema");
            op->body_required = is_true(json_object_get(rb, "required"));
            return;
        }
    }
}

static void load_response(operation *op, const json_t *jop)
{
    const json_t *ok = json_object_get(json_object_get(jop, "responses"), "200");
    const json_t *content = json_object_get(ok, "content");
    const json_t *media = json_object_get(content, "application/json");
    if (media) {
        op->response_schema = json_object_get(media, "schema");
        return;
    }
    media = json_object_get(content, "application/octet-stream");
    if (media) {
        op->response_schema = json_object_get(media, "schema");
        op->response_binary = true;
    }
}

const json_t *operation_data_schema(const operation *op, bool *is_array)
{
    const schema_ctx *ctx = &op->contract->schemas;
    const json_t *env = schema_resolve(ctx, op->response_schema);
    const json_t *data = json_object_get(json_object_get(env, "properties"), "data");
    const json_t *resolved = data ? schema_resolve(ctx, data) : NULL;
    const char *type = json_string_value(json_object_get(resolved, "type"));
    bool array = type && !strcmp(type, "array");
    if (is_array)
        *is_array = array;
    return array ? json_object_get(resolved, "items") : data;
}

const op_param *operation_param(const operation *op, param_in in, const char *name)
{
    for (size_t i = 0; i < op->nparams; i++)
        if (op->params[i].in == in && !strcasecmp(op->params[i].name, name))
            return &op->params[i];
    return NULL;
}

/* Bit i set when the i-th parameter of op's template is a UUID (for the
 * route index: a literal segment never fills one). */
static unsigned uuid_params(const contract *c, const operation *op)
{
    unsigned mask = 0;
    unsigned i = 0;
    for (const char *p = strchr(op->path, '{'); p && i < 32; p = strchr(p + 1, '{'), i++) {
        const char *end = strchr(p, '}');
        if (!end)
            break;
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
        const op_param *param = operation_param(op, PARAM_PATH, name);
        const json_t *schema = param ? schema_resolve(&c->schemas, param->schema) : NULL;
        const char *format = json_string_value(json_object_get(schema, "format"));
        if (format && !strcmp(format, "uuid"))
            mask |= 1u << i;
    }
    return mask;
}

/* The method of an OpenAPI path item key ("get" -> HTTP_GET). */
static http_method method_of(const char *key)
{
    char upper[16];
    size_t k = 0;
    for (; key[k] && k < sizeof upper - 1; k++)
        upper[k] = (char)(key[k] >= 'a' && key[k] <= 'z' ? key[k] - 32 : key[k]);
    upper[k] = 0;
    return http_method_parse(upper);
}

static bool index_ops(contract *c, char *err, size_t errlen)
{
    const json_t *paths = json_object_get(c->doc, "paths");
    if (!json_is_object(paths)) {
        snprintf(err, errlen, "no paths object");
        return false;
    }
    /* every key of a path item is at most one operation */
    size_t n = 0;
    const char *path;
    const json_t *item;
    json_object_foreach((json_t *)paths, path, item)
        n += json_object_size(item);
    c->ops = calloc(n ? n : 1, sizeof *c->ops);
    c->routes = router_new();
    if (!c->ops || !c->routes) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    json_object_foreach((json_t *)paths, path, item) {
        const char *method;
        const json_t *jop;
        json_object_foreach((json_t *)item, method, jop) {
            http_method m = method_of(method);
            if (m == HTTP_METHOD_OTHER)
                continue;
            operation *op = &c->ops[c->nops++];
            op->method = m;
            op->path = path;
            op->operation_id = string_or(jop, "operationId", "");
            op->summary = string_or(jop, "summary", "");
            op->tag = json_string_value(json_array_get(json_object_get(jop, "tags"), 0));
            op->paginated = is_true(json_object_get(jop, "x-veeam-pagination"));
            op->contract = c;
            if (!load_params(op, item, jop, err, errlen))
                return false;
            load_body(op, jop);
            load_response(op, jop);
            if (!router_add_typed(c->routes, path, m, op, uuid_params(c, op))) {
                snprintf(err, errlen, "cannot index %s %s", http_method_name(m), path);
                return false;
            }
        }
    }
    return true;
}

contract *contract_load(const char *file, char *err, size_t errlen)
{
    contract *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    json_error_t jerr;
    c->doc = json_file_load(file, JSON_REJECT_DUPLICATES, &jerr);
    if (!c->doc) {
        snprintf(err, errlen, "%s:%d: %s", file, jerr.line, jerr.text);
        free(c);
        return NULL;
    }
    const char *version = json_string_value(json_object_get(json_object_get(c->doc, "info"), "version"));
    if (!version || strlen(version) >= sizeof c->version) {
        snprintf(err, errlen, "%s: no info.version", file);
        contract_free(c);
        return NULL;
    }
    strcpy(c->version, version);
    /* 3.6.1 marks nullable properties; older documents lost the marks. */
    schema_ctx_init(&c->schemas, c->doc, contract_version_cmp(version, "3.6.1") < 0);
    char why[256];
    if (!index_ops(c, why, sizeof why)) {
        snprintf(err, errlen, "%s: %s", file, why);
        contract_free(c);
        return NULL;
    }
    return c;
}

void contract_free(contract *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nops; i++)
        free(c->ops[i].params);
    free(c->ops);
    router_free(c->routes);
    differences_free(c->differences); /* contract_set_free ended the comparison */
    json_decref(c->doc);
    free(c);
}

const operation *contract_find_op(const contract *c, const char *operation_id)
{
    for (size_t i = 0; i < c->nops; i++)
        if (!strcmp(c->ops[i].operation_id, operation_id))
            return &c->ops[i];
    return NULL;
}

int contract_version_cmp(const char *a, const char *b)
{
    for (;;) {
        if (!*a || !*b)
            return (*a != 0) - (*b != 0); /* "3.6" < "3.6.1" */
        char *ea, *eb;
        long na = strtol(a, &ea, 10), nb = strtol(b, &eb, 10);
        if (ea == a || eb == b) /* not numeric: plain text order */
            return strcmp(a, b) < 0 ? -1 : strcmp(a, b) > 0;
        if (na != nb)
            return na < nb ? -1 : 1;
        a = *ea == '.' ? ea + 1 : ea;
        b = *eb == '.' ? eb + 1 : eb;
    }
}

static bool is_contract_file(const char *name)
{
    size_t len = strlen(name);
    return strncmp(name, "vspc-rest-", 10) == 0 && len > 15 &&
           strcmp(name + len - 5, ".json") == 0;
}

/* One document loaded by a thread of contract_set_load. */
typedef struct load_job {
    pthread_t thread;
    char file[1024];
    contract *c;
    char err[256];
} load_job;

static void *load_main(void *arg)
{
    load_job *j = arg;
    j->c = contract_load(j->file, j->err, sizeof j->err);
    return NULL;
}

/* Whether version is one the set already serves. */
static bool is_served(const contract_set *set, const char *version)
{
    for (size_t i = 0; i < set->nserved; i++)
        if (!strcmp(set->served[i].version, version))
            return true;
    return false;
}

/* Adds version, served by doc, keeping the list newest first. */
static void serve(contract_set *set, const char *version, const contract *doc)
{
    if (is_served(set, version) || strlen(version) >= sizeof set->served[0].version ||
        set->nserved == sizeof set->served / sizeof set->served[0])
        return;
    size_t i = set->nserved++;
    while (i > 0 && contract_version_cmp(set->served[i - 1].version, version) < 0) {
        set->served[i] = set->served[i - 1];
        i--;
    }
    snprintf(set->served[i].version, sizeof set->served[i].version, "%s", version);
    set->served[i].doc = doc;
}

/* Each document's version, then the series x.y of a document x.y.z that
 * has no document of its own, served by its newest x.y.z (see contract.h:
 * 3.5 by 3.5.1). */
static void serve_versions(contract_set *set)
{
    set->nserved = 0;
    for (size_t i = 0; i < set->count; i++)
        serve(set, set->items[i]->version, set->items[i]);
    for (size_t i = 0; i < set->count; i++) { /* newest first: the newest of a series */
        const char *v = set->items[i]->version;
        const char *dot = strchr(v, '.');
        const char *patch = dot ? strchr(dot + 1, '.') : NULL;
        if (!patch)
            continue;
        char series[16];
        snprintf(series, sizeof series, "%.*s", (int)(patch - v), v);
        serve(set, series, set->items[i]);
    }
}

static void *compare_main(void *arg)
{
    compare_job *j = arg;
    const contract *latest = j->items[0];
    for (size_t i = 1; i < j->count; i++) {
        contract *older = j->items[i];
        older->differences = differences_build(&older->schemas, &latest->schemas);
        if (!older->differences)
            log_error("contract: %s could not be compared with %s (out of memory); its clients "
                      "get answers in the newest shape",
                      older->version, latest->version);
    }
    return NULL;
}

/* Starts the tables of differences of the older documents from the latest
 * (the thread only reads the documents); made here and now when no thread
 * can be started. */
static bool compare_versions(contract_set *set, char *err, size_t errlen)
{
    if (set->count < 2)
        return true;
    compare_job *j = calloc(1, sizeof *j);
    if (!j) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    memcpy(j->items, set->items, sizeof j->items); /* the set may be copied; its documents stay */
    j->count = set->count;
    pthread_mutex_init(&j->lock, NULL);
    atomic_init(&j->done, false);
    for (size_t i = 1; i < set->count; i++)
        set->items[i]->compare = j;
    if (pthread_create(&j->thread, NULL, compare_main, j)) {
        compare_main(j);
        atomic_store(&j->done, true);
    }
    return true;
}

const struct differences *contract_differences(const contract *c)
{
    compare_job *j = c->compare;
    if (j && !atomic_load_explicit(&j->done, memory_order_acquire)) {
        pthread_mutex_lock(&j->lock);
        if (!atomic_load_explicit(&j->done, memory_order_relaxed)) {
            pthread_join(j->thread, NULL);
            atomic_store_explicit(&j->done, true, memory_order_release);
        }
        pthread_mutex_unlock(&j->lock);
    }
    return c->differences;
}

bool contract_set_load(contract_set *set, const char *dir, char *err, size_t errlen)
{
    memset(set, 0, sizeof *set);
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "cannot open schema folder '%s'", dir);
        return false;
    }
    load_job jobs[CONTRACT_MAX_VERSIONS];
    size_t njobs = 0;
    struct dirent *e;
    bool ok = true;
    while (ok && (e = readdir(d))) {
        if (!is_contract_file(e->d_name))
            continue;
        if (njobs == CONTRACT_MAX_VERSIONS) {
            snprintf(err, errlen, "too many contract documents in '%s'", dir);
            ok = false;
            break;
        }
        load_job *j = &jobs[njobs++];
        memset(j, 0, sizeof *j);
        snprintf(j->file, sizeof j->file, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    /* the documents are independent: parsed and indexed side by side (the
     * largest part of start-up). jansson's hash seed is set first, so that
     * the threads do not race to make it. */
    json_object_seed(0);
    size_t started = 0;
    for (; ok && started < njobs; started++)
        if (pthread_create(&jobs[started].thread, NULL, load_main, &jobs[started])) {
            snprintf(err, errlen, "cannot start a thread to load the contract");
            ok = false;
            break;
        }
    for (size_t k = 0; k < started; k++)
        pthread_join(jobs[k].thread, NULL);
    for (size_t k = 0; k < started; k++) {
        contract *c = jobs[k].c;
        if (!c) {
            if (ok)
                snprintf(err, errlen, "%s", jobs[k].err);
            ok = false;
            continue;
        }
        /* insertion sort, newest first */
        size_t i = set->count++;
        while (i > 0 && contract_version_cmp(set->items[i - 1]->version, c->version) < 0) {
            set->items[i] = set->items[i - 1];
            i--;
        }
        set->items[i] = c;
    }
    if (ok && set->count == 0) {
        snprintf(err, errlen, "no vspc-rest-*.json in '%s'", dir);
        ok = false;
    }
    if (!ok) {
        contract_set_free(set);
        return false;
    }
    set->latest = set->items[0];
    if (!compare_versions(set, err, errlen)) {
        contract_set_free(set);
        return false;
    }
    serve_versions(set);
    for (size_t i = 0; i < set->count; i++)
        for (size_t j = 0; j < set->count; j++)
            if (i != j && !router_shadow(set->items[i]->routes, set->items[j]->routes)) {
                snprintf(err, errlen, "out of memory");
                contract_set_free(set);
                return false;
            }
    return true;
}

void contract_set_free(contract_set *set)
{
    /* the comparison reads the documents: it ends before they go */
    compare_job *j = set->count > 1 ? set->items[1]->compare : NULL;
    if (j) {
        contract_differences(set->items[1]);
        pthread_mutex_destroy(&j->lock);
        free(j);
        for (size_t i = 1; i < set->count; i++)
            set->items[i]->compare = NULL;
    }
    for (size_t i = 0; i < set->count; i++)
        contract_free(set->items[i]);
    memset(set, 0, sizeof *set);
}

const contract *contract_set_find(const contract_set *set, const char *version)
{
    if (!version || !*version)
        return set->latest;
    for (size_t i = 0; i < set->nserved; i++)
        if (!strcmp(set->served[i].version, version))
            return set->served[i].doc;
    return NULL;
}

void contract_set_versions_text(const contract_set *set, char *buf, size_t len)
{
    size_t used = 0;
    if (len)
        buf[0] = 0;
    for (size_t i = 0; i < set->nserved && used < len; i++) {
        int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", set->served[i].version);
        if (n < 0)
            return;
        used += (size_t)n;
    }
}
