/* buf.h — a growable byte buffer, for assembling response bodies from
 * stored JSON text without re-serialising it. The buffer owns its bytes;
 * buf_take() hands them over. Always NUL-terminated. */
#ifndef VSPC_BUF_H
#define VSPC_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct buf {
    char *data;
    size_t len, cap;
    bool failed; /* an allocation failed; later appends do nothing */
} buf;

void buf_init(buf *b);
void buf_free(buf *b);
bool buf_append(buf *b, const void *bytes, size_t len);
bool buf_puts(buf *b, const char *s);
bool buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Makes room for `more` bytes beyond len at once, exactly (no doubling),
 * so that an answer of known size is assembled without regrowing. */
bool buf_reserve(buf *b, size_t more);
/* The bytes (caller frees) and their length; the buffer is empty after. */
char *buf_take(buf *b, size_t *len);

#endif
