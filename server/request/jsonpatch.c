/* jsonpatch.c — JSON Patch (RFC 6902) for VSPC's PATCH operations: parses
 * JSON Pointers (RFC 6901), applies add, remove, replace, move, copy and
 * test to a private copy of the document, coerces string values by the
 * contract's schema of the target, and validates the result (the contract
 * is in jsonpatch.h).
 *
 * Atomicity comes from ownership: the working copy belongs to the call and
 * is handed to the caller only when every operation and the final
 * validation succeeded; otherwise it is released. Recursion (measuring a
 * value, comparing two values) is bounded by JSONPATCH_MAX_DEPTH, which the
 * working copy never exceeds: every insertion is measured first.
 */
#include "request/jsonpatch.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "request/params.h"
#include "base/utf8.h"

#define MAX_ALLOF_DEPTH 16 /* allOf nesting looked through for a keyword */
#define SHOWN_TEXT 80      /* longest text quoted in a message, in bytes */

#if defined(__GNUC__)
#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PRINTF_LIKE(fmt, args)
#endif

/* A parsed JSON Pointer: the unescaped reference tokens. */
typedef struct pointer {
    const char *text;                        /* as sent (borrowed) */
    char *buf;                               /* owned: the tokens, each NUL-ended */
    const char *tokens[JSONPATCH_MAX_DEPTH]; /* into buf */
    size_t n;                                /* 0: the whole document */
} pointer;

typedef enum op_kind { OP_ADD, OP_REMOVE, OP_REPLACE, OP_MOVE, OP_COPY, OP_TEST } op_kind;

static const char *const OP_NAMES[] = {"add", "remove", "replace", "move", "copy", "test"};

/* Everything one jsonpatch_apply call works with. */
typedef struct patch_state {
    const schema_ctx *ctx;
    const json_t *schema;  /* of the whole document; NULL: no coercion, no validation */
    json_t *root;          /* the working copy (owned by the call) */
    size_t inserted;       /* JSON values inserted so far (add, replace, copy) */
    long index;            /* the operation being applied; -1 outside one */
    const char *path;      /* its "path" as sent, or NULL */
    jsonpatch_error *err;  /* may be NULL */
} patch_state;

/* ---- messages ------------------------------------------------------------ */

/* Copies the first len bytes of text into dst (size >= 8 bytes); when they
 * do not fit, keeps whole characters of at most size - 4 bytes and ends
 * with "...". */
static void cut(char *dst, size_t size, const char *text, size_t len)
{
    if (len >= size) {
        len = size - 4;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--; /* text[len] continues a character: keep none of it */
        memcpy(dst, text, len);
        memcpy(dst + len, "...", 4);
        return;
    }
    memcpy(dst, text, len);
    dst[len] = '\0';
}

/* Ends text that filled all size (>= 8) bytes of buf with "...", on a
 * character boundary. */
static void end_with_dots(char *buf, size_t size)
{
    size_t len = size - 4;
    while (len > 0 && ((unsigned char)buf[len] & 0xC0) == 0x80)
        len--;
    memcpy(buf + len, "...", 4);
}

/* Room for one text quoted in a message. */
typedef struct shown {
    char s[SHOWN_TEXT + 4];
} shown;

/* The first len bytes of text, cut for a message. */
static const char *show_n(const char *text, size_t len, shown *out)
{
    cut(out->s, sizeof out->s, text, len);
    return out->s;
}

static const char *show(const char *text, shown *out)
{
    return show_n(text, strlen(text), out);
}

/* v for a message: text in single quotes, anything else as compact JSON. */
static const char *show_value(const json_t *v, shown *out)
{
    if (json_is_string(v)) {
        out->s[0] = '\'';
        cut(out->s + 1, sizeof out->s - 2, json_string_value(v), strlen(json_string_value(v)));
        strcat(out->s, "'");
        return out->s;
    }
    char *dumped = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    show(dumped ? dumped : "(a value)", out);
    free(dumped);
    return out->s;
}


