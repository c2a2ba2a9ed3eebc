/* fuzz_form_multipart.c — form_parse_multipart on arbitrary bodies.
 *
 * Input: the Content-Type value, a '\n', then the body (not NUL-terminated:
 * the parser must stay within len). Checks the promises of form.h: every
 * field is text without a NUL byte; a refusal has a reason. */
#include <stdlib.h>
#include <string.h>

#include "request/form.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t ctlen = nl ? (size_t)(nl - data) : size;
    char *content_type = fuzz_text(data, ctlen);
    const char *body = nl ? (const char *)nl + 1 : "";
    size_t blen = nl ? size - ctlen - 1 : 0;
    char why[256] = "", field[128] = "";
    json_t *o = form_parse_multipart(content_type, body, blen, field, sizeof field, why,
                                     sizeof why);
    if (!o) {
        fuzz_require(why[0] != '\0' && fuzz_utf8(why) && fuzz_utf8(field),
                     "a refused body has a reason, in UTF-8");
    } else {
        fuzz_require(json_is_object(o), "a parsed body is an object");
        const char *key;
        json_t *v;
        json_object_foreach(o, key, v) {
            fuzz_require(key[0] != '\0', "no field has an empty name");
            fuzz_require(json_is_string(v) &&
                             strlen(json_string_value(v)) == json_string_length(v),
                         "every value is text without a NUL byte");
        }
        json_decref(o);
    }
    free(content_type);
    return 0;
}
