/* test_schema.c — unit tests of schema.c: $ref resolution, the helpers
 * (nullable, type, ref name), the date formats, and validation keyword by
 * keyword on a small document, then on real contract schemas; string
 * lengths (the contract's maxLength, the defaults of schema.h, characters
 * not bytes).
 *
 * The contract is read from $VSPC_SCHEMA_DIR (default "schema").
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract/schema.h"
#include "testutil.h"

/* ---- the small document ---------------------------------------------------- */

#define REF(name) "{\"$ref\":\"#/components/schemas/" name "\"}"

static const char *MINI_DOC =
    "{\"components\":{\"schemas\":{"
    "\"Obj\":{\"type\":\"object\",\"properties\":{"
    "  \"name\":{\"type\":\"string\"},"
    "  \"count\":{\"type\":\"integer\"},"
    "  \"ratio\":{\"type\":\"number\"},"
    "  \"flag\":{\"type\":\"boolean\"},"
    "  \"id\":{\"type\":\"string\",\"format\":\"uuid\"},"
    "  \"when\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "  \"day\":{\"type\":\"string\",\"format\":\"date\"},"
    "  \"blob\":{\"type\":\"string\",\"format\":\"binary\"},"
    "  \"odd\":{\"type\":\"string\",\"format\":\"hostname\"},"
    "  \"status\":" REF("Status") ","
    "  \"wrapped\":{\"allOf\":[" REF("Status") "],\"default\":\"Active\"},"
    "  \"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "  \"inner\":" REF("Inner") ","
    "  \"note\":{\"type\":\"string\",\"nullable\":true},"
    "  \"refNull\":" REF("NullableInner") ","
    "  \"wrapNull\":{\"allOf\":[" REF("NullableInner") "]},"
    "  \"list\":{\"type\":\"array\",\"items\":" REF("Inner") "}},"
    " \"required\":[\"name\"],\"additionalProperties\":true},"
    "\"Inner\":{\"type\":\"object\",\"properties\":{\"deep\":{\"type\":\"object\","
    "  \"properties\":{\"value\":{\"type\":\"integer\"}}}},\"required\":[\"deep\"]},"
    "\"NullableInner\":{\"type\":\"object\",\"nullable\":true,\"properties\":{\"x\":{\"type\":\"string\"}}},"
    "\"Status\":{\"type\":\"string\",\"enum\":[\"Active\",\"Disabled\"]},"
    "\"Closed\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},"
    "  \"additionalProperties\":false},"
    "\"Dict\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}},"
    "\"A\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},\"required\":[\"a\"]},"
    "\"B\":{\"type\":\"object\",\"properties\":{\"b\":{\"type\":\"integer\"}},\"required\":[\"b\"]},"
    "\"Merged\":{\"allOf\":[" REF("A") "," REF("B") "]},"
    "\"Dangling\":{\"type\":\"object\",\"properties\":{\"x\":" REF("Nope") "}},"
    "\"BadRef\":{\"$ref\":5},"
    "\"External\":{\"$ref\":\"other.json#/components/schemas/Obj\"},"
    "\"Loop1\":" REF("Loop2") ","
    "\"Loop2\":" REF("Loop1") ","
    "\"Chain\":" REF("Status") ","
    "\"AllOfLoop\":{\"allOf\":[" REF("AllOfLoop") "]},"
    "\"Node\":{\"type\":\"object\",\"properties\":{\"child\":" REF("Node") "}},"
    "\"Untyped\":{},"
    "\"Implied\":{\"properties\":{\"a\":{\"type\":\"string\"}}},"
    "\"Pointer\":{\"$ref\":\"#/components/schemas/Obj/properties/count\"},"
    "\"Slash/Name\":{\"type\":\"string\"},"
    "\"Tilde~Name\":{\"type\":\"boolean\"},"
    "\"SlashRef\":{\"$ref\":\"#/components/schemas/Slash~1Name\"},"
    "\"TildeRef\":{\"$ref\":\"#/components/schemas/Tilde~0Name\"},"
    "\"ArrayRoot\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},"
    "\"Grid\":{\"type\":\"array\",\"items\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}},"
    "\"Opt\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"},"
    "  \"b\":{\"type\":\"string\"}},\"required\":[\"a\"]},"
    "\"Weird\":{\"type\":\"file\"},"
    "\"ToScalar\":{\"$ref\":\"#/components/schemas/Status/type\"},"
    "\"Numbers\":{\"type\":\"integer\",\"enum\":[1,2,3]},"
    "\"Mixed\":{\"enum\":[\"x\",1,2.5,true,null,[1]]},"
    "\"BigEnum\":{\"type\":\"string\",\"enum\":["
    "  \"AlphaAlphaAlphaAlphaAlpha\",\"BravoBravoBravoBravoBravo\",\"CharlieCharlieCharlie\","
    "  \"DeltaDeltaDeltaDeltaDelta\",\"EchoEchoEchoEchoEchoEcho\",\"FoxtrotFoxtrotFoxtrot\","
    "  \"GolfGolfGolfGolfGolfGolf\",\"HotelHotelHotelHotelHotel\",\"IndiaIndiaIndiaIndiaIndia\","
    "  \"JulietJulietJulietJuliet\",\"KiloKiloKiloKiloKiloKilo\",\"LimaLimaLimaLimaLimaLima\"]}"
    "}}}";

static json_t *mini;

static void load_mini(void)
{
    json_error_t jerr;
    mini = json_loads(MINI_DOC, 0, &jerr);
    if (!mini)
        fprintf(stderr, "mini document: %s (column %d)\n", jerr.text, jerr.column);
}

static void free_mini(void)
{
    json_decref(mini);
    mini = NULL;
}

