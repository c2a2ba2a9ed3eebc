/* redact.c — see redact.h. */
#include "journal/redact.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/utf8.h"

/* Bodies larger than this are not parsed to be redacted: the journal keeps
 * only their first bytes anyway, and a client's 32 MB upload should not
 * cost a second parse. */
#define REDACT_MAX_PARSE (256 * 1024)

#define MAX_RULES 64
#define RULE_LEN 32

struct redact_rules {
    size_t nnames, nfragments;
    char names[MAX_RULES][RULE_LEN];
    char fragments[MAX_RULES][RULE_LEN];
};

/* A name folded for comparison: lower case, without '_' and '-'. */
static size_t fold(const char *name, size_t len, char *out, size_t outlen)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < outlen; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c != '_' && c != '-')
            out[n++] = (char)tolower(c);
    }
    out[n] = 0;
    return n;
}

static bool load_list(const json_t *doc, const char *key, char (*out)[RULE_LEN], size_t *n,
                      char *err, size_t errlen)
{
    const json_t *list = json_object_get(doc, key);
    if (!json_is_array(list) || json_array_size(list) > MAX_RULES) {
        snprintf(err, errlen, "journal.json: \"%s\" must be a list of at most %d names", key,
                 MAX_RULES);
        return false;
    }
    size_t i;
    const json_t *item;
    json_array_foreach(list, i, item) {
        const char *s = json_string_value(item);
        if (!s || !*s || strlen(s) >= RULE_LEN) {
            snprintf(err, errlen, "journal.json: \"%s\"[%zu] must be a name of 1 to %d characters",
                     key, i, RULE_LEN - 1);
            return false;
        }
        fold(s, strlen(s), out[(*n)++], RULE_LEN);
    }
    return true;
}

redact_rules *redact_rules_new(const json_t *doc, char *err, size_t errlen)
{
    redact_rules *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (!load_list(doc, "secretNames", r->names, &r->nnames, err, errlen) ||
        !load_list(doc, "secretFragments", r->fragments, &r->nfragments, err, errlen)) {
        free(r);
        return NULL;
    }
    return r;
}

void redact_rules_free(redact_rules *r) { free(r); }

bool redact_is_secret(const redact_rules *r, const char *name, size_t len)
{
    char folded[256];
    fold(name, len, folded, sizeof folded);
    for (size_t i = 0; i < r->nnames; i++)
        if (!strcmp(folded, r->names[i]))
            return true;
    for (size_t i = 0; i < r->nfragments; i++)
        if (strstr(folded, r->fragments[i]))
            return true;
    return false;
}

void redact_authorization(const char *value, char *out, size_t len)
{
    size_t scheme = 0;
    while (value[scheme] && value[scheme] != ' ' && scheme < 32)
        scheme++;
    /* by hand: snprintf was most of the journal's cost of a GET */
    static const char tail[] = " " REDACTED;
    if (len < scheme + sizeof tail)
        scheme = 0;
    memcpy(out, value, scheme);
    if (scheme) {
        memcpy(out + scheme, tail, sizeof tail);
        utf8_repair(out);
    } else if (len > sizeof REDACTED - 1) {
        memcpy(out, REDACTED, sizeof REDACTED);
    } else if (len) {
        out[0] = 0;
    }
}

/* A JSON Patch operation ({"op", "path", "value"}) on a secret member. */
static bool patch_of_secret(const redact_rules *r, const json_t *op)
{
    const char *path = json_string_value(json_object_get(op, "path"));
    if (!path || !json_object_get(op, "op"))
        return false;
    const char *last = strrchr(path, '/');
    last = last ? last + 1 : path;
    return *last && redact_is_secret(r, last, strlen(last));
}

