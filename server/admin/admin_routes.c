/* admin_routes.c — see admin_routes.h. The table is the API: a new
 * endpoint is a row here, its handler in the file admin_endpoints.h names,
 * and its path in schema/admin-openapi.json. */
#include "admin/admin_routes.h"

#include <stdio.h>
#include <string.h>

#include "admin/admin_endpoints.h"

const admin_route admin_routes[] = {
    {"GET", "/_emulator/openapi.json", admin_get_openapi},
    {"GET", "/_emulator/status", admin_get_status},
    {"GET", "/_emulator/clock", admin_get_clock},
    {"PUT", "/_emulator/clock", admin_set_clock},
    {"POST", "/_emulator/clock/advance", admin_advance_clock},
    {"GET", "/_emulator/sessions", admin_get_sessions},
    {"GET", "/_emulator/journal", admin_get_journal},
    {"DELETE", "/_emulator/journal", admin_delete_journal},
    {"POST", "/_emulator/journal/verify", admin_verify_journal},
    {"GET", "/_emulator/faults", admin_list_faults},
    {"POST", "/_emulator/faults", admin_add_fault},
    {"DELETE", "/_emulator/faults", admin_clear_faults},
    {"DELETE", "/_emulator/faults/{id}", admin_delete_fault},
    {"POST", "/_emulator/reset", admin_post_reset},
    {"POST", "/_emulator/snapshots", admin_post_snapshot},
    {"GET", "/_emulator/snapshots", admin_get_snapshots},
    {"POST", "/_emulator/snapshots/{name}/restore", admin_post_snapshot_restore},
    {"DELETE", "/_emulator/snapshots/{name}", admin_delete_snapshot},
};

const size_t admin_nroutes = sizeof admin_routes / sizeof admin_routes[0];

/* Whether path matches pattern segment by segment; "{name}" segments are
 * kept in *p. */
static bool match(const char *pattern, const char *path, admin_params *p)
{
    p->n = 0;
    while (*pattern && *path) {
        if (*pattern != '/' || *path != '/')
            return false;
        pattern++, path++;
        size_t pl = strcspn(pattern, "/"), sl = strcspn(path, "/");
        if (pl > 2 && pattern[0] == '{' && pattern[pl - 1] == '}') {
            if (!sl || p->n == ADMIN_MAX_PARAMS || sl >= sizeof p->values[0])
                return false;
            snprintf(p->names[p->n], sizeof p->names[0], "%.*s", (int)(pl - 2), pattern + 1);
            snprintf(p->values[p->n], sizeof p->values[0], "%.*s", (int)sl, path);
            p->n++;
        } else if (pl != sl || strncmp(pattern, path, pl)) {
            return false;
        }
        pattern += pl, path += sl;
    }
    return !*pattern && (!*path || !strcmp(path, "/"));
}

const admin_route *admin_route_find(const char *method, const char *path, admin_params *p,
                                    char *allow, size_t allowlen)
{
    const admin_route *found = NULL;
    size_t used = 0;
    allow[0] = 0;
    for (size_t i = 0; i < admin_nroutes; i++) {
        admin_params mine;
        if (!match(admin_routes[i].pattern, path, &mine))
            continue;
        if (!found && method && !strcmp(admin_routes[i].method, method)) {
            found = &admin_routes[i];
            *p = mine;
        }
        if (!strstr(allow, admin_routes[i].method) && used < allowlen)
            used += (size_t)snprintf(allow + used, allowlen - used, "%s%s", used ? ", " : "",
                                     admin_routes[i].method);
    }
    return found;
}

const char *admin_param(const admin_params *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->names[i], name))
            return p->values[i];
    return NULL;
}
