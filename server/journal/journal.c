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

/* One kept request. What filters look at is in fields; the texts (path,
 * query pairs, the headers present, the body) are packed one after the
 * other, each NUL-terminated, in `text` — the JSON of an entry is made
 * only when it is asked for. A slot is built outside the lock in the
 * recording thread's own slot and swapped with the ring's oldest under it:
 * no allocation once the buffers have grown, no JSON, no formatting on the
 * request's way (it cost a fifth of a small GET's time when each entry was
 * a JSON text). */
typedef struct slot {
    unsigned long long id;
    double at; /* epoch seconds, when the request came */
    double duration_ms;
    int status;
    bool known, has_body, truncated;
    size_t body_bytes;
    const char *note;         /* static: why the body was not kept, or "" */
    const char *operation_id; /* the contract's, which outlives the server */
    unsigned header_mask;     /* bit i: headers[i] was sent */
    size_t nquery;
    char method[16];
    char login[128], uid[40], impersonator[40];
    char action[48];
    long fault_rule;          /* the fault rule that applied (0: none) */
    const char *fault_effect; /* static: its effect's name */
    char *text;
    size_t len, cap;
} slot;

struct journal {
    redact_rules *rules;
    size_t npaths, nheaders, body_bytes;
    char paths[MAX_PATHS][NAME_LEN];
    char headers[MAX_HEADERS][NAME_LEN];
    pthread_key_t own; /* each recording thread's slot */
    pthread_mutex_t lock;
    slot **ring; /* capacity slots; the newest at (next - 1) */
    size_t capacity, count, next;
    unsigned long long numbered; /* entries recorded since the start */
};

static void slot_free(void *p)
{
    slot *s = p;
    if (s)
        free(s->text);
    free(s);
}

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
    pthread_key_create(&j->own, slot_free); /* freed when a worker thread ends */
    return j;
}

void journal_free(journal *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->capacity; i++)
        slot_free(j->ring[i]);
    free(j->ring);
    slot_free(pthread_getspecific(j->own)); /* the caller's own, if it recorded */
    pthread_key_delete(j->own);
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

/* --- recording, outside the lock --------------------------------------- */

/* Appends s (len bytes) and a NUL to the slot's texts; false without memory. */
static bool pack(slot *sl, const char *s, size_t len)
{
    if (sl->len + len + 1 > sl->cap) {
        size_t cap = sl->cap ? sl->cap : 512;
        while (cap < sl->len + len + 1)
            cap *= 2;
        char *grown = realloc(sl->text, cap);
        if (!grown)
            return false;
        sl->text = grown;
        sl->cap = cap;
    }
    memcpy(sl->text + sl->len, s, len);
    sl->text[sl->len + len] = 0;
    sl->len += len + 1;
    return true;
}

static bool pack_str(slot *sl, const char *s) { return pack(sl, s ? s : "", s ? strlen(s) : 0); }

static void copy_field(char *out, size_t size, const char *s)
{
    size_t n = strlen(s);
    if (n >= size)
        n = size - 1;
    memcpy(out, s, n);
    out[n] = 0;
}

/* The body as it may be kept: redacted (journal/redact.h), then cut to
 * its first body_bytes. */
static bool pack_body(const journal *j, const request *req, slot *sl)
{
    sl->body_bytes = req->body_len;
    sl->note = "";
    char *kept = req->body_len ? redact_body(j->rules, request_header(req, "Content-Type"),
                                             req->body, req->body_len, &sl->note)
                               : NULL;
    sl->has_body = kept != NULL;
    if (!kept)
        return true;
    size_t n = strlen(kept);
    if (n > j->body_bytes) {
        kept[j->body_bytes] = 0;
        utf8_trim_partial(kept);
        n = strlen(kept);
        sl->truncated = true;
    }
    bool ok = pack(sl, kept, n);
    free(kept);
    return ok;
}

/* The request into sl: the texts packed, secrets redacted. */
static bool fill(const journal *j, const request *req, const response *res, double duration_ms,
                 slot *sl)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    sl->at = (double)now.tv_sec + (double)now.tv_nsec / 1e9 - duration_ms / 1e3;
    sl->duration_ms = duration_ms;
    sl->status = res->status;
    sl->len = 0;
    sl->truncated = false;
    sl->operation_id = req->op ? req->op->operation_id : NULL;
    copy_field(sl->method, sizeof sl->method, req->method_text ? req->method_text : "");
    const principal *who = &req->who;
    sl->known = who->known;
    copy_field(sl->login, sizeof sl->login, who->known ? who->user_name : "");
    copy_field(sl->uid, sizeof sl->uid, who->known ? who->user_uid : "");
    copy_field(sl->impersonator, sizeof sl->impersonator, who->known ? who->impersonator : "");
    /* the async action a 202 accepted: the last segment of its Location */
    const char *slash = strrchr(res->location, '/');
    copy_field(sl->action, sizeof sl->action,
               res->status == 202 && slash && !strncmp(res->location, ASYNC_PATH, strlen(ASYNC_PATH))
                   ? slash + 1
                   : "");
    sl->fault_effect = fault_kind_name(req->fault.kind);
    sl->fault_rule = sl->fault_effect ? req->fault.rule_id : 0;
    bool ok = pack_str(sl, req->path);
    sl->nquery = req->nquery;
    for (size_t i = 0; ok && i < req->nquery; i++) {
        const char *name = req->query[i].key;
        ok = pack_str(sl, name) && pack_str(sl, redact_is_secret(j->rules, name, strlen(name))
                                                    ? REDACTED
                                                    : req->query[i].value);
    }
    sl->header_mask = 0;
    for (size_t i = 0; ok && i < j->nheaders; i++) {
        const char *value = request_header(req, j->headers[i]);
        if (!value)
            continue;
        sl->header_mask |= 1u << i;
        if (!strcasecmp(j->headers[i], "Authorization")) {
            char kept[64];
            redact_authorization(value, kept, sizeof kept);
            ok = pack_str(sl, kept);
        } else {
            ok = pack_str(sl, value);
        }
    }
    return ok && pack_body(j, req, sl);
}