/* Records a failure of the current operation; always returns false. */
PRINTF_LIKE(2, 3)
static bool fail(patch_state *st, const char *fmt, ...)
{
    jsonpatch_error *err = st->err;
    if (!err)
        return false;
    err->index = st->index;
    const char *path = st->path ? st->path : "";
    cut(err->path, sizeof err->path, path, strlen(path));
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof err->message)
        utf8_trim_partial(err->message);
    return false;
}

/* ---- JSON Pointer ------------------------------------------------------ */

/* Parses the string `json` into p: "" (the whole document) or tokens each
 * after a '/' (RFC 6901). what ("path", "from path") names it in messages.
 * p owns a buffer afterwards, even on failure: release it with
 * pointer_free. */
static bool pointer_parse(patch_state *st, const json_t *json, const char *what, pointer *p)
{
    const char *text = json_string_value(json);
    size_t len = json_string_length(json);
    shown s;
    p->text = text;
    p->n = 0;
    p->buf = malloc(len + 1); /* unescaping never lengthens a token */
    if (!p->buf)
        return fail(st, "Out of memory.");
    if (strlen(text) != len)
        return fail(st, "The %s contains a NUL character.", what);
    if (len == 0)
        return true;
    if (text[0] != '/')
        return fail(st, "The %s '%s' is not a valid JSON Pointer: it must be empty or start "
                        "with '/'.", what, show(text, &s));
    const char *in = text + 1;
    char *out = p->buf;
    for (;;) {
        if (p->n == JSONPATCH_MAX_DEPTH)
            return fail(st, "The %s '%s' is nested too deeply: at most %d levels are allowed.",
                        what, show(text, &s), JSONPATCH_MAX_DEPTH);
        p->tokens[p->n++] = out;
        for (; *in && *in != '/'; in++) {
            if (*in == '~') { /* ~0 is '~', ~1 is '/' */
                if (in[1] != '0' && in[1] != '1')
                    return fail(st, "The %s '%s' is not a valid JSON Pointer: '~' must be "
                                    "followed by '0' or '1'.", what, show(text, &s));
                in++;
                *out++ = *in == '0' ? '~' : '/';
            } else {
                *out++ = *in;
            }
        }
        *out++ = '\0';
        if (*in == '\0')
            return true;
        in++; /* the '/' before the next token */
    }
}

static void pointer_free(pointer *p)
{
    free(p->buf);
    p->buf = NULL;
}

/* True if a and b name the same location. */
static bool pointer_same(const pointer *a, const pointer *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->tokens[i], b->tokens[i]) != 0)
            return false;
    return true;
}

/* True if b lies strictly inside a (a is a proper prefix of b). */
static bool pointer_inside(const pointer *a, const pointer *b)
{
    if (a->n >= b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->tokens[i], b->tokens[i]) != 0)
            return false;
    return true;
}

/* The length of the part of p's text that covers its first k tokens. */
static size_t prefix_length(const pointer *p, size_t k)
{
    if (k == 0)
        return 0;
    const char *end = p->text + 1; /* after the leading '/' */
    for (size_t seen = 0; *end; end++)
        if (*end == '/' && ++seen == k)
            break;
    return (size_t)(end - p->text);
}

/* Reads the array index `token` of p for an array of `size` items. With
 * for_add, "-" and `size` itself (both: the end) are allowed too. */
static bool array_index(patch_state *st, const pointer *p, const char *what, const char *token,
                        size_t size, bool for_add, size_t *out)
{
    shown sp, stok;
    if (strcmp(token, "-") == 0) {
        if (for_add) {
            *out = size;
            return true;
        }
        return fail(st, "The %s '%s' uses '-', which names no existing element: only an add "
                        "operation can append with it.", what, show(p->text, &sp));
    }
    bool digits = token[0] != '\0';
    for (const char *c = token; *c; c++)
        digits = digits && *c >= '0' && *c <= '9';
    if (!digits || (token[0] == '0' && token[1] != '\0'))
        return fail(st, "The %s '%s' has an invalid array index '%s': an index is a number "
                        "without leading zeros.", what, show(p->text, &sp), show(token, &stok));
    size_t v = 0;
    bool huge = false;
    for (const char *c = token; *c && !huge; c++) {
        huge = v > (SIZE_MAX - 9) / 10;
        v = v * 10 + (size_t)(*c - '0');
    }
    if (huge || v > size || (v == size && !for_add))
        return fail(st, "The %s '%s' is out of range: the array has %zu element%s.", what,
                    show(p->text, &sp), size, size == 1 ? "" : "s");
    *out = v;
    return true;
}

