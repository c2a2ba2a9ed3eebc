/* fuzz_jsonpatch.c — jsonpatch_apply of arbitrary JSON patches to generated
 * records, with their schema (coercion and validation) and without.
 *
 * Checks jsonpatch.h's contract: the document is never modified; a success
 * is a new document that (with a schema) validates against it; a failure
 * says why, and names an operation that exists. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "request/jsonpatch.h"
#include "records.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The documents patched: the first generated record of each type. */
static json_t *docs[FUZZ_NTYPES];
static char *texts[FUZZ_NTYPES];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (size_t t = 0; t < FUZZ_NTYPES; t++) {
        docs[t] = json_deep_copy(fuzz_record(t));
        texts[t] = json_dumps(docs[t], JSON_COMPACT | JSON_SORT_KEYS);
    }
    return 0;
}

static void check(const schema_ctx *ctx, const json_t *schema, size_t t, const json_t *patch)
{
    jsonpatch_error err;
    json_t *out = jsonpatch_apply(ctx, schema, docs[t], patch, &err);
    char *after = json_dumps(docs[t], JSON_COMPACT | JSON_SORT_KEYS);
    fuzz_require(after && !strcmp(after, texts[t]), "the document is never modified");
    free(after);
    if (out) {
        fuzz_require(out != docs[t], "a success is a new document");
        fuzz_require(!schema || schema_validate(ctx, schema, out, NULL),
                     "a patched document validates against its schema");
        json_decref(out);
        return;
    }
    size_t count = json_is_array(patch) ? json_array_size(patch) : 1;
    fuzz_require(err.message[0] != '\0' && fuzz_utf8(err.message) && fuzz_utf8(err.path),
                 "a failed patch says why, in UTF-8");
    fuzz_require(err.index >= -1 && (err.index < 0 || (size_t)err.index < count),
                 "a failure names an operation of the patch");
    fuzz_require(strlen(err.path) < sizeof err.path && strlen(err.message) < sizeof err.message,
                 "the error texts fit");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *patch = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!patch)
        return 0;
    const schema_ctx *ctx = &fuzz_contract("3.6.1")->schemas;
    for (size_t t = 0; t < FUZZ_NTYPES; t++) {
        check(ctx, fuzz_schema(fuzz_types[t]), t, patch);
        check(NULL, NULL, t, patch);
    }
    json_decref(patch);
    return 0;
}