/* ---- keyword cases ----------------------------------------------------------- */

typedef struct vcase {
    const char *schema;   /* component schema of the small document */
    const char *value;    /* JSON text (any value) */
    bool implicit;        /* implicit_nullable context */
    bool valid;
    const char *path;     /* expected error path when invalid */
    const char *message;  /* expected start of the error message */
} vcase;

#define OK(s, v) {s, v, false, true, NULL, NULL}
#define OK_IMPLICIT(s, v) {s, v, true, true, NULL, NULL}
#define BAD(s, v, p, m) {s, v, false, false, p, m}
#define BAD_IMPLICIT(s, v, p, m) {s, v, true, false, p, m}

#define MUST_INT "Value must be of type integer."
#define NOT_NULL "Value must not be null."
#define REQUIRED "The property is required."
#define BAD_DT "Value is not a valid date-time"
#define BAD_DATE "Value is not a valid date"

static const vcase CASES[] = {
    /* type, at the root and nested */
    OK("Obj", "{\"name\":\"x\"}"),
    BAD("Obj", "5", "", "Value must be of type object."),
    BAD("Obj", "[]", "", "Value must be of type object."),
    BAD("Obj", "\"x\"", "", "Value must be of type object."),
    BAD("Obj", "{\"name\":5}", "name", "Value must be of type string."),
    BAD("Obj", "{\"name\":\"x\",\"flag\":1}", "flag", "Value must be of type boolean."),
    BAD("Obj", "{\"name\":\"x\",\"flag\":\"true\"}", "flag", "Value must be of type boolean."),
    BAD("Obj", "{\"name\":\"x\",\"tags\":{}}", "tags", "Value must be of type array."),
    BAD("Obj", "{\"name\":\"x\",\"inner\":{\"deep\":{\"value\":\"1\"}}}", "inner.deep.value", MUST_INT),
    BAD("ArrayRoot", "{}", "", "Value must be of type array."),
    /* integer versus real */
    OK("Obj", "{\"name\":\"x\",\"count\":3}"),
    OK("Obj", "{\"name\":\"x\",\"count\":-3}"),
    OK("Obj", "{\"name\":\"x\",\"count\":3.0}"),
    OK("Obj", "{\"name\":\"x\",\"count\":1e3}"),
    BAD("Obj", "{\"name\":\"x\",\"count\":3.5}", "count", MUST_INT),
    BAD("Obj", "{\"name\":\"x\",\"count\":1e30}", "count", MUST_INT),
    BAD("Obj", "{\"name\":\"x\",\"count\":\"3\"}", "count", MUST_INT),
    BAD("Obj", "{\"name\":\"x\",\"count\":true}", "count", MUST_INT),
    OK("Obj", "{\"name\":\"x\",\"ratio\":2}"),
    OK("Obj", "{\"name\":\"x\",\"ratio\":2.5}"),
    BAD("Obj", "{\"name\":\"x\",\"ratio\":\"2.5\"}", "ratio", "Value must be of type number."),
    /* format uuid */
    OK("Obj", "{\"name\":\"x\",\"id\":\"eb866e8f-a0f5-41f4-9dd9-8cc59266ff25\"}"),
    OK("Obj", "{\"name\":\"x\",\"id\":\"EB866E8F-A0F5-41F4-9DD9-8CC59266FF25\"}"),
    BAD("Obj", "{\"name\":\"x\",\"id\":\"not-a-uuid\"}", "id", "Value is not a valid UUID."),
    BAD("Obj", "{\"name\":\"x\",\"id\":\"eb866e8fa0f541f49dd98cc59266ff25\"}", "id", "Value is not a valid UUID."),
    BAD("Obj", "{\"name\":\"x\",\"id\":5}", "id", "Value must be of type string."),
    /* format date-time */
    OK("Obj", "{\"name\":\"x\",\"when\":\"2026-11-22T10:00:00Z\"}"),
    OK("Obj", "{\"name\":\"x\",\"when\":\"2020-08-18T16:02:26.0136931+00:00\"}"),
    OK("Obj", "{\"name\":\"x\",\"when\":\"2024-02-29T23:59:59-05:30\"}"),
    BAD("Obj", "{\"name\":\"x\",\"when\":\"2026-02-30T10:00:00Z\"}", "when", BAD_DT),
    BAD("Obj", "{\"name\":\"x\",\"when\":\"2026-11-22 10:00:00Z\"}", "when", BAD_DT),
    BAD("Obj", "{\"name\":\"x\",\"when\":\"2026-11-22\"}", "when", BAD_DT),
    BAD("Obj", "{\"name\":\"x\",\"when\":\"yesterday\"}", "when", BAD_DT),
    /* format date */
    OK("Obj", "{\"name\":\"x\",\"day\":\"2024-02-29\"}"),
    BAD("Obj", "{\"name\":\"x\",\"day\":\"2026-02-30\"}", "day", BAD_DATE),
    BAD("Obj", "{\"name\":\"x\",\"day\":\"2026-11-22T10:00:00Z\"}", "day", BAD_DATE),
    /* other formats are not checked */
    OK("Obj", "{\"name\":\"x\",\"blob\":\"%%% not base64\"}"),
    OK("Obj", "{\"name\":\"x\",\"odd\":\"not a host name\"}"),
    /* enum, exact and case-sensitive; through allOf wrappers and $ref chains */
    OK("Obj", "{\"name\":\"x\",\"status\":\"Active\"}"),
    BAD("Obj", "{\"name\":\"x\",\"status\":\"active\"}", "status", "Value must be one of: Active, Disabled."),
    BAD("Obj", "{\"name\":\"x\",\"status\":\"Active \"}", "status", "Value must be one of: Active, Disabled."),
    BAD("Obj", "{\"name\":\"x\",\"status\":1}", "status", "Value must be of type string."),
    OK("Obj", "{\"name\":\"x\",\"wrapped\":\"Disabled\"}"),
    BAD("Obj", "{\"name\":\"x\",\"wrapped\":\"Deleted\"}", "wrapped", "Value must be one of: Active, Disabled."),
    OK("Chain", "\"Disabled\""),
    BAD("Chain", "\"Other\"", "", "Value must be one of: Active, Disabled."),
    OK("Numbers", "2"),
    OK("Numbers", "2.0"),
    BAD("Numbers", "4", "", "Value must be one of: 1, 2, 3."),
    OK("Mixed", "null"),
    OK("Mixed", "[1]"),
    BAD("Mixed", "false", "", "Value must be one of: x, 1, 2.5, true, null, (structured value)."),
    /* required */
    BAD("Obj", "{}", "name", REQUIRED),
    BAD("Obj", "{\"name\":\"x\",\"inner\":{}}", "inner.deep", REQUIRED),
    BAD("Obj", "{\"name\":\"x\",\"list\":[{\"deep\":{}},{}]}", "list[1].deep", REQUIRED),
    BAD("Obj", "{\"name\":null}", "name", NOT_NULL),
    /* the value's own violations come before missing required properties */
    BAD("Obj", "{\"count\":\"x\"}", "count", MUST_INT),
    /* nullable: explicit, via $ref, via allOf; not nullable */
    OK("Obj", "{\"name\":\"x\",\"note\":null}"),
    OK("Obj", "{\"name\":\"x\",\"refNull\":null}"),
    OK("Obj", "{\"name\":\"x\",\"wrapNull\":null}"),
    BAD("Obj", "{\"name\":\"x\",\"inner\":null}", "inner", NOT_NULL),
    BAD("Obj", "{\"name\":\"x\",\"count\":null}", "count", NOT_NULL),
    BAD("Obj", "{\"name\":\"x\",\"status\":null}", "status", NOT_NULL),
    BAD("Obj", "{\"name\":\"x\",\"tags\":[null]}", "tags[0]", NOT_NULL),
    BAD("Obj", "null", "", NOT_NULL),
    OK("NullableInner", "null"),
    /* implicit nullability: optional properties only */
    OK_IMPLICIT("Opt", "{\"a\":\"x\",\"b\":null}"),
    BAD("Opt", "{\"a\":\"x\",\"b\":null}", "b", NOT_NULL),
    BAD_IMPLICIT("Opt", "{\"a\":null}", "a", NOT_NULL),
    BAD_IMPLICIT("Opt", "null", "", NOT_NULL),
    BAD_IMPLICIT("Opt", "{\"b\":\"y\"}", "a", REQUIRED),
    OK_IMPLICIT("Obj", "{\"name\":\"x\",\"inner\":null,\"count\":null}"),
    BAD_IMPLICIT("Obj", "{\"name\":\"x\",\"tags\":[null]}", "tags[0]", NOT_NULL),
    /* items: "[i]" paths */
    OK("Obj", "{\"name\":\"x\",\"tags\":[]}"),
    BAD("Obj", "{\"name\":\"x\",\"tags\":[\"a\",2]}", "tags[1]", "Value must be of type string."),
    BAD("Obj", "{\"name\":\"x\",\"list\":[{\"deep\":{\"value\":1}},{\"deep\":{\"value\":\"x\"}}]}",
        "list[1].deep.value", MUST_INT),
    OK("ArrayRoot", "[1,2,3]"),
    BAD("ArrayRoot", "[1,\"a\"]", "[1]", MUST_INT),
    BAD("Grid", "[[1],[2,\"x\"]]", "[1][1]", MUST_INT),
    /* additionalProperties */
    OK("Obj", "{\"name\":\"x\",\"extra\":[1,{\"y\":null}]}"),
    OK("Closed", "{\"a\":\"x\"}"),
    BAD("Closed", "{\"a\":\"x\",\"b\":1}", "b", "The property is not allowed."),
    OK("Dict", "{\"x\":1,\"y\":2}"),
    BAD("Dict", "{\"x\":1,\"y\":\"z\"}", "y", MUST_INT),
    BAD("Dict", "{\"x\":null}", "x", NOT_NULL),
    OK_IMPLICIT("Dict", "{\"x\":null}"),
    /* allOf */
    OK("Merged", "{\"a\":\"x\",\"b\":1}"),
    BAD("Merged", "{\"a\":\"x\"}", "b", REQUIRED),
    BAD("Merged", "{\"a\":1,\"b\":1}", "a", "Value must be of type string."),
    BAD("Merged", "[]", "", "Value must be of type object."),
    /* schema without type; properties imply an object */
    OK("Untyped", "null"),
    OK("Untyped", "[1,\"a\",{}]"),
    OK("Implied", "{\"a\":\"x\"}"),
    OK("Weird", "1"),       /* unknown type names constrain nothing */
    OK("ToScalar", "1"),    /* a reference to a non-schema value */
    BAD("Implied", "[]", "", "Value must be of type object."),
    /* references: JSON Pointer, escapes, dangling, loops */
    OK("Pointer", "5"),
    BAD("Pointer", "\"5\"", "", MUST_INT),
    OK("SlashRef", "\"x\""),
    BAD("SlashRef", "1", "", "Value must be of type string."),
    OK("TildeRef", "true"),
    OK("Dangling", "{}"),
    BAD("Dangling", "{\"x\":1}", "x", "The schema reference #/components/schemas/Nope cannot be resolved."),
    BAD("BadRef", "1", "", "The schema reference (not a string) cannot be resolved."),
    BAD("External", "1", "", "The schema reference other.json#/components/schemas/Obj cannot be resolved."),
    BAD("Loop1", "1", "", "The schema reference #/components/schemas/Loop2 cannot be resolved."),
    BAD("AllOfLoop", "1", "", "Value is nested too deeply (more than 64 levels)."),
    /* messages are cut to fit */
    BAD("BigEnum", "\"Zulu\"", "", "Value must be one of: AlphaAlphaAlphaAlphaAlpha, Bravo"),
};

