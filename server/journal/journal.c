/* journal.c — see journal.h. */
#include "journal/journal.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "async/actions.h"
#include "base/json_file.h"
#include "base/utf8.h"
#include "journal/redact.h"

#define MAX_PATHS 8
#define MAX_HEADERS 16
#define NAME_LEN 64

/* One kept request: what filters look at, and the whole entry as JSON
 * text (parsed again only when asked for). One allocation. */
typedef struct entry {
    double at; /* epoch seconds, when the request came */
    int status;
    char method[16];
    char login[128];
    char uid[40];
    const char *path; /* in the same block */
    const char *json;
} entry;

struct journal {
    redact_rules *rules;
    size_t npaths, nheaders, body_bytes;
    char paths[MAX_PATHS][NAME_LEN];
    char headers[MAX_HEADERS][NAME_LEN];
    pthread_mutex_t lock;
    entry **ring; /* capacity slots; the newest at (next - 1) */
    size_t capacity, count, next;
    unsigned long long numbered; /* entries recorded since the start */
};

static bool load_names(const json_t *doc, const char *key, char (*out)[NAME_LEN], size_t max,
                       size_t *n, char *err, size_t errlen)
{
    const json_t *list = json_object_get(doc, key);
    if (!json_is_array(list) || json_array_size(list) > max) {
        snprintf(err, errlen, "journal.json: \"%s\" must be a list of at most %zu names", key, max);
        return false;
    }
    size_t i;
    const json_t *item;
    json_array_foreach(list, i, item) {
        const char *s = json_string_value(item);
        if (!s || !*s || strlen(s) >= NAME_LEN) {
            snprintf(err, errlen, "journal.json: \"%s\"[%zu] is not a name", key, i);
            return false;
        }
        snprintf(out[(*n)++], NAME_LEN, "%s", s);
    }
    return true;
}

journal *journal_open(const char *schema_dir, size_t capacity, char *err, size_t errlen)
{
    json_t *doc = json_file_load_in(schema_dir, "journal.json", 0, err, errlen);
    if (!doc)
        return NULL;
    journal *j = calloc(1, sizeof *j);
    json_int_t body_bytes = json_integer_value(json_object_get(doc, "bodyBytes"));
    bool ok = j && (j->rules = redact_rules_new(doc, err, errlen)) &&
              load_names(doc, "paths", j->paths, MAX_PATHS, &j->npaths, err, errlen) &&
              load_names(doc, "headers", j->headers, MAX_HEADERS, &j->nheaders, err, errlen);
    if (ok && (body_bytes < 0 || body_bytes > 1048576)) {
        snprintf(err, errlen, "journal.json: \"bodyBytes\" must be 0 to 1048576");
        ok = false;
    }
    json_decref(doc);
    if (ok && capacity && !(j->ring = calloc(capacity, sizeof *j->ring))) {
        snprintf(err, errlen, "journal: no memory for %zu entries", capacity);
        ok = false;
    }
    if (!ok) {
        if (j)
            redact_rules_free(j->rules);
        free(j);
        return NULL;
    }
    j->body_bytes = (size_t)body_bytes;
    j->capacity = capacity;
    pthread_mutex_init(&j->lock, NULL);
    return j;
}

void journal_free(journal *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->capacity; i++)
        free(j->ring[i]);
    free(j->ring);
    redact_rules_free(j->rules);
    pthread_mutex_destroy(&j->lock);
    free(j);
}

bool journal_wants(const journal *j, const char *path)
{
    if (!j || !j->capacity || !path)
        return false;
    for (size_t i = 0; i < j->npaths; i++) {
        size_t n = strlen(j->paths[i]);
        /* "/api/v3" is the API and what lies under it, not "/api/v3x" */
        if (!strncasecmp(path, j->paths[i], n) &&
            (j->paths[i][n - 1] == '/' || path[n] == '/' || !path[n]))
            return true;
    }
    return false;
}

/* --- building an entry, outside the lock -------------------------------- */

static void iso_time(double at, char *out, size_t len)
{
    time_t secs = (time_t)at;
    struct tm tm;
    gmtime_r(&secs, &tm);
    int ms = (int)((at - (double)secs) * 1000);
    snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms < 0 ? 0 : ms > 999 ? 999 : ms);
}

/* A string value of client text: jansson takes UTF-8 only. */
static json_t *text_value(const char *s)
{
    json_t *v = json_string(s);
    if (v)
        return v;
    char *copy = strdup(s);
    if (!copy)
        return json_null();
    utf8_repair(copy);
    v = json_string(copy);
    free(copy);
    return v ? v : json_null();
}

