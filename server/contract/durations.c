/* durations.c — see durations.h. */
#include "contract/durations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/json_file.h"

typedef struct per_contract {
    const contract *c;
    double *seconds; /* one per operation */
    bool *async;
} per_contract;

struct durations {
    per_contract items[CONTRACT_MAX_VERSIONS];
    size_t count;
};

/* Whether one segment pattern (with * runs) matches seg (len bytes). */
static bool segment_match(const char *pat, size_t plen, const char *seg, size_t slen)
{
    if (plen == 0)
        return slen == 0;
    if (pat[0] == '*') {
        for (size_t k = 0; k <= slen; k++)
            if (segment_match(pat + 1, plen - 1, seg + k, slen - k))
                return true;
        return false;
    }
    return slen > 0 && pat[0] == seg[0] && segment_match(pat + 1, plen - 1, seg + 1, slen - 1);
}

static size_t seg_len(const char *s)
{
    const char *slash = strchr(s, '/');
    return slash ? (size_t)(slash - s) : strlen(s);
}

/* Whether pattern (from just after a '/') matches path (likewise). */
static bool path_match(const char *pat, const char *path, int depth)
{
    if (depth > 64)
        return false;
    if (!*pat)
        return !*path;
    size_t pl = seg_len(pat);
    const char *pnext = pat[pl] == '/' ? pat + pl + 1 : pat + pl;
    if (pl == 2 && !strncmp(pat, "**", 2)) {
        /* none, or one more segment and try again */
        if (path_match(pnext, path, depth + 1))
            return true;
        if (!*path)
            return false;
        size_t sl = seg_len(path);
        return path_match(pat, path[sl] == '/' ? path + sl + 1 : path + sl, depth + 1);
    }
    if (!*path)
        return false;
    size_t sl = seg_len(path);
    const char *snext = path[sl] == '/' ? path + sl + 1 : path + sl;
    return segment_match(pat, pl, path, sl) && path_match(pnext, snext, depth + 1);
}

bool durations_match(const char *rule, const char *method, const char *path)
{
    const char *space = rule ? strchr(rule, ' ') : NULL;
    if (!space || !method || !path || strlen(method) != (size_t)(space - rule) ||
        strncasecmp(rule, method, (size_t)(space - rule)))
        return false;
    const char *pat = space + 1;
    while (*pat == '/')
        pat++;
    while (*path == '/')
        path++;
    return path_match(pat, path, 0);
}

/* Whether the document lists a 202 response for op. */
static bool lists_202(const contract *c, const operation *op)
{
    char method[8];
    snprintf(method, sizeof method, "%s", http_method_name(op->method));
    for (char *p = method; *p; p++)
        *p = (char)(*p - 'A' + 'a');
    const json_t *o = json_object_get(json_object_get(json_object_get(c->doc, "paths"), op->path),
                                      method);
    return json_object_get(json_object_get(o, "responses"), "202") != NULL;
}

/* The time of op by the table, and whether a rule matched (*used marks
 * which). */
static double time_of(const json_t *table, const operation *op, bool *used)
{
    const json_t *exact = json_object_get(json_object_get(table, "operations"), op->operation_id);
    if (json_is_number(exact))
        return json_number_value(exact);
    size_t i;
    const json_t *rule;
    json_array_foreach(json_object_get(table, "rules"), i, rule) {
        const char *m = json_string_value(json_object_get(rule, "match"));
        if (durations_match(m, http_method_name(op->method), op->path)) {
            if (used)
                used[i] = true;
            return json_number_value(json_object_get(rule, "seconds"));
        }
    }
    return json_number_value(json_object_get(table, "default"));
}

/* The table's shape: rules with a match and non-negative seconds,
 * operations of numbers. */