/* The value at the first `depth` tokens of p in the working copy, or NULL
 * with the error set. */
static json_t *resolve(patch_state *st, const pointer *p, size_t depth, const char *what)
{
    json_t *node = st->root;
    for (size_t i = 0; i < depth; i++) {
        json_t *next = NULL;
        if (json_is_object(node)) {
            next = json_object_get(node, p->tokens[i]);
        } else if (json_is_array(node)) {
            size_t k;
            if (!array_index(st, p, what, p->tokens[i], json_array_size(node), false, &k))
                return NULL;
            next = json_array_get(node, k);
        }
        if (!next) {
            shown sp, sq;
            if (i + 1 == p->n)
                fail(st, "The %s '%s' does not exist.", what, show(p->text, &sp));
            else if (!json_is_object(node) && !json_is_array(node))
                fail(st, "The %s '%s' does not exist: '%s' is not an object or array.", what,
                     show(p->text, &sp), show_n(p->text, prefix_length(p, i), &sq));
            else
                fail(st, "The %s '%s' does not exist: '%s' is missing.", what,
                     show(p->text, &sp), show_n(p->text, prefix_length(p, i + 1), &sq));
            return NULL;
        }
        node = next;
    }
    return node;
}

/* ---- changing the working copy ----------------------------------------- */

/* Puts value (the call takes its reference) at p: sets an object member
 * or inserts into an array, or with `replace` overwrites what is there. */
static bool attach(patch_state *st, const pointer *p, json_t *value, bool replace)
{
    if (p->n == 0) {
        json_decref(st->root);
        st->root = value;
        return true;
    }
    json_t *parent = resolve(st, p, p->n - 1, "path");
    const char *last = p->tokens[p->n - 1];
    shown sp;
    if (json_is_object(parent)) {
        if (replace && !json_object_get(parent, last)) {
            json_decref(value);
            return fail(st, "The path '%s' does not exist.", show(p->text, &sp));
        }
        return json_object_set_new(parent, last, value) == 0 || fail(st, "Out of memory.");
    }
    if (json_is_array(parent)) {
        size_t k;
        if (!array_index(st, p, "path", last, json_array_size(parent), !replace, &k)) {
            json_decref(value);
            return false;
        }
        int rc = replace ? json_array_set_new(parent, k, value)
                         : json_array_insert_new(parent, k, value);
        return rc == 0 || fail(st, "Out of memory.");
    }
    json_decref(value);
    if (!parent)
        return false; /* resolve said why */
    shown sq;
    return fail(st, "The path '%s' does not exist: '%s' is not an object or array.",
                show(p->text, &sp), show_n(p->text, prefix_length(p, p->n - 1), &sq));
}

/* Takes the value at p out of the working copy: returns it (a new
 * reference) or NULL with the error set. */
static json_t *detach(patch_state *st, const pointer *p, const char *what)
{
    if (p->n == 0) {
        fail(st, "The whole document cannot be removed.");
        return NULL;
    }
    json_t *parent = resolve(st, p, p->n, what) ? resolve(st, p, p->n - 1, what) : NULL;
    if (!parent)
        return NULL;
    const char *last = p->tokens[p->n - 1];
    json_t *value;
    if (json_is_object(parent)) {
        value = json_incref(json_object_get(parent, last));
        json_object_del(parent, last);
    } else {
        size_t k;
        if (!array_index(st, p, what, last, json_array_size(parent), false, &k))
            return NULL;
        value = json_incref(json_array_get(parent, k));
        json_array_remove(parent, k);
    }
    return value;
}

