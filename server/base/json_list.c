/* json_list.c — see json_list.h. */
#include "base/json_list.h"

#include <string.h>

ssize_t json_list_index(const json_t *list, const char *name)
{
    size_t i;
    const json_t *v;
    if (!name)
        return -1;
    json_array_foreach(list, i, v)
        if (json_is_string(v) && !strcmp(json_string_value(v), name))
            return (ssize_t)i;
    return -1;
}

bool json_list_has(const json_t *list, const char *name) { return json_list_index(list, name) >= 0; }
