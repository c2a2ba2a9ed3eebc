/* json_file.h — a JSON file parsed from one read of the whole file.
 *
 * jansson's json_load_file reads through stdio a character at a call;
 * for the 3 MB contract documents that was a sixth of the start-up time.
 * Same flags and error report as json_load_file (jerr: line, column, text;
 * a file that cannot be read says so in jerr->text, line -1). */
#ifndef VSPC_JSON_FILE_H
#define VSPC_JSON_FILE_H

#include <jansson.h>

#define JSON_FILE_MAX_BYTES (256u * 1024 * 1024)

json_t *json_file_load(const char *path, size_t flags, json_error_t *jerr);

/* dir/name loaded the same way; NULL with "path:line: reason" in err. */
json_t *json_file_load_in(const char *dir, const char *name, size_t flags, char *err,
                          size_t errlen);

#endif
