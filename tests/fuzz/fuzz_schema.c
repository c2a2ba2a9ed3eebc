/* fuzz_schema.c — schema_validate of arbitrary JSON against request-body
 * schemas of the 3.6.1 contract (CompanyInput, UserInput, ResellerInput,
 * a JSON Patch list) and a record schema (Company), and under the implicit
 * nullability of the older documents. A refusal says what is wrong in
 * texts that fit their fields; validating twice gives the same answer. */
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {"CompanyInput", "UserInput", "ResellerInput", "Company"};
static json_t *patch_list; /* {"type":"array","items":{"$ref":".../JsonPatch"}} */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        fuzz_schema(names[i]);
    patch_list = json_pack("{s:s, s:{s:s}}", "type", "array", "items", "$ref",
                           "#/components/schemas/JsonPatch");
    return 0;
}

static void check(const schema_ctx *ctx, const json_t *schema, const json_t *value)
{
    schema_error err;
    bool ok = schema_validate(ctx, schema, value, &err);
    if (!ok) {
        fuzz_require(err.message[0] != '\0' && fuzz_utf8(err.message) && fuzz_utf8(err.path),
                     "a violation says what is wrong, in UTF-8");
        fuzz_require(strlen(err.path) < sizeof err.path && strlen(err.message) < sizeof err.message,
                     "the error texts fit");
    }
    fuzz_require(schema_validate(ctx, schema, value, NULL) == ok, "validation is repeatable");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *value = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!value)
        return 0;
    const contract *c = fuzz_contract("3.6.1");
    schema_ctx lenient;
    schema_ctx_init(&lenient, c->doc, true);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        check(&c->schemas, fuzz_schema(names[i]), value);
        check(&lenient, fuzz_schema(names[i]), value);
    }
    check(&c->schemas, patch_list, value);
    json_decref(value);
    return 0;
}