START_TEST(test_keyword_case)
{
    const vcase *c = &CASES[_i];
    ck_assert_ptr_nonnull(mini);
    schema_ctx ctx;
    schema_ctx_init(&ctx, mini, c->implicit);
    const json_t *schema = schema_by_name(&ctx, c->schema);
    ck_assert_msg(schema != NULL, "no schema %s", c->schema);
    json_error_t jerr;
    json_t *value = json_loads(c->value, JSON_DECODE_ANY, &jerr);
    ck_assert_msg(value != NULL, "case %d: bad JSON %s: %s", _i, c->value, jerr.text);
    schema_error err;
    bool ok = schema_validate(&ctx, schema, value, &err);
    ck_assert_msg(ok == c->valid, "case %d: %s against %s: expected %s, got '%s' %s", _i,
                  c->value, c->schema, c->valid ? "valid" : "invalid", err.path, err.message);
    if (!c->valid) {
        ck_assert_msg(strcmp(err.path, c->path) == 0, "case %d: path '%s', expected '%s'", _i,
                      err.path, c->path);
        ck_assert_msg(strncmp(err.message, c->message, strlen(c->message)) == 0,
                      "case %d: message '%s', expected '%s...'", _i, err.message, c->message);
        ck_assert_uint_lt(strlen(err.message), sizeof err.message);
        /* Without an error struct, validation still fails. */
        ck_assert(!schema_validate(&ctx, schema, value, NULL));
    } else {
        ck_assert_str_eq(err.path, "");
        ck_assert_str_eq(err.message, "");
    }
    json_decref(value);
}
END_TEST