/* ---- schemas and coercion ---------------------------------------------- */

/* schema[keyword], or schema[keyword][key] when key is not NULL, looked up
 * in the schema, what it refers to and its allOf members; NULL if absent. */
static const json_t *find_keyword(const schema_ctx *ctx, const json_t *schema,
                                  const char *keyword, const char *key, int depth)
{
    schema = schema_resolve(ctx, schema);
    if (!json_is_object(schema))
        return NULL;
    const json_t *found = json_object_get(schema, keyword);
    if (found && key)
        found = json_object_get(found, key);
    if (found || depth >= MAX_ALLOF_DEPTH)
        return found;
    size_t i;
    const json_t *member;
    json_array_foreach(json_object_get(schema, "allOf"), i, member) {
        found = find_keyword(ctx, member, keyword, key, depth + 1);
        if (found)
            return found;
    }
    return NULL;
}

/* The schema of member `token` of a value of `schema`: its items for an
 * array, else its property or a schema given as additionalProperties;
 * NULL when the contract does not say. */
static const json_t *child_schema(const schema_ctx *ctx, const json_t *schema, const char *token)
{
    const char *type = schema_type(ctx, schema);
    if (type && strcmp(type, "array") == 0)
        return find_keyword(ctx, schema, "items", NULL, 0);
    const json_t *prop = find_keyword(ctx, schema, "properties", token, 0);
    if (prop)
        return prop;
    const json_t *extra = find_keyword(ctx, schema, "additionalProperties", NULL, 0);
    return json_is_object(extra) ? extra : NULL;
}

/* The schema of the value at p, or NULL when none is known. */
static const json_t *target_schema(const patch_state *st, const pointer *p)
{
    const json_t *s = st->schema;
    for (size_t i = 0; s && i < p->n; i++)
        s = child_schema(st->ctx, s, p->tokens[i]);
    return s;
}

/* What a value of a type must look like, for a message. */
static void expectation(const char *type, const json_t *members, char *out, size_t size)
{
    if (json_is_array(members)) {
        size_t used = (size_t)snprintf(out, size, "it must be one of: ");
        size_t i;
        const json_t *m;
        json_array_foreach(members, i, m) {
            const char *text = json_string_value(m);
            if (used < size && text)
                used += (size_t)snprintf(out + used, size - used, "%s%s", i ? ", " : "", text);
        }
        if (used < size)
            snprintf(out + used, size - used, ".");
        else
            end_with_dots(out, size);
        return;
    }
    const char *what = !strcmp(type, "integer") ? "an integer is expected."
                     : !strcmp(type, "number")  ? "a number is expected."
                     : !strcmp(type, "boolean") ? "true or false is expected."
                     : !strcmp(type, "object")  ? "a JSON object is expected."
                     : !strcmp(type, "array")   ? "a JSON array is expected."
                                                : "it does not match the contract.";
    snprintf(out, size, "%s", what);
}

/* The value the string `value` stands for at p: converted when the schema
 * types that place as anything but free text (integer, number, boolean,
 * object, array, enum), else a copy. NULL with the error set on failure. */
static json_t *coerce_text(patch_state *st, const pointer *p, const json_t *value)
{
    const json_t *s = st->schema ? target_schema(st, p) : NULL;
    const char *type = s ? schema_type(st->ctx, s) : NULL;
    const json_t *members = s ? find_keyword(st->ctx, s, "enum", NULL, 0) : NULL;
    const char *text = json_string_value(value);
    json_t *out = NULL;
    if (!type || (strcmp(type, "string") == 0 && !json_is_array(members))) {
        out = json_deep_copy(value);
        if (!out)
            fail(st, "Out of memory.");
        return out;
    }
    bool ok;
    if (strcmp(type, "object") == 0 || strcmp(type, "array") == 0) {
        out = json_loads(text, 0, NULL); /* an object or an array, or NULL */
        ok = out && (strcmp(type, "object") == 0 ? json_is_object(out) : json_is_array(out));
    } else {
        char why[256];
        ok = params_coerce(st->ctx, s, &text, 1, &out, why, sizeof why);
    }
    if (ok)
        return out;
    json_decref(out);
    char expected[300];
    shown sv, sp;
    expectation(type, members, expected, sizeof expected);
    fail(st, "The value '%s' is not valid for '%s': %s", show(text, &sv), show(p->text, &sp),
         expected);
    return NULL;
}

