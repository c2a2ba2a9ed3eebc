/* invariant_paths.c — see invariant_paths.h. */
#include "world/invariant_paths.h"

#include <string.h>

size_t inv_path_slots(json_t *obj, const char *path, inv_slot *out, size_t max)
{
    if (!json_is_object(obj) || max == 0)
        return 0;
    const char *slash = strchr(path, '/');
    size_t seg = slash ? (size_t)(slash - path) : strlen(path);
    char name[128];
    if (seg >= sizeof name)
        return 0;
    memcpy(name, path, seg);
    name[seg] = 0;
    void *it = json_object_iter_at(obj, name);
    if (it) {
        /* the key's own storage, so the slot outlives this frame */
        const char *key = json_object_iter_key(it);
        json_t *value = json_object_iter_value(it);
        if (!slash) {
            out[0] = (inv_slot){.parent = obj, .key = key, .value = value};
            return 1;
        }
        const char *rest = slash + 1;
        if (rest[0] == '*' && (rest[1] == '/' || rest[1] == 0)) {
            size_t n = 0, i;
            json_t *item;
            json_array_foreach(value, i, item) {
                if (n >= max)
                    break;
                if (rest[1] == 0)
                    out[n++] = (inv_slot){.parent = value, .index = i, .value = item};
                else
                    n += inv_path_slots(item, rest + 2, out + n, max - n);
            }
            return n;
        }
        return inv_path_slots(value, rest, out, max);
    }
    return 0;
}

json_t *inv_path_first(json_t *obj, const char *path, inv_slot *slot)
{
    inv_slot s[INV_MAX_SLOTS];
    size_t n = inv_path_slots(obj, path, s, INV_MAX_SLOTS);
    if (n == 0)
        return NULL;
    if (slot)
        *slot = s[0];
    return s[0].value;
}

void inv_slot_set(inv_slot *s, json_t *v)
{
    if (s->key)
        json_object_set_new(s->parent, s->key, v);
    else
        json_array_set_new(s->parent, s->index, v);
    s->value = v;
}