START_TEST(test_long_enum_message_is_cut)
{
    schema_ctx ctx;
    schema_ctx_init(&ctx, mini, false);
    json_t *value = json_string("Zulu");
    schema_error err;
    ck_assert(!schema_validate(&ctx, schema_by_name(&ctx, "BigEnum"), value, &err));
    size_t len = strlen(err.message);
    ck_assert_uint_lt(len, sizeof err.message);
    ck_assert_str_eq(err.message + len - 3, "...");
    json_decref(value);
}
END_TEST

/* Builds {"child":{"child":...{}}} nested `levels` deep. */
static json_t *nested_nodes(int levels)
{
    json_t *node = json_object();
    for (int i = 0; i < levels; i++) {
        json_t *parent = json_object();
        json_object_set_new(parent, "child", node);
        node = parent;
    }
    return node;
}

START_TEST(test_deep_nesting)
{
    schema_ctx ctx;
    schema_ctx_init(&ctx, mini, false);
    const json_t *node = schema_by_name(&ctx, "Node");
    schema_error err;
    json_t *shallow = nested_nodes(40);
    ck_assert(schema_validate(&ctx, node, shallow, &err));
    json_decref(shallow);
    /* Far deeper than the cap: reported, not a stack overflow. The path
     * ("child.child...") is too long for the buffer and is cut. */
    json_t *deep = nested_nodes(1000);
    ck_assert(!schema_validate(&ctx, node, deep, &err));
    ck_assert_str_eq(err.message, "Value is nested too deeply (more than 64 levels).");
    ck_assert_uint_eq(strlen(err.path), sizeof err.path - 1);
    ck_assert(strncmp(err.path, "child.child.", 12) == 0);
    ck_assert_str_eq(err.path + strlen(err.path) - 3, "...");
    json_decref(deep);
}
END_TEST

START_TEST(test_missing_arguments)
{
    schema_ctx ctx;
    schema_ctx_init(&ctx, mini, false);
    schema_error err;
    json_t *value = json_integer(1);
    ck_assert(!schema_validate(&ctx, NULL, value, &err));
    ck_assert_str_eq(err.path, "");
    ck_assert(!schema_validate(&ctx, schema_by_name(&ctx, "Obj"), NULL, &err));
    json_decref(value);
}
END_TEST

/* ---- helpers ------------------------------------------------------------------- */

