/* json_file.c — see json_file.h. */
#include "base/json_file.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/files.h"

json_t *json_file_load(const char *path, size_t flags, json_error_t *jerr)
{
    char why[512];
    char *text = files_read_text(path, "file", "JSON", JSON_FILE_MAX_BYTES, why, sizeof why);
    if (!text) {
        jerr->line = -1;
        jerr->column = -1;
        jerr->position = 0;
        snprintf(jerr->source, sizeof jerr->source, "%s", path);
        snprintf(jerr->text, sizeof jerr->text, "%.159s", why);
        return NULL;
    }
    json_t *doc = json_loads(text, flags, jerr);
    free(text);
    return doc;
}

json_t *json_file_load_in(const char *dir, const char *name, size_t flags, char *err,
                          size_t errlen)
{
    char *path = files_path_join(dir, name);
    json_error_t jerr;
    json_t *doc = path ? json_file_load(path, flags, &jerr) : NULL;
    if (!doc)
        snprintf(err, errlen, "%s:%d: %s", path ? path : name, path ? jerr.line : 0,
                 path ? jerr.text : "out of memory");
    free(path);
    return doc;
}
