/* buf.c — see buf.h. */
#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf *b) { memset(b, 0, sizeof *b); }

void buf_free(buf *b)
{
    free(b->data);
    buf_init(b);
}

/* Makes room for `more` bytes and the terminating NUL. */
static bool reserve(buf *b, size_t more)
{
    if (b->failed)
        return false;
    if (b->len + more + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more + 1) {
        if (cap > ((size_t)-1) / 2) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *grown = realloc(b->data, cap);
    if (!grown) {
        b->failed = true;
        return false;
    }
    grown[b->len] = 0; /* a buffer nothing was appended to is "" too */
    b->data = grown;
    b->cap = cap;
    return true;
}

bool buf_reserve(buf *b, size_t more)
{
    if (b->failed)
        return false;
    if (b->len + more + 1 <= b->cap)
        return true;
    if (more > ((size_t)-1) / 2 - b->len) {
        b->failed = true;
        return false;
    }
    char *grown = realloc(b->data, b->len + more + 1);
    if (!grown) {
        b->failed = true;
        return false;
    }
    b->data = grown;
    b->cap = b->len + more + 1;
    return true;
}

bool buf_append(buf *b, const void *bytes, size_t len)
{
    if (!reserve(b, len))
        return false;
    if (len)
        memcpy(b->data + b->len, bytes, len);
    b->len += len;
    b->data[b->len] = 0;
    return true;
}

bool buf_puts(buf *b, const char *s) { return buf_append(b, s, strlen(s)); }

bool buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(b, (size_t)n))
        return false;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return true;
}

char *buf_take(buf *b, size_t *len)
{
    if (b->failed || !reserve(b, 0)) {
        buf_free(b);
        if (len)
            *len = 0;
        return NULL;
    }
    char *data = b->data;
    if (len)
        *len = b->len;
    buf_init(b);
    return data;
}