START_TEST(test_lookup_and_resolve)
{
    schema_ctx ctx;
    schema_ctx_init(&ctx, mini, false);
    const json_t *status = schema_by_name(&ctx, "Status");
    ck_assert_ptr_nonnull(status);
    ck_assert_ptr_null(schema_by_name(&ctx, "NoSuchSchema"));
    ck_assert_ptr_null(schema_by_name(&ctx, NULL));
    /* no $ref: itself; a chain: its end; dangling and looping: NULL */
    ck_assert_ptr_eq(schema_resolve(&ctx, status), status);
    ck_assert_ptr_eq(schema_resolve(&ctx, schema_by_name(&ctx, "Chain")), status);
    ck_assert_ptr_null(schema_resolve(&ctx, schema_by_name(&ctx, "Loop1")));
    ck_assert_ptr_null(schema_resolve(&ctx, schema_by_name(&ctx, "External")));
    ck_assert_ptr_null(schema_resolve(&ctx, schema_by_name(&ctx, "BadRef")));
    ck_assert_ptr_null(schema_resolve(&ctx, NULL));
    ck_assert_ptr_eq(schema_resolve(&ctx, schema_by_name(&ctx, "SlashRef")),
                     schema_by_name(&ctx, "Slash/Name"));
    ck_assert_ptr_eq(schema_resolve(&ctx, schema_by_name(&ctx, "TildeRef")),
                     schema_by_name(&ctx, "Tilde~Name"));
    /* A pointer into an array (allOf member 1, itself a $ref to B). */
    json_t *pointer_to_item = json_pack("{s:s}", "$ref", "#/components/schemas/Merged/allOf/1");
    ck_assert_ptr_eq(schema_resolve(&ctx, pointer_to_item), schema_by_name(&ctx, "B"));
    json_object_set_new(pointer_to_item, "$ref", json_string("#/components/schemas/Merged/allOf/9"));
    ck_assert_ptr_null(schema_resolve(&ctx, pointer_to_item));
    /* Pointers that lead nowhere. */
    char long_ref[400];
    snprintf(long_ref, sizeof long_ref, "#/components/%0300d", 0);
    const char *nowhere[] = {
        "#/components/schemas/Bad~2Escape", "#/components/schemas/Merged/allOf/x",
        "#/components/schemas/Merged/allOf/1x", "#/components/schemas/Status/type/x",
        "#/components/schemas/", "#components", "#/nothing", long_ref,
    };
    for (size_t i = 0; i < sizeof nowhere / sizeof nowhere[0]; i++) {
        json_object_set_new(pointer_to_item, "$ref", json_string(nowhere[i]));
        ck_assert_msg(schema_resolve(&ctx, pointer_to_item) == NULL, "%s resolved", nowhere[i]);
    }
    /* "#" is the document itself. */
    json_object_set_new(pointer_to_item, "$ref", json_string("#"));
    ck_assert_ptr_eq(schema_resolve(&ctx, pointer_to_item), mini);
    json_decref(pointer_to_item);
    /* A document without components. */
    json_t *empty = json_object();
    schema_ctx bare;
    schema_ctx_init(&bare, empty, false);
    ck_assert_ptr_null(bare.schemas);
    ck_assert_ptr_null(schema_by_name(&bare, "Status"));
    json_decref(empty);
}
END_TEST

START_TEST(test_ref_name)
{
    schema_ctx ctx;
    schema_ctx_init(&ctx, mini, false);
    ck_assert_str_eq(schema_ref_name(schema_by_name(&ctx, "Chain")), "Status");
    ck_assert_ptr_null(schema_ref_name(schema_by_name(&ctx, "Status")));
    ck_assert_ptr_null(schema_ref_name(schema_by_name(&ctx, "External")));
    ck_assert_ptr_null(schema_ref_name(schema_by_name(&ctx, "BadRef")));
    ck_assert_ptr_null(schema_ref_name(NULL));
}
END_TEST

START_TEST(test_nullable_and_type)
{
    schema_ctx ctx;
    schema_ctx_init(&ctx, mini, false);
    const json_t *props = json_object_get(schema_by_name(&ctx, "Obj"), "properties");
    ck_assert(schema_is_nullable(&ctx, json_object_get(props, "note")));
    ck_assert(schema_is_nullable(&ctx, json_object_get(props, "refNull")));
    ck_assert(schema_is_nullable(&ctx, json_object_get(props, "wrapNull")));
    ck_assert(!schema_is_nullable(&ctx, json_object_get(props, "inner")));
    ck_assert(!schema_is_nullable(&ctx, json_object_get(props, "count")));
    ck_assert(!schema_is_nullable(&ctx, schema_by_name(&ctx, "Loop1")));
    ck_assert(!schema_is_nullable(&ctx, schema_by_name(&ctx, "AllOfLoop")));
    ck_assert_str_eq(schema_type(&ctx, json_object_get(props, "count")), "integer");
    ck_assert_str_eq(schema_type(&ctx, json_object_get(props, "status")), "string");
    ck_assert_str_eq(schema_type(&ctx, json_object_get(props, "wrapped")), "string");
    ck_assert_str_eq(schema_type(&ctx, schema_by_name(&ctx, "Merged")), "object");
    ck_assert_str_eq(schema_type(&ctx, schema_by_name(&ctx, "Implied")), "object");
    ck_assert_ptr_null(schema_type(&ctx, schema_by_name(&ctx, "Untyped")));
    ck_assert_ptr_null(schema_type(&ctx, schema_by_name(&ctx, "Loop1")));
    ck_assert_ptr_null(schema_type(&ctx, schema_by_name(&ctx, "AllOfLoop")));
}
END_TEST

/* ---- formats --------------------------------------------------------------------- */

static const struct {
    const char *text;
    bool valid;
} DATE_TIMES[] = {
    {"2026-11-22T10:00:00Z", true},
    {"2020-08-18T16:02:26.0136931+00:00", true},
    {"2026-11-22T10:00:00.5Z", true},
    {"2026-11-22T10:00:00-05:30", true},
    {"2026-11-22T23:59:59+14:00", true},
    {"2026-11-22t10:00:00z", true},
    {"2026-11-22T10:00:00", true}, /* no offset: local time, as ISO 8601 */
    {"2024-02-29T00:00:00Z", true},
    {"2026-02-29T00:00:00Z", false},
    {"2026-02-30T10:00:00Z", false},
    {"2026-13-01T10:00:00Z", false},
    {"2026-00-10T10:00:00Z", false},
    {"2026-11-00T10:00:00Z", false},
    {"2026-11-22T24:00:00Z", false},
    {"2026-11-22T10:60:00Z", false},
    {"2026-11-22T10:00:60Z", false},
    {"2026-11-22T10:00Z", false},
    {"2026-11-22 10:00:00Z", false},
    {"2026-11-22T10:00:00.Z", false},
    {"2026-11-22T10:00:00+0100", false},
    {"2026-11-22T10:00:00+01", false},
    {"2026-11-22T10:00:00+24:00", false},
    {"2026-11-22T10:00:00ZZ", false},
    {"2026-11-22T10:00:00Z ", false},
    {"2026-11-22", false},
    {"26-11-22T10:00:00Z", false},
    {"0000-01-01T00:00:00Z", false},
    {"", false},
};