void redact_json(const redact_rules *r, json_t *json)
{
    if (json_is_object(json)) {
        if (patch_of_secret(r, json) && json_object_get(json, "value"))
            json_object_set_new(json, "value", json_string(REDACTED));
        const char *key;
        json_t *value;
        json_object_foreach(json, key, value) {
            if (redact_is_secret(r, key, strlen(key)))
                json_object_set_new(json, key, json_string(REDACTED));
            else
                redact_json(r, value);
        }
    } else if (json_is_array(json)) {
        size_t i;
        json_t *item;
        json_array_foreach(json, i, item) redact_json(r, item);
    }
}

/* Percent-decodes a form name (and '+' as a space) into out. */
static size_t form_decode(const char *s, size_t len, char *out, size_t outlen)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < outlen; i++) {
        if (s[i] == '+') {
            out[n++] = ' ';
        } else if (s[i] == '%' && i + 2 < len && isxdigit((unsigned char)s[i + 1]) &&
                   isxdigit((unsigned char)s[i + 2])) {
            char hex[3] = {s[i + 1], s[i + 2], 0};
            out[n++] = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            out[n++] = s[i];
        }
    }
    out[n] = 0;
    return n;
}

/* The form body with the values of secret fields replaced, as sent
 * otherwise (still encoded). */
static char *redact_form(const redact_rules *r, const char *body, size_t len)
{
    buf out;
    buf_init(&out);
    size_t i = 0;
    while (i <= len) {
        size_t end = i;
        while (end < len && body[end] != '&')
            end++;
        const char *pair = body + i;
        size_t plen = end - i;
        const char *eq = memchr(pair, '=', plen);
        size_t nlen = eq ? (size_t)(eq - pair) : plen;
        char name[256];
        size_t dlen = form_decode(pair, nlen, name, sizeof name);
        if (i)
            buf_append(&out, "&", 1);
        if (eq && redact_is_secret(r, name, dlen)) {
            buf_append(&out, pair, nlen + 1);
            buf_append(&out, REDACTED, strlen(REDACTED));
        } else {
            buf_append(&out, pair, plen);
        }
        i = end + 1;
    }
    return buf_take(&out, NULL);
}

static bool media_is(const char *media, size_t mlen, const char *want)
{
    return mlen == strlen(want) && !strncasecmp(media, want, mlen);
}

static bool media_is_json(const char *media, size_t mlen)
{
    return media_is(media, mlen, "application/json") || media_is(media, mlen, "text/json") ||
           (mlen > 5 && !strncasecmp(media + mlen - 5, "+json", 5));
}

static char *copy_text(const char *s, size_t len)
{
    char *t = malloc(len + 1);
    if (t) {
        memcpy(t, s, len);
        t[len] = 0;
    }
    return t;
}

char *redact_body(const redact_rules *r, const char *content_type, const char *body,
                  size_t len, const char **note)
{
    *note = "";
    if (!len)
        return NULL;
    if (len > REDACT_MAX_PARSE) {
        *note = "too large to be redacted: not kept";
        return NULL;
    }
    const char *media = content_type ? content_type : "";
    while (*media == ' ')
        media++;
    size_t mlen = strcspn(media, "; ");
    if (media_is(media, mlen, "application/x-www-form-urlencoded")) {
        char *text = redact_form(r, body, len);
        if (text && !utf8_valid(text))
            utf8_repair(text);
        return text;
    }
    if (media_is_json(media, mlen) || !mlen) {
        json_t *json = json_loadb(body, len, JSON_DECODE_ANY, NULL);
        if (!json) {
            *note = "not JSON: not kept, it could hold a secret";
            return NULL;
        }
        redact_json(r, json);
        char *text = json_dumps(json, JSON_ENCODE_ANY | JSON_COMPACT);
        json_decref(json);
        return text;
    }
    if (!strncasecmp(media, "text/", 5) && media_is(media, mlen, "text/plain")) {
        char *text = copy_text(body, len);
        if (text && strlen(text) == len && utf8_valid(text))
            return text;
        free(text);
    }
    *note = "not JSON, a form or text: not kept";
    return NULL;
}
