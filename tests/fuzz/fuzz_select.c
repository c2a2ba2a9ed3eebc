/* fuzz_select.c — select_parse on arbitrary select text for several item
 * schemas, then select_apply of the accepted paths to a generated record.
 * A projection holds only members of the record it was taken from. */
#include <stdlib.h>

#include "fuzz.h"
#include "records.h"
#include "request/select.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_records();
    return 0;
}

/* Whether every member of part is a member of whole, recursively. */
static bool within(const json_t *part, const json_t *whole)
{
    if (!json_is_object(part))
        return json_equal(part, whole);
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)part, key, v) {
        const json_t *w = json_object_get(whole, key);
        if (!w || !within(v, w))
            return false;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    const schema_ctx *ctx = &fuzz_contract("3.6.1")->schemas;
    for (size_t t = 0; t < FUZZ_NTYPES; t++) {
        json_t *paths = NULL;
        char why[512] = "";
        if (select_parse(ctx, fuzz_schema(fuzz_types[t]), text, &paths, why, sizeof why)) {
            fuzz_require(json_is_array(paths), "accepted paths are an array");
            json_t *item = (json_t *)fuzz_record(t);
            json_t *out = select_apply(paths, item);
            fuzz_require(json_is_object(out) && within(out, item),
                         "a projection holds only members of the record");
            json_decref(out);
            json_decref(paths);
        } else {
            fuzz_require(why[0] != '\0' && fuzz_utf8(why) && paths == NULL,
                         "a refused select has a reason, in UTF-8");
        }
    }
    free(text);
    return 0;
}