START_TEST(test_date_time_table)
{
    ck_assert_msg(schema_valid_date_time(DATE_TIMES[_i].text) == DATE_TIMES[_i].valid,
                  "schema_valid_date_time(\"%s\")", DATE_TIMES[_i].text);
}
END_TEST

static const struct {
    const char *text;
    bool valid;
} DATES[] = {
    {"2026-11-22", true}, {"2024-02-29", true}, {"2000-02-29", true}, {"0001-01-01", true},
    {"2026-12-31", true}, {"2026-02-30", false}, {"2025-02-29", false}, {"1900-02-29", false},
    {"2026-04-31", false}, {"2026-13-01", false}, {"2026-00-01", false}, {"2026-01-00", false},
    {"2026-1-01", false}, {"2026/01/01", false}, {"2026-01-01T00:00:00Z", false},
    {"2026-01-01 ", false}, {"0000-01-01", false}, {"", false}, {"abcd-ef-gh", false},
};

START_TEST(test_date_table)
{
    ck_assert_msg(schema_valid_date(DATES[_i].text) == DATES[_i].valid, "schema_valid_date(\"%s\")",
                  DATES[_i].text);
}
END_TEST

START_TEST(test_formats_null)
{
    ck_assert(!schema_valid_date(NULL));
    ck_assert(!schema_valid_date_time(NULL));
}
END_TEST

/* ---- real contract schemas ---------------------------------------------------------- */

static json_t *doc_3_6_1, *doc_3_5_1;

static json_t *load_contract(const char *file)
{
    char path[1024];
    json_error_t jerr;
    snprintf(path, sizeof path, "%s/%s", test_schema_dir(), file);
    json_t *doc = json_load_file(path, 0, &jerr);
    if (!doc)
        fprintf(stderr, "cannot load %s: %s\n", path, jerr.text);
    return doc;
}

static void load_contracts(void)
{
    doc_3_6_1 = load_contract("vspc-rest-3.6.1.json");
    doc_3_5_1 = load_contract("vspc-rest-3.5.1.json");
}

static void free_contracts(void)
{
    json_decref(doc_3_6_1);
    json_decref(doc_3_5_1);
    doc_3_6_1 = doc_3_5_1 = NULL;
}

static const char *SEED_COMPANY =
    "{\"instanceUid\":\"eb866e8f-a0f5-41f4-9dd9-8cc59266ff25\",\"name\":\"Alpha\","
    "\"status\":\"Active\",\"resellerUid\":\"a1797b02-364e-4e31-b052-7d7db48edb4a\","
    "\"subscriptionPlanUid\":null,\"isRestAccessEnabled\":true,\"isAlarmDetectEnabled\":true,"
    "\"loginUrl\":null,\"ownerCredentials\":{\"userName\":\"alphauser\",\"password\":null}}";

#define OLD_COMPANY                                                                    \
    "{\"name\":\"Alpha\",\"resellerUid\":null,\"loginUrl\":null,\"_embedded\":null,"          \
    "\"companyServices\":{\"storageQuota\":null,\"isBackupAgentManagementEnabled\":true}}"

typedef struct contract_case {
    bool old_doc;   /* 3.5.1 instead of 3.6.1 */
    bool implicit;
    const char *schema;
    const char *value;
    const char *path;    /* NULL when valid */
    const char *message; /* expected start */
} contract_case;

static const contract_case CONTRACT_CASES[] = {
    {false, false, "Company", NULL /* SEED_COMPANY */, NULL, NULL},
    {false, false, "Company", "{\"ownerCredentials\":5}", "ownerCredentials",
     "Value must be of type object."},
    {false, false, "Company", "{}", "ownerCredentials", REQUIRED},
    {false, false, "Company", "{\"ownerCredentials\":{}}", "ownerCredentials.userName", REQUIRED},
    {false, false, "Company", "{\"ownerCredentials\":{\"userName\":\"u\"},\"status\":\"active\"}",
     "status", "Value must be one of: Active, Disabled, REMOVED_Creating"},
    {false, false, "Company", "{\"ownerCredentials\":{\"userName\":\"u\"},\"instanceUid\":\"x\"}",
     "instanceUid", "Value is not a valid UUID."},
    {false, false, "Company", "{\"ownerCredentials\":{\"userName\":\"u\"},\"name\":null}", "name", NOT_NULL},
    {false, false, "Company",
     "{\"ownerCredentials\":{\"userName\":\"u\"},\"companyServices\":{\"remoteServices\":"
     "{\"backupAgentsManagement\":{\"serverAgentsQuota\":\"ten\"}}}}",
     "companyServices.remoteServices.backupAgentsManagement.serverAgentsQuota", MUST_INT},
    {false, false, "Company",
     "{\"ownerCredentials\":{\"userName\":\"u\"},\"companyServices\":{\"remoteServices\":"
     "{\"backupAgentsManagement\":{\"serverAgentsQuota\":10.0}}}}", NULL, NULL},
    {false, false, "JsonPatch", "{}", "op", REQUIRED},
    {false, false, "JsonPatch", "{\"op\":\"replace\"}", "value", REQUIRED},
    {false, false, "JsonPatch", "{\"op\":\"replace\",\"value\":\"x\"}", "path", REQUIRED},
    {false, false, "JsonPatch", "{\"op\":\"replace\",\"value\":\"x\",\"path\":\"/name\"}", NULL, NULL},
    {false, false, "JsonPatch", "{\"op\":\"Replace\",\"value\":\"x\",\"path\":\"/name\"}", "op",
     "Value must be one of: add, copy, move, remove, replace, test."},
    {false, false, "UserLogin", "{\"scopes\":[\"rest\",\"REST\"]}", "scopes[1]",
     "Value must be one of: integration, rest, ui, unknown."},
    /* 3.5.1 has no nullable: nulls only for optional properties in implicit
     * mode. Its Company requires companyServices (it has no ownerCredentials). */
    {true, true, "Company", OLD_COMPANY, NULL, NULL},
    {true, false, "Company", OLD_COMPANY, "resellerUid", NOT_NULL},
    {true, true, "Company", NULL /* SEED_COMPANY */, "companyServices", REQUIRED},
    {true, true, "Company", "{\"companyServices\":null}", "companyServices", NOT_NULL},
    {true, true, "Company", "{\"companyServices\":{\"storageQuota\":null}}", NULL, NULL},
};