/* The query parameters as an object: a repeated name gets a list. */
static json_t *query_of(const journal *j, const request *req)
{
    json_t *q = json_object();
    for (size_t i = 0; i < req->nquery; i++) {
        const char *name = req->query[i].key;
        json_t *value = redact_is_secret(j->rules, name, strlen(name))
                            ? json_string(REDACTED)
                            : text_value(req->query[i].value ? req->query[i].value : "");
        json_t *was = json_object_get(q, name);
        if (!was) {
            json_object_set_new(q, name, value);
        } else if (json_is_array(was)) {
            json_array_append_new(was, value);
        } else {
            json_t *list = json_pack("[O]", was);
            json_array_append_new(list, value);
            json_object_set_new(q, name, list);
        }
    }
    return q;
}

static json_t *headers_of(const journal *j, const request *req)
{
    json_t *h = json_object();
    for (size_t i = 0; i < j->nheaders; i++) {
        const char *value = request_header(req, j->headers[i]);
        if (!value)
            continue;
        if (!strcasecmp(j->headers[i], "Authorization")) {
            char kept[64];
            redact_authorization(value, kept, sizeof kept);
            json_object_set_new(h, j->headers[i], json_string(kept));
        } else {
            json_object_set_new(h, j->headers[i], text_value(value));
        }
    }
    return h;
}

/* body, bodyBytes, bodyTruncated and, when it was not kept, bodyNote. */
static void body_of(const journal *j, const request *req, json_t *e)
{
    const char *note = "";
    char *kept = redact_body(j->rules, request_header(req, "Content-Type"), req->body,
                             req->body_len, &note);
    bool truncated = false;
    if (kept && strlen(kept) > j->body_bytes) {
        kept[j->body_bytes] = 0;
        utf8_trim_partial(kept);
        truncated = true;
    }
    json_object_set_new(e, "body", kept ? text_value(kept) : json_null());
    json_object_set_new(e, "bodyBytes", json_integer((json_int_t)req->body_len));
    json_object_set_new(e, "bodyTruncated", json_boolean(truncated));
    if (note[0])
        json_object_set_new(e, "bodyNote", json_string(note));
    free(kept);
}

/* The async action a 202 accepted: the last segment of its Location. */
static json_t *action_of(const response *res)
{
    const char *slash = strrchr(res->location, '/');
    if (res->status != 202 || strncmp(res->location, ASYNC_PATH, strlen(ASYNC_PATH)) || !slash)
        return json_null();
    return text_value(slash + 1);
}

static entry *entry_make(const journal *j, const request *req, const response *res,
                         double duration_ms, unsigned long long id)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    double at = (double)now.tv_sec + (double)now.tv_nsec / 1e9 - duration_ms / 1e3;
    char when[128];
    iso_time(at, when, sizeof when);
    const principal *who = &req->who;
    json_t *user = who->known ? json_pack("{s:s, s:s}", "login", who->user_name, "uid",
                                          who->user_uid)
                              : json_null();
    if (user && who->known && who->impersonator[0])
        json_object_set_new(user, "impersonator", json_string(who->impersonator));
    json_t *e = json_pack("{s:I, s:s, s:o, s:s, s:o, s:o, s:o}", "id", (json_int_t)id, "time",
                          when, "user", user ? user : json_null(), "method",
                          req->method_text ? req->method_text : "", "path",
                          text_value(req->path ? req->path : ""), "query", query_of(j, req),
                          "headers", headers_of(j, req));
    if (!e)
        return NULL;
    body_of(j, req, e);
    json_object_set_new(e, "operationId",
                        req->op ? json_string(req->op->operation_id) : json_null());
    json_object_set_new(e, "status", json_integer(res->status));
    json_object_set_new(e, "durationMs", json_real((double)(long)(duration_ms * 1000) / 1000));
    json_object_set_new(e, "asyncActionId", action_of(res));
    char *text = json_dumps(e, JSON_COMPACT);
    json_decref(e);
    if (!text)
        return NULL;
    const char *path = req->path ? req->path : "";
    size_t plen = strlen(path), tlen = strlen(text);
    entry *out = malloc(sizeof *out + plen + 1 + tlen + 1);
    if (out) {
        char *p = (char *)(out + 1);
        memcpy(p, path, plen + 1);
        memcpy(p + plen + 1, text, tlen + 1);
        out->path = p;
        out->json = p + plen + 1;
        out->at = at;
        out->status = res->status;
        snprintf(out->method, sizeof out->method, "%s", req->method_text ? req->method_text : "");
        snprintf(out->login, sizeof out->login, "%s", who->known ? who->user_name : "");
        snprintf(out->uid, sizeof out->uid, "%s", who->known ? who->user_uid : "");
    }
    free(text);
    return out;
}