static bool well_formed(const json_t *t, const contract *newest, char *err, size_t errlen)
{
    const json_t *def = json_object_get(t, "default"), *rules = json_object_get(t, "rules"),
                 *ops = json_object_get(t, "operations");
    if (!json_is_number(def) || json_number_value(def) < 0 || !json_is_array(rules) ||
        (ops && !json_is_object(ops))) {
        snprintf(err, errlen, "durations.json: \"default\" (seconds), \"rules\" (array) and"
                              " \"operations\" (object) are required");
        return false;
    }
    size_t i;
    const json_t *r;
    json_array_foreach(rules, i, r) {
        const char *m = json_string_value(json_object_get(r, "match"));
        const json_t *s = json_object_get(r, "seconds");
        if (!m || !strchr(m, ' ') || !json_is_number(s) || json_number_value(s) < 0) {
            snprintf(err, errlen,
                     "durations.json: rules[%zu] needs \"match\": \"METHOD pattern\" and"
                     " \"seconds\" >= 0",
                     i);
            return false;
        }
    }
    const char *id;
    const json_t *v;
    json_object_foreach((json_t *)ops, id, v) {
        if (!json_is_number(v) || json_number_value(v) < 0) {
            snprintf(err, errlen, "durations.json: operations.%s must be seconds >= 0", id);
            return false;
        }
        if (!contract_find_op(newest, id)) {
            snprintf(err, errlen, "durations.json: operations.%s names no operation of %s", id,
                     newest->version);
            return false;
        }
    }
    return true;
}

durations *durations_load(const char *schema_dir, const contract_set *set, char *err,
                          size_t errlen)
{
    json_t *t = json_file_load_in(schema_dir, "durations.json", JSON_REJECT_DUPLICATES, err,
                                  errlen);
    if (!t)
        return NULL;
    if (errlen)
        err[0] = 0;
    durations *d = set->count ? calloc(1, sizeof *d) : NULL;
    bool ok = d && well_formed(t, set->items[0], err, errlen);
    size_t nrules = json_array_size(json_object_get(t, "rules"));
    bool *used = ok ? calloc(nrules + 1, sizeof *used) : NULL;
    ok = ok && used;
    for (size_t v = 0; ok && v < set->count && v < CONTRACT_MAX_VERSIONS; v++) {
        const contract *c = set->items[v];
        per_contract *pc = &d->items[d->count++];
        pc->c = c;
        pc->seconds = calloc(c->nops + 1, sizeof *pc->seconds);
        pc->async = calloc(c->nops + 1, sizeof *pc->async);
        ok = pc->seconds && pc->async;
        for (size_t i = 0; ok && i < c->nops; i++) {
            /* a rule is stale only when the newest contract has no use for it */
            pc->seconds[i] = time_of(t, &c->ops[i], v == 0 ? used : NULL);
            pc->async[i] = lists_202(c, &c->ops[i]);
        }
    }
    for (size_t i = 0; ok && i < nrules; i++) {
        if (!used[i]) {
            snprintf(err, errlen, "durations.json: rules[%zu] (\"%s\") matches no operation of %s",
                     i,
                     json_string_value(
                         json_object_get(json_array_get(json_object_get(t, "rules"), i), "match")),
                     set->items[0]->version);
            ok = false;
        }
    }
    if (!ok && d && !err[0])
        snprintf(err, errlen, "durations.json: out of memory");
    free(used);
    json_decref(t);
    if (!ok) {
        durations_free(d);
        return NULL;
    }
    return d;
}

void durations_free(durations *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->count; i++) {
        free(d->items[i].seconds);
        free(d->items[i].async);
    }
    free(d);
}

static const per_contract *of(const durations *d, const operation *op, size_t *index)
{
    for (size_t i = 0; d && op && i < d->count; i++) {
        const contract *c = d->items[i].c;
        if (op >= c->ops && op < c->ops + c->nops) {
            *index = (size_t)(op - c->ops);
            return &d->items[i];
        }
    }
    return NULL;
}

double durations_of(const durations *d, const operation *op)
{
    size_t i;
    const per_contract *pc = of(d, op, &i);
    return pc ? pc->seconds[i] : 0;
}

bool durations_async_capable(const durations *d, const operation *op)
{
    size_t i;
    const per_contract *pc = of(d, op, &i);
    return pc && pc->async[i];
}