/* The depth of v in levels (1 for a scalar or an empty container),
 * counting its values into *nodes. Looks at most `limit` levels down: a
 * deeper value gives a result above limit. Stops once *nodes passes cap. */
static size_t measure(const json_t *v, size_t limit, size_t *nodes, size_t cap)
{
    if (limit == 0)
        return 1;
    (*nodes)++;
    size_t deepest = 0;
    json_t *container = (json_t *)v; /* jansson iterates non-const values; nothing changes */
    if (json_is_object(v)) {
        const char *key;
        json_t *child;
        json_object_foreach(container, key, child) {
            size_t d = measure(child, limit - 1, nodes, cap);
            deepest = d > deepest ? d : deepest;
            if (deepest >= limit || *nodes > cap)
                break;
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *child;
        json_array_foreach(container, i, child) {
            size_t d = measure(child, limit - 1, nodes, cap);
            deepest = d > deepest ? d : deepest;
            if (deepest >= limit || *nodes > cap)
                break;
        }
    }
    return deepest + 1;
}

/* Checks that value may be put at p: the document stays at most
 * JSONPATCH_MAX_DEPTH levels deep and, when `counted`, the patch inserts at
 * most JSONPATCH_MAX_NODES values in all (which it then records). */
static bool admit(patch_state *st, const pointer *p, const json_t *value, bool counted)
{
    size_t room = JSONPATCH_MAX_DEPTH - p->n, nodes = 0;
    size_t budget = JSONPATCH_MAX_NODES - st->inserted;
    shown sp;
    if (measure(value, room, &nodes, budget) > room)
        return fail(st, "The value for '%s' is nested too deeply: a document may be at most %d "
                        "levels deep.", show(p->text, &sp), JSONPATCH_MAX_DEPTH);
    if (!counted)
        return true;
    if (nodes > budget)
        return fail(st, "The patch inserts too much: at most %d JSON values in all.",
                    JSONPATCH_MAX_NODES);
    st->inserted += nodes;
    return true;
}

/* A new value to insert at p from an operation's "value": coerced text or
 * a copy, admitted by size. NULL with the error set on failure. */
static json_t *new_value(patch_state *st, const pointer *p, const json_t *value)
{
    if (json_is_string(value)) {
        json_t *v = coerce_text(st, p, value);
        if (v && !admit(st, p, v, true)) {
            json_decref(v);
            return NULL;
        }
        return v;
    }
    if (!admit(st, p, value, true))
        return NULL;
    json_t *v = json_deep_copy(value);
    if (!v)
        fail(st, "Out of memory.");
    return v;
}

/* JSON equality as RFC 6902 defines it for "test": numbers by value,
 * objects regardless of member order. Recursion ends with the shallower of
 * a and b, and a is in the (depth-bounded) document. */
static bool values_equal(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b)) {
        if (json_is_integer(a) && json_is_integer(b))
            return json_integer_value(a) == json_integer_value(b);
        return json_number_value(a) == json_number_value(b);
    }
    if (json_typeof(a) != json_typeof(b))
        return false;
    if (json_is_object(a)) {
        if (json_object_size(a) != json_object_size(b))
            return false;
        const char *key;
        json_t *member;
        json_object_foreach((json_t *)a, key, member) {
            const json_t *other = json_object_get(b, key);
            if (!other || !values_equal(member, other))
                return false;
        }
        return true;
    }
    if (json_is_array(a)) {
        if (json_array_size(a) != json_array_size(b))
            return false;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!values_equal(json_array_get(a, i), json_array_get(b, i)))
                return false;
        return true;
    }
    return json_equal(a, b);
}

