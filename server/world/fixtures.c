/* fixtures.c — see fixtures.h. */
#include "world/fixtures.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json_file.h"

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_json(const struct dirent *d)
{
    size_t len = strlen(d->d_name);
    return len > 5 && !strcmp(d->d_name + len - 5, ".json") && d->d_name[0] != '.';
}

/* Joins the arrays of one file into all. */
static bool merge(json_t *all, const json_t *file, const char *path, char *err, size_t errlen)
{
    if (!json_is_object(file)) {
        snprintf(err, errlen, "%s: expected an object of entity type -> array of records", path);
        return false;
    }
    const char *type;
    json_t *records;
    json_object_foreach((json_t *)file, type, records) {
        if (type[0] == '_')
            continue; /* "_comment" and the like */
        if (!json_is_array(records)) {
            snprintf(err, errlen, "%s: \"%s\" is not an array of records", path, type);
            return false;
        }
        json_t *into = json_object_get(all, type);
        if (!into) {
            into = json_array();
            json_object_set_new(all, type, into);
        }
        json_array_extend(into, records);
    }
    return true;
}

json_t *fixtures_load(const char *dir, char *err, size_t errlen)
{
    json_t *all = json_object();
    struct dirent **names = NULL;
    int n = scandir(dir, &names, is_json, by_name);
    if (n < 0) {
        /* a mistyped --fixtures would give a world without its users: a
         * world without fixtures is an empty folder's, asked for */
        if (errno == ENOENT)
            snprintf(err, errlen, "the fixtures folder %s does not exist (--fixtures; an empty "
                                  "folder gives a world without fixtures)", dir);
        else
            snprintf(err, errlen, "cannot read fixtures folder %s: %s", dir, strerror(errno));
        json_decref(all);
        return NULL;
    }
    bool ok = true;
    for (int i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        json_error_t jerr;
        json_t *file = ok ? json_file_load(path, JSON_REJECT_DUPLICATES, &jerr) : NULL;
        if (ok && !file) {
            snprintf(err, errlen, "%s:%d: %s", path, jerr.line, jerr.text);
            ok = false;
        }
        ok = ok && merge(all, file, path, err, errlen);
        json_decref(file);
        free(names[i]);
    }
    free(names);
    if (!ok) {
        json_decref(all);
        return NULL;
    }
    return all;
}

bool fixtures_check(const json_t *fixtures, const entity_model *m, char *err, size_t errlen)
{
    const char *type;
    json_t *records;
    json_object_foreach((json_t *)fixtures, type, records) {
        const entity *e = entities_find(m, type);
        if (!e) {
            snprintf(err, errlen, "fixtures: no entity type '%s' in API %s", type,
                     m->contract->version);
            return false;
        }
        size_t i;
        json_t *rec;
        json_array_foreach(records, i, rec) {
            const char *key;
            json_t *value;
            if (!json_is_object(rec)) {
                snprintf(err, errlen, "fixtures: %s[%zu] is not an object", type, i);
                return false;
            }
            json_object_foreach(rec, key, value) {
                if (!strcmp(key, FIXTURE_SCOPE)) {
                    if (json_is_object(value))
                        continue;
                    snprintf(err, errlen, "fixtures: %s[%zu].%s is not an object", type, i, key);
                    return false;
                }
                const json_t *ps = schema_property(&m->contract->schemas, e->schema, key);
                schema_error serr;
                if (!ps) {
                    snprintf(err, errlen, "fixtures: %s[%zu] has '%s', which %s does not have",
                             type, i, key, type);
                    return false;
                }
                if (!schema_validate(&m->contract->schemas, ps, value, &serr)) {
                    snprintf(err, errlen, "fixtures: %s[%zu].%s%s%s: %s", type, i, key,
                             serr.path[0] ? "." : "", serr.path, serr.message);
                    return false;
                }
            }
        }
    }
    return true;
}

size_t fixtures_count(const json_t *fixtures)
{
    size_t n = 0;
    const char *type;
    json_t *records;
    json_object_foreach((json_t *)fixtures, type, records) n += json_array_size(records);
    return n;
}