START_TEST(test_contract_case)
{
    const contract_case *c = &CONTRACT_CASES[_i];
    json_t *doc = c->old_doc ? doc_3_5_1 : doc_3_6_1;
    ck_assert_ptr_nonnull(doc);
    schema_ctx ctx;
    schema_ctx_init(&ctx, doc, c->implicit);
    const json_t *schema = schema_by_name(&ctx, c->schema);
    ck_assert_ptr_nonnull(schema);
    json_t *value = json_loads(c->value ? c->value : SEED_COMPANY, 0, NULL);
    ck_assert_ptr_nonnull(value);
    schema_error err;
    bool ok = schema_validate(&ctx, schema, value, &err);
    if (!c->path) {
        ck_assert_msg(ok, "case %d: expected valid, got '%s': %s", _i, err.path, err.message);
    } else {
        ck_assert_msg(!ok, "case %d: expected a violation at %s", _i, c->path);
        ck_assert_str_eq(err.path, c->path);
        ck_assert_msg(strncmp(err.message, c->message, strlen(c->message)) == 0,
                      "case %d: message '%s'", _i, err.message);
    }
    json_decref(value);
}
END_TEST

/* ---- string lengths --------------------------------------------------------- */

static const char *LENGTH_DOC =
    "{\"components\":{\"schemas\":{"
    "\"Item\":{\"type\":\"object\",\"properties\":{"
    "  \"name\":{\"type\":\"string\"},"
    "  \"displayName\":{\"type\":\"string\"},"
    "  \"notes\":{\"type\":\"string\"},"
    "  \"certificateContent\":{\"type\":\"string\"},"
    "  \"blob\":{\"type\":\"string\",\"format\":\"binary\"},"
    "  \"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "  \"short\":{\"type\":\"string\",\"maxLength\":5},"
    "  \"wide\":{\"allOf\":[" REF("Wide") "]},"
    "  \"any\":{},"
    "  \"inner\":" REF("Item") "}},"
    "\"Wide\":{\"type\":\"string\",\"maxLength\":10000},"
    "\"Text\":{\"type\":\"string\"}"
    "}}}";

/* `count` copies of unit (a UTF-8 character or more), as a new string. */
static char *repeat(const char *unit, size_t count)
{
    size_t n = strlen(unit);
    char *text = malloc(n * count + 1);
    ck_assert_ptr_nonnull(text);
    for (size_t i = 0; i < count; i++)
        memcpy(text + i * n, unit, n);
    text[n * count] = '\0';
    return text;
}

/* Validates {"<key>": <count> x unit} (key may be "inner.name" for one
 * level down; "tags" puts the text second in an array) against Item. */
static bool item_with(const char *key, const char *unit, size_t count, schema_error *err)
{
    json_t *doc = json_loads(LENGTH_DOC, 0, NULL);
    ck_assert_ptr_nonnull(doc);
    schema_ctx ctx;
    schema_ctx_init(&ctx, doc, false);
    char *text = repeat(unit, count);
    json_t *value = json_object(), *at = value;
    if (!strncmp(key, "inner.", 6)) {
        at = json_object();
        json_object_set_new(value, "inner", at);
        key += 6;
    }
    if (!strcmp(key, "tags"))
        json_object_set_new(at, key, json_pack("[s, s]", "ok", text));
    else
        json_object_set_new(at, key, json_string(text));
    bool ok = schema_validate(&ctx, schema_by_name(&ctx, "Item"), value, err);
    json_decref(value);
    free(text);
    json_decref(doc);
    return ok;
}

static const struct {
    const char *key, *unit;
    size_t count;
    const char *path;    /* NULL when valid */
    const char *message; /* expected message when invalid */
} LENGTHS[] = {
    /* names: 256 characters */
    {"name", "a", SCHEMA_NAME_MAX_LENGTH, NULL, NULL},
    {"name", "a", SCHEMA_NAME_MAX_LENGTH + 1, "name",
     "Value must be at most 256 characters long (it has 257)."},
    {"displayName", "a", 100000, "displayName",
     "Value must be at most 256 characters long (it has 100000)."},
    {"inner.name", "a", 300, "inner.name", "Value must be at most 256 characters long (it has 300)."},
    /* characters, not bytes: 256 two-byte and four-byte characters fit */
    {"name", "\xc3\xa9", SCHEMA_NAME_MAX_LENGTH, NULL, NULL},
    {"name", "\xf0\x9f\x99\x82", SCHEMA_NAME_MAX_LENGTH, NULL, NULL},
    {"name", "\xc3\xa9", SCHEMA_NAME_MAX_LENGTH + 1, "name",
     "Value must be at most 256 characters long (it has 257)."},
    /* other text: 4,096; array items by the array's name */
    {"notes", "a", SCHEMA_TEXT_MAX_LENGTH, NULL, NULL},
    {"notes", "a", SCHEMA_TEXT_MAX_LENGTH + 1, "notes",
     "Value must be at most 4096 characters long (it has 4097)."},
    {"tags", "a", SCHEMA_TEXT_MAX_LENGTH + 1, "tags[1]",
     "Value must be at most 4096 characters long (it has 4097)."},
    {"any", "a", SCHEMA_TEXT_MAX_LENGTH + 1, "any",
     "Value must be at most 4096 characters long (it has 4097)."},
    /* content: 1 MiB of characters */
    {"certificateContent", "a", 100000, NULL, NULL},
    {"blob", "a", 100000, NULL, NULL},
    {"certificateContent", "a", SCHEMA_CONTENT_MAX_LENGTH + 1, "certificateContent",
     "Value must be at most 1048576 characters long (it has 1048577)."},
    /* the contract's maxLength wins, tighter or wider, also through allOf */
    {"short", "a", 5, NULL, NULL},
    {"short", "a", 6, "short", "Value must be at most 5 characters long (it has 6)."},
    {"wide", "a", 10000, NULL, NULL},
    {"wide", "a", 10001, "wide", "Value must be at most 10000 characters long (it has 10001)."},
};

