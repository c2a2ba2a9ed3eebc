/* requests.c — see requests.h. */
#include "requests.h"

#include <check.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract/generate.h"
#include "base/rng.h"
#include "store/store.h"
#include "testutil.h"
#include "world/world.h"

/* Text form of a generated parameter value. */
char *rq_value_text(const json_t *v)
{
    if (json_is_string(v))
        return strdup(json_string_value(v));
    return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

/* Property prop of the first stored record of type, read from the
 * server's database. */
static char *first_record_value(const request_builder *rb, const char *type, const char *prop)
{
    char dir[64];
    store *st = test_open_db_copy(rb->server->data_dir, dir, sizeof dir);
    char *uid = NULL;
    json_t *body = NULL;
    ck_assert_int_eq(store_find(st, type, NULL, &uid, &body, NULL), STORE_OK);
    char *text = rq_value_text(json_object_get(body, prop));
    free(uid);
    json_decref(body);
    test_close_db_copy(st, dir);
    return text;
}

/* The value of path parameter `name` of op: the id of the first record of
 * the entity it names in the default world (so nested routes agree: every
 * first record refers to first records), else (a type the world has no
 * record of, or no entity) a generated value. */
static char *path_value(const request_builder *rb, const operation *op, const op_param *prm,
                        const char *name, uint64_t seed)
{
    const char *given = json_string_value(json_object_get(rb->overrides, name));
    if (given)
        return strdup(given);
    const entity_model *model = rb->model, *latest = rb->latest;
    const binding *b = entities_binding(model, op);
    const entity *e = b->id_param && !strcmp(b->id_param, name) ? b->entity
                                                                 : entities_for_key(model, name);
    const entity *stored = e ? entities_find(latest, e->name) : NULL;
    if (e && e->id_param) {
        if (stored && e->id_prop && (!stored->id_prop || strcmp(e->id_prop, stored->id_prop)))
            return first_record_value(rb, e->name, e->id_prop); /* an older id property */
        /* types the newest version lacks are built from their own version */
        world_options o = {.seed = WORLD_DEFAULT_SEED, .companies = WORLD_DEFAULT_COMPANIES,
                           .per_entity = WORLD_DEFAULT_PER_ENTITY, .fixtures = rb->fixtures};
        char uid[128];
        world_uid(stored ? latest : model, stored ? stored : e, 0, &o, uid, sizeof uid);
        if (uid[0])
            return strdup(uid);
        /* a type the world has none of (async actions): a generated id */
    }
    json_t *v = generate_value(&op->contract->schemas, prm ? prm->schema : NULL, name,
                               rng_mix(seed, name));
    char *text = rq_value_text(v);
    json_decref(v);
    return text;
}

/* Appends s to buf (bounded). */
static void append(char *buf, size_t len, const char *s)
{
    size_t used = strlen(buf);
    snprintf(buf + used, len - used, "%s", s);
}

/* The concrete URL of op: path parameters filled, required query
 * parameters given, and limit/offset on paginated operations. */
void rq_url(const request_builder *rb, const operation *op, uint64_t seed, char *url, size_t len)
{
    const schema_ctx *ctx = &op->contract->schemas;
    CURL *esc = curl_easy_init();
    snprintf(url, len, "%s/api/v3", rb->server->base);
    for (const char *p = op->path; *p;) {
        if (*p != '{') {
            size_t used = strlen(url);
            if (used + 1 < len) {
                url[used] = *p;
                url[used + 1] = 0;
            }
            p++;
            continue;
        }
        const char *end = strchr(p, '}');
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
        char *text = path_value(rb, op, operation_param(op, PARAM_PATH, name), name, seed);
        char *escaped = curl_easy_escape(esc, text ? text : "x", 0);
        append(url, len, escaped);
        curl_free(escaped);
        free(text);
        p = end + 1;
    }
    char sep = '?';
    for (size_t i = 0; i < op->nparams; i++) {
        const op_param *prm = &op->params[i];
        if (prm->in != PARAM_QUERY || !prm->required)
            continue;
        json_t *v = generate_value(ctx, prm->schema, prm->name, rng_mix(seed, prm->name));
        char *text = rq_value_text(v);
        char *escaped = curl_easy_escape(esc, text ? text : "", 0);
        size_t used = strlen(url);
        snprintf(url + used, len - used, "%c%s=%s", sep, prm->name, escaped);
        sep = '&';
        curl_free(escaped);
        free(text);
        json_decref(v);
    }
    if (op->paginated && rb->paging) {
        size_t used = strlen(url);
        snprintf(url + used, len - used, "%c%s", sep, rb->paging);
    }
    curl_easy_cleanup(esc);
}

/* Names and logins must not clash with the default world's (409): the
 * ones in a generated body get the operation's name appended. */
static void make_names_unique(json_t *v, const char *suffix, int depth)
{
    const char *key;
    json_t *member;
    if (depth > 16)
        return;
    json_object_foreach(v, key, member) {
        if (json_is_object(member)) {
            make_names_unique(member, suffix, depth + 1);
        } else if (json_is_string(member) && (!strcmp(key, "name") || !strcmp(key, "userName"))) {
            char unique[512];
            snprintf(unique, sizeof unique, "%s %s", json_string_value(member), suffix);
            json_object_set_new(v, key, json_string(unique));
        }
    }
}

/* A generated body names real records where the server checks that it
 * does (schema/tenancy.json "checked"): the first record of the type each
 * such reference names, as a client would pick one. */
static void name_real_records(const request_builder *rb, json_t *v)
{
    if (!json_is_object(v))
        return;
    char path[1024];
    snprintf(path, sizeof path, "%s/tenancy.json", test_schema_dir());
    json_t *rules = json_load_file(path, 0, NULL);
    size_t i;
    const json_t *k;
    json_array_foreach(json_object_get(json_object_get(rules, "checked"), "keys"), i, k) {
        const char *key = json_string_value(k);
        const entity *e = key && json_is_string(json_object_get(v, key))
                              ? entities_for_key(rb->latest, key)
                              : NULL;
        if (!e)
            continue;
        char *uid = first_record_value(rb, e->name, e->id_prop ? e->id_prop : "instanceUid");
        if (uid && uid[0] != '"')
            json_object_set_new(v, key, json_string(uid));
        free(uid);
    }
    json_decref(rules);
}

/* The body of op as bytes of its media type; *ct receives the header. */
char *rq_body(const request_builder *rb, const operation *op, uint64_t seed, size_t *blen, char *ct,
              size_t ctlen)
{
    const schema_ctx *ctx = &op->contract->schemas;
    if (!strcmp(op->operation_id, "OAuth2IssueToken")) {
        snprintf(ct, ctlen, "Content-Type: application/x-www-form-urlencoded");
        char *b = strdup("grant_type=password&username=administrator&password=Password1");
        *blen = strlen(b);
        return b;
    }
    if (op->body == BODY_BINARY) {
        snprintf(ct, ctlen, "Content-Type: application/octet-stream");
        char *b = strdup("\x01\x02patch-chunk");
        *blen = strlen(b);
        return b;
    }
    if (op->method == HTTP_PATCH) { /* a valid patch that changes nothing */
        snprintf(ct, ctlen, "Content-Type: application/json");
        *blen = 2;
        return strdup("[]");
    }
    json_t *v = generate_value(ctx, op->body_schema, NULL, seed);
    make_names_unique(v, op->operation_id, 0);
    name_real_records(rb, v);
    char *out = NULL;
    if (op->body == BODY_JSON) {
        snprintf(ct, ctlen, "Content-Type: application/json");
        out = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    } else { /* multipart/form-data: one part per property */
        const char *boundary = "vspcTestBoundary7MA4YWxkTrZu0gW";
        snprintf(ct, ctlen, "Content-Type: multipart/form-data; boundary=%s", boundary);
        size_t cap = 65536, used = 0;
        out = calloc(1, cap);
        const char *key;
        json_t *val;
        json_object_foreach(v, key, val) {
            char *text = rq_value_text(val);
            used += (size_t)snprintf(out + used, cap - used,
                                     "--%s\r\nContent-Disposition: form-data; name=\"%s\"%s\r\n\r\n%s\r\n",
                                     boundary, key, json_is_string(val) ? "; filename=\"x.lic\"" : "",
                                     text ? text : "");
            free(text);
        }
        snprintf(out + used, cap - used, "--%s--\r\n", boundary);
    }
    json_decref(v);
    *blen = out ? strlen(out) : 0;
    return out;
}
