/* json_pointer.c — see json_pointer.h. */
#include "base/json_pointer.h"

#include <string.h>

json_t *json_pointer_get(const json_t *doc, const char *ptr)
{
    if (!ptr || (*ptr && *ptr != '/'))
        return NULL;
    while (doc && *ptr == '/') {
        const char *name = ptr + 1, *next = strchr(name, '/');
        size_t n = next ? (size_t)(next - name) : strlen(name);
        /* a name is looked up in place: jansson's getn takes its length */
        doc = json_is_object(doc) ? json_object_getn(doc, name, n) : NULL;
        ptr = name + n;
    }
    return (json_t *)doc;
}