void journal_record(journal *j, const request *req, const response *res, double duration_ms)
{
    if (!j || !j->capacity)
        return;
    pthread_mutex_lock(&j->lock);
    unsigned long long id = ++j->numbered;
    pthread_mutex_unlock(&j->lock);
    entry *e = entry_make(j, req, res, duration_ms, id);
    if (!e)
        return;
    pthread_mutex_lock(&j->lock);
    entry *old = j->ring[j->next];
    j->ring[j->next] = e;
    j->next = (j->next + 1) % j->capacity;
    if (j->count < j->capacity)
        j->count++;
    pthread_mutex_unlock(&j->lock);
    free(old);
}

size_t journal_count(journal *j)
{
    if (!j)
        return 0;
    pthread_mutex_lock(&j->lock);
    size_t n = j->count;
    pthread_mutex_unlock(&j->lock);
    return n;
}

size_t journal_capacity(const journal *j) { return j ? j->capacity : 0; }

void journal_clear(journal *j)
{
    if (!j || !j->capacity)
        return;
    pthread_mutex_lock(&j->lock);
    entry **old = j->ring;
    entry **fresh = calloc(j->capacity, sizeof *fresh);
    if (fresh)
        j->ring = fresh;
    else
        for (size_t i = 0; i < j->capacity; i++) /* keep the ring, empty it here */
            free(old[i]), old[i] = NULL;
    j->count = 0;
    j->next = 0;
    pthread_mutex_unlock(&j->lock);
    if (fresh) {
        for (size_t i = 0; i < j->capacity; i++)
            free(old[i]);
        free(old);
    }
}

/* --- queries ------------------------------------------------------------- */

/* '*' matches within one segment, '**' across segments; ignoring case. */
static bool glob(const char *pat, const char *s)
{
    for (; *pat; pat++, s++) {
        if (*pat == '*') {
            bool deep = pat[1] == '*';
            const char *rest = pat + (deep ? 2 : 1);
            for (const char *t = s;; t++) {
                if (glob(rest, t))
                    return true;
                if (!*t || (!deep && *t == '/'))
                    return false;
            }
        }
        if (!*s || tolower((unsigned char)*pat) != tolower((unsigned char)*s))
            return false;
    }
    return !*s;
}

bool journal_status_valid(const char *status)
{
    if (!status || !*status)
        return true;
    if (strlen(status) != 3 || status[0] < '1' || status[0] > '5')
        return false;
    bool class = !strcasecmp(status + 1, "xx");
    return class || (isdigit((unsigned char)status[1]) && isdigit((unsigned char)status[2]));
}

static bool status_matches(const char *want, int status)
{
    if (!want || !*want)
        return true;
    char have[8];
    snprintf(have, sizeof have, "%d", status);
    if (!strcasecmp(want + 1, "xx"))
        return have[0] == want[0];
    return !strcmp(have, want);
}

static bool matches(const journal_filter *f, const entry *e)
{
    if (!f)
        return true;
    if (f->method && *f->method && strcasecmp(f->method, e->method))
        return false;
    if (f->path && *f->path && !glob(f->path, e->path))
        return false;
    if (f->user && *f->user && strcasecmp(f->user, e->login) && strcasecmp(f->user, e->uid))
        return false;
    if ((f->since > 0 && e->at < f->since) || (f->until > 0 && e->at > f->until))
        return false;
    return status_matches(f->status, e->status);
}

size_t journal_query(journal *j, const journal_filter *f, size_t limit, json_t **out)
{
    if (out)
        *out = json_array();
    if (!j || !j->capacity)
        return 0;
    size_t matched = 0;
    pthread_mutex_lock(&j->lock);
    for (size_t k = 0; k < j->count; k++) {
        const entry *e = j->ring[(j->next + j->capacity - 1 - k) % j->capacity];
        if (!matches(f, e))
            continue;
        if (out && matched < limit)
            json_array_append_new(*out, json_loads(e->json, 0, NULL));
        matched++;
    }
    pthread_mutex_unlock(&j->lock);
    return matched;
}
