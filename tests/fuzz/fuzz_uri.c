/* fuzz_uri.c — uri_parse on arbitrary request-targets.
 *
 * Input: the bytes of a request-target, as a client could put them on the
 * request line (NUL bytes included: the parser takes a length). Checks what
 * uri.h promises: on URI_OK the path has no NUL and at most URI_MAX_PATH
 * bytes, there are at most URI_MAX_PARAMS pairs, no name or value holds a
 * NUL, and every decoded text is no longer than the input; on a refusal a
 * sentence says why, and URI_BAD names the culprit. */
#include <string.h>

#include "fuzz.h"
#include "http/uri.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uri_parts u;
    char why[160], name[96];
    uri_status st = uri_parse((const char *)data, size, &u, why, sizeof why, name, sizeof name);
    if (st == URI_OK) {
        fuzz_require(u.path != NULL, "a parsed target has a path");
        size_t plen = strlen(u.path);
        fuzz_require(plen <= URI_MAX_PATH && plen <= size, "the path is within its limit");
        fuzz_require(memchr(data, '?', size) || plen == 0 || u.nquery == 0,
                     "pairs only after a '?'");
        fuzz_require(u.nquery <= URI_MAX_PARAMS, "at most URI_MAX_PARAMS pairs");
        for (size_t i = 0; i < u.nquery; i++) {
            fuzz_require(u.query[i].key && u.query[i].value, "every pair has a name and a value");
            fuzz_require(strlen(u.query[i].key) + strlen(u.query[i].value) <= size,
                         "decoding never lengthens");
        }
    } else {
        fuzz_require(why[0] != 0, "a refusal says why");
        fuzz_require(st != URI_BAD || name[0] != 0, "a NUL refusal names the culprit");
    }
    uri_parts_clear(&u);
    return 0;
}
