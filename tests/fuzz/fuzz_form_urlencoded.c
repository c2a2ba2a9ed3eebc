/* fuzz_form_urlencoded.c — form_parse_urlencoded on arbitrary bodies.
 *
 * The input is the body, exactly (not NUL-terminated: the parser must stay
 * within len). On success every field is text without a NUL byte (form.h);
 * on failure there is a reason. */
#include <string.h>

#include "request/form.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[256] = "", field[128] = "";
    json_t *o = form_parse_urlencoded((const char *)data, size, field, sizeof field, why,
                                      sizeof why);
    if (!o) {
        fuzz_require(why[0] != '\0' && fuzz_utf8(why) && fuzz_utf8(field),
                     "a refused body has a reason, in UTF-8");
        return 0;
    }
    fuzz_require(json_is_object(o), "a parsed body is an object");
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        fuzz_require(key[0] != '\0', "no field has an empty name");
        fuzz_require(json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v),
                     "every value is text without a NUL byte");
    }
    json_decref(o);
    return 0;
}