/* ---- the six operations ------------------------------------------------ */

static bool op_add(patch_state *st, const pointer *path, const json_t *value)
{
    /* The parent must exist before the value is looked at. */
    if (path->n > 0 && !resolve(st, path, path->n - 1, "path"))
        return false;
    json_t *v = new_value(st, path, value);
    return v && attach(st, path, v, false);
}

static bool op_remove(patch_state *st, const pointer *path)
{
    json_t *old = detach(st, path, "path");
    json_decref(old);
    return old != NULL;
}

static bool op_replace(patch_state *st, const pointer *path, const json_t *value)
{
    if (!resolve(st, path, path->n, "path"))
        return false;
    json_t *v = new_value(st, path, value);
    return v && attach(st, path, v, true);
}

/* Removes the value at `from` and adds it at `path` (RFC 6902 4.4). */
static bool op_move(patch_state *st, const pointer *from, const pointer *path)
{
    const json_t *value = resolve(st, from, from->n, "from path");
    if (!value)
        return false;
    if (pointer_same(from, path))
        return true;
    shown sf, sp;
    if (pointer_inside(from, path))
        return fail(st, "A value cannot be moved into itself: '%s' lies inside '%s'.",
                    show(path->text, &sp), show(from->text, &sf));
    if (!admit(st, path, value, false))
        return false;
    json_t *moved = detach(st, from, "from path");
    return moved && attach(st, path, moved, false);
}

/* Adds a copy of the value at `from` at `path` (RFC 6902 4.5). */
static bool op_copy(patch_state *st, const pointer *from, const pointer *path)
{
    const json_t *value = resolve(st, from, from->n, "from path");
    if (!value || (path->n > 0 && !resolve(st, path, path->n - 1, "path")) ||
        !admit(st, path, value, true))
        return false;
    json_t *copy = json_deep_copy(value);
    return copy ? attach(st, path, copy, false) : fail(st, "Out of memory.");
}

/* Checks that the value at path equals `value` (coerced like add's). */
static bool op_test(patch_state *st, const pointer *path, const json_t *value)
{
    const json_t *actual = resolve(st, path, path->n, "path");
    if (!actual)
        return false;
    json_t *owned = NULL;
    if (json_is_string(value)) {
        owned = coerce_text(st, path, value);
        if (!owned)
            return false;
        value = owned;
    }
    bool same = values_equal(actual, value);
    if (!same) {
        shown sp, sa, sv;
        fail(st, "The test operation failed: '%s' is %s, not %s.", show(path->text, &sp),
             show_value(actual, &sa), show_value(value, &sv));
    }
    json_decref(owned);
    return same;
}

/* ---- one operation object ---------------------------------------------- */

/* The kind named `name` (any case). */
static bool op_lookup(const char *name, op_kind *kind)
{
    for (size_t i = 0; i < sizeof OP_NAMES / sizeof OP_NAMES[0]; i++) {
        if (strcasecmp(name, OP_NAMES[i]) == 0) {
            *kind = (op_kind)i;
            return true;
        }
    }
    return false;
}

/* The string member `name` of an operation `opname`, or NULL with the
 * error set when it is absent or not a string. */
static const json_t *string_member(patch_state *st, const json_t *op, const char *name,
                                   const char *opname)
{
    const json_t *m = json_object_get(op, name);
    if (!m)
        fail(st, "The '%s' operation has no '%s' member.", opname, name);
    else if (!json_is_string(m))
        fail(st, "The '%s' member of the '%s' operation must be a string.", name, opname);
    return json_is_string(m) ? m : NULL;
}

/* Runs a checked operation on parsed pointers. */
static bool run(patch_state *st, op_kind kind, const pointer *path, const pointer *from,
                const json_t *value)
{
    switch (kind) {
    case OP_ADD: return op_add(st, path, value);
    case OP_REMOVE: return op_remove(st, path);
    case OP_REPLACE: return op_replace(st, path, value);
    case OP_MOVE: return op_move(st, from, path);
    case OP_COPY: return op_copy(st, from, path);
    case OP_TEST: return op_test(st, path, value);
    }
    return fail(st, "Unknown operation.");
}