void journal_record(journal *j, const request *req, const response *res, double duration_ms)
{
    if (!j || !j->capacity)
        return;
    slot *mine = pthread_getspecific(j->own);
    if (!mine && !(mine = calloc(1, sizeof *mine)))
        return;
    if (!fill(j, req, res, duration_ms, mine)) {
        pthread_setspecific(j->own, mine);
        return;
    }
    pthread_mutex_lock(&j->lock);
    mine->id = ++j->numbered;
    slot *old = j->ring[j->next];
    j->ring[j->next] = mine;
    j->next = (j->next + 1) % j->capacity;
    if (j->count < j->capacity)
        j->count++;
    pthread_mutex_unlock(&j->lock);
    pthread_setspecific(j->own, old); /* the oldest slot is this thread's next one */
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
    slot **fresh = calloc(j->capacity, sizeof *fresh);
    if (!fresh)
        return;
    pthread_mutex_lock(&j->lock);
    slot **old = j->ring;
    j->ring = fresh;
    j->count = 0;
    j->next = 0;
    pthread_mutex_unlock(&j->lock);
    for (size_t i = 0; i < j->capacity; i++)
        slot_free(old[i]);
    free(old);
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

static bool matches(const journal_filter *f, const slot *e)
{
    if (!f)
        return true;
    if (f->method && *f->method && strcasecmp(f->method, e->method))
        return false;
    if (f->path && *f->path && !glob(f->path, e->text))
        return false;
    if (f->user && *f->user && strcasecmp(f->user, e->login) && strcasecmp(f->user, e->uid))
        return false;
    if ((f->since > 0 && e->at < f->since) || (f->until > 0 && e->at > f->until))
        return false;
    return status_matches(f->status, e->status);
}

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

/* The next packed text after p. */
static const char *next_text(const char *p) { return p + strlen(p) + 1; }

/* The query pairs as an object: a repeated name gets a list. */
static json_t *query_json(const slot *e, const char **p)
{
    json_t *q = json_object();
    for (size_t i = 0; i < e->nquery; i++) {
        const char *name = *p, *value = next_text(name);
        *p = next_text(value);
        json_t *was = json_object_get(q, name), *v = text_value(value);
        if (!was) {
            json_object_set_new(q, name, v);
        } else if (json_is_array(was)) {
            json_array_append_new(was, v);
        } else {
            json_t *list = json_pack("[O]", was);
            json_array_append_new(list, v);
            json_object_set_new(q, name, list);
        }
    }
    return q;
}

/* The entry as the API shows it (schema/admin-openapi.json JournalEntry). */
static json_t *entry_json(const journal *j, const slot *e)
{
    char when[128];
    iso_time(e->at, when, sizeof when);
    json_t *user = json_null();
    if (e->known) {
        user = json_pack("{s:o, s:s}", "login", text_value(e->login), "uid", e->uid);
        if (user && e->impersonator[0])
            json_object_set_new(user, "impersonator", json_string(e->impersonator));
    }
    const char *p = next_text(e->text); /* after the path */
    json_t *query = query_json(e, &p);
    json_t *headers = json_object();
    for (size_t i = 0; i < j->nheaders; i++)
        if (e->header_mask & (1u << i)) {
            json_object_set_new(headers, j->headers[i], text_value(p));
            p = next_text(p);
        }
    json_t *out = json_pack("{s:I, s:s, s:o, s:s, s:o, s:o, s:o}", "id", (json_int_t)e->id, "time",
                            when, "user", user ? user : json_null(), "method", e->method, "path",
                            text_value(e->text), "query", query, "headers", headers);
    if (!out)
        return json_null();
    json_object_set_new(out, "body", e->has_body ? text_value(p) : json_null());
    json_object_set_new(out, "bodyBytes", json_integer((json_int_t)e->body_bytes));
    json_object_set_new(out, "bodyTruncated", json_boolean(e->truncated));
    if (e->note && e->note[0])
        json_object_set_new(out, "bodyNote", json_string(e->note));
    json_object_set_new(out, "operationId",
                        e->operation_id ? json_string(e->operation_id) : json_null());
    json_object_set_new(out, "status", json_integer(e->status));
    json_object_set_new(out, "durationMs", json_real((double)(long)(e->duration_ms * 1000) / 1000));
    json_object_set_new(out, "asyncActionId", e->action[0] ? text_value(e->action) : json_null());
    /* a fault rule's effect: the status and body above are what the rule
     * made (a latency's delay and a drop or cut come after, in the
     * transport: durationMs is the pipeline's time without them) */
    json_object_set_new(out, "fault",
                        e->fault_effect ? json_pack("{s:I, s:s}", "ruleId", (json_int_t)e->fault_rule,
                                                    "effect", e->fault_effect)
                                        : json_null());
    return out;
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
        const slot *e = j->ring[(j->next + j->capacity - 1 - k) % j->capacity];
        if (!matches(f, e))
            continue;
        if (out && matched < limit)
            json_array_append_new(*out, entry_json(j, e));
        matched++;
    }
    pthread_mutex_unlock(&j->lock);
    return matched;
}