START_TEST(test_length_case)
{
    schema_error err;
    bool ok = item_with(LENGTHS[_i].key, LENGTHS[_i].unit, LENGTHS[_i].count, &err);
    if (!LENGTHS[_i].path) {
        ck_assert_msg(ok, "case %d: expected valid, got '%s': %s", _i, err.path, err.message);
    } else {
        ck_assert_msg(!ok, "case %d: expected a violation at %s", _i, LENGTHS[_i].path);
        ck_assert_str_eq(err.path, LENGTHS[_i].path);
        ck_assert_str_eq(err.message, LENGTHS[_i].message);
    }
}
END_TEST

START_TEST(test_length_not_a_property)
{
    /* a string that is no property (a parameter, a whole body) gets no default */
    json_t *doc = json_loads(LENGTH_DOC, 0, NULL);
    schema_ctx ctx;
    schema_ctx_init(&ctx, doc, false);
    char *text = repeat("a", 100000);
    json_t *value = json_string(text);
    ck_assert(schema_validate(&ctx, schema_by_name(&ctx, "Text"), value, NULL));
    json_decref(value);
    free(text);
    json_decref(doc);
}
END_TEST

START_TEST(test_length_in_the_contract)
{
    /* the contract gives no maxLength: the defaults are what applies */
    ck_assert_ptr_nonnull(doc_3_6_1);
    char *dump = json_dumps(doc_3_6_1, JSON_COMPACT);
    ck_assert_ptr_null(strstr(dump, "\"maxLength\""));
    free(dump);
    schema_ctx ctx;
    schema_ctx_init(&ctx, doc_3_6_1, false);
    char *name = repeat("n", 100000);
    json_t *input = json_pack("{s:{s:s}, s:{s:s, s:s}}", "organizationInput", "name", name,
                              "ownerCredentials", "userName", "owner", "password", "Secret1!");
    schema_error err;
    ck_assert(!schema_validate(&ctx, schema_by_name(&ctx, "CompanyInput"), input, &err));
    ck_assert_str_eq(err.path, "organizationInput.name");
    ck_assert_str_eq(err.message, "Value must be at most 256 characters long (it has 100000).");
    json_object_set_new(json_object_get(input, "organizationInput"), "name", json_string("Acme"));
    ck_assert_msg(schema_validate(&ctx, schema_by_name(&ctx, "CompanyInput"), input, &err), "%s: %s",
                  err.path, err.message);
    json_decref(input);
    free(name);
}
END_TEST

static Suite *schema_suite(void)
{
    Suite *s = suite_create("schema");
    TCase *keywords = tcase_create("keywords");
    tcase_add_unchecked_fixture(keywords, load_mini, free_mini);
    tcase_add_loop_test(keywords, test_keyword_case, 0, (int)(sizeof CASES / sizeof CASES[0]));
    tcase_add_test(keywords, test_long_enum_message_is_cut);
    tcase_add_test(keywords, test_deep_nesting);
    tcase_add_test(keywords, test_missing_arguments);
    tcase_add_test(keywords, test_lookup_and_resolve);
    tcase_add_test(keywords, test_ref_name);
    tcase_add_test(keywords, test_nullable_and_type);
    suite_add_tcase(s, keywords);
    TCase *formats = tcase_create("formats");
    tcase_add_loop_test(formats, test_date_time_table, 0,
                        (int)(sizeof DATE_TIMES / sizeof DATE_TIMES[0]));
    tcase_add_loop_test(formats, test_date_table, 0, (int)(sizeof DATES / sizeof DATES[0]));
    tcase_add_test(formats, test_formats_null);
    suite_add_tcase(s, formats);
    TCase *contract = tcase_create("contract");
    tcase_add_unchecked_fixture(contract, load_contracts, free_contracts);
    tcase_add_loop_test(contract, test_contract_case, 0,
                        (int)(sizeof CONTRACT_CASES / sizeof CONTRACT_CASES[0]));
    suite_add_tcase(s, contract);
    TCase *lengths = tcase_create("lengths");
    tcase_add_unchecked_fixture(lengths, load_contracts, free_contracts);
    tcase_add_loop_test(lengths, test_length_case, 0, (int)(sizeof LENGTHS / sizeof LENGTHS[0]));
    tcase_add_test(lengths, test_length_not_a_property);
    tcase_add_test(lengths, test_length_in_the_contract);
    suite_add_tcase(s, lengths);
    return s;
}

int main(void)
{
    return test_run_suite(schema_suite(), CK_FORK);
}