/* Checks operation object `op` has what its kind needs and applies it. */
static bool apply_one(patch_state *st, const json_t *op)
{
    if (!json_is_object(op))
        return fail(st, "An operation must be a JSON object.");
    const json_t *name = json_object_get(op, "op");
    if (!name)
        return fail(st, "The operation has no 'op' member.");
    if (!json_is_string(name))
        return fail(st, "The 'op' member must be a string.");
    op_kind kind;
    shown sn;
    if (!op_lookup(json_string_value(name), &kind))
        return fail(st, "Unknown operation '%s'.", show(json_string_value(name), &sn));
    const char *opname = OP_NAMES[kind];
    const json_t *path_json = string_member(st, op, "path", opname);
    if (!path_json)
        return false;
    st->path = json_string_value(path_json);
    const json_t *value = NULL, *from_json = NULL;
    if (kind == OP_ADD || kind == OP_REPLACE || kind == OP_TEST) {
        value = json_object_get(op, "value");
        if (!value)
            return fail(st, "The '%s' operation has no 'value' member.", opname);
    }
    if ((kind == OP_MOVE || kind == OP_COPY) &&
        !(from_json = string_member(st, op, "from", opname)))
        return false;
    pointer path = {0}, from = {0};
    bool ok = pointer_parse(st, path_json, "path", &path) &&
              (!from_json || pointer_parse(st, from_json, "from path", &from)) &&
              run(st, kind, &path, &from, value);
    pointer_free(&path);
    pointer_free(&from);
    return ok;
}

/* ---- the whole patch --------------------------------------------------- */

/* Validates the result against the document schema. */
static bool check_result(patch_state *st)
{
    schema_error serr;
    if (schema_validate(st->ctx, st->schema, st->root, &serr))
        return true;
    if (serr.path[0] == '\0')
        return fail(st, "The patched document is not valid: %s", serr.message);
    return fail(st, "The patched document is not valid at '%s': %s", serr.path, serr.message);
}

json_t *jsonpatch_apply(const schema_ctx *ctx, const json_t *schema, const json_t *doc,
                        const json_t *patch, jsonpatch_error *err)
{
    patch_state st = {ctx, ctx ? schema : NULL, NULL, 0, -1, NULL, err};
    if (err) {
        err->index = -1;
        err->path[0] = '\0';
        err->message[0] = '\0';
    }
    if (!doc) {
        fail(&st, "There is no document to patch.");
        return NULL;
    }
    if (!json_is_array(patch) && !json_is_object(patch)) {
        fail(&st, "The patch must be an array of operations.");
        return NULL;
    }
    size_t count = json_is_array(patch) ? json_array_size(patch) : 1, nodes = 0;
    if (count > JSONPATCH_MAX_OPS) {
        fail(&st, "The patch has %zu operations: at most %d are allowed.", count,
             JSONPATCH_MAX_OPS);
        return NULL;
    }
    if (measure(doc, JSONPATCH_MAX_DEPTH, &nodes, SIZE_MAX) > JSONPATCH_MAX_DEPTH) {
        fail(&st, "The document is nested too deeply to patch: at most %d levels.",
             JSONPATCH_MAX_DEPTH);
        return NULL;
    }
    st.root = json_deep_copy(doc);
    if (!st.root) {
        fail(&st, "Out of memory.");
        return NULL;
    }
    for (size_t i = 0; i < count; i++) {
        st.index = (long)i;
        st.path = NULL;
        if (!apply_one(&st, json_is_array(patch) ? json_array_get(patch, i) : patch))
            goto failed;
    }
    st.index = -1;
    st.path = NULL;
    if (st.schema && !check_result(&st))
        goto failed;
    return st.root;
failed:
    json_decref(st.root);
    return NULL;
}
