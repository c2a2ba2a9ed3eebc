/* name_list.c — see name_list.h. */
#include "base/name_list.h"

#include <string.h>

bool name_list_next(const char **cursor, const char **name, size_t *len)
{
    const char *p = *cursor;
    if (!p || !*p)
        return false;
    const char *end = strchr(p, ',');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    while (n && *p == ' ') {
        p++;
        n--;
    }
    *name = p;
    *len = n;
    *cursor = end ? end + 1 : NULL;
    return true;
}

bool name_list_has(const char *list, const char *name)
{
    const char *p = list, *item;
    size_t len, n = name ? strlen(name) : 0;
    while (n && name_list_next(&p, &item, &len))
        if (len == n && !strncmp(item, name, n))
            return true;
    return false;
}
