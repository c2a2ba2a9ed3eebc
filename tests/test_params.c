/* test_params.c — parameters from text to typed values, against the real
 * 3.6.1 contract: every type, format and rule, and every error path. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract/contract.h"
#include "answer/errors.h"
#include "request/params.h"
#include "testutil.h"

static contract *c;

static void load(void)
{
    c = test_load_contract("3.6.1");
}

static void unload(void) { contract_free(c); }

/* Runs params_parse for an operation with the given query pairs; returns
 * the typed values or NULL, leaving the error in *res. */
static json_t *parse(const char *operation_id, const kv *query, size_t n, const char *path,
                     response *res)
{
    const operation *op = contract_find_op(c, operation_id);
    ck_assert_ptr_nonnull(op);
    route_match m;
    if (path)
        ck_assert_int_eq(router_match(c->routes, op->method, path, &m), ROUTE_FOUND);
    param_input in = {query, n, NULL, 0, path ? &m : NULL, 500};
    json_t *out = NULL;
    response_init(res);
    params_parse(op, &in, &out, res);
    return out;
}

/* Asserts the error in res names `param` and mentions `text`. */
static void assert_param_error(response *res, const char *param, const char *text)
{
    ck_assert_int_eq(res->status, 400);
    response_serialise(res);
    json_t *j = json_loads(res->body, 0, NULL);
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(e, "parameterName")), param);
    const char *msg = json_string_value(json_object_get(e, "message"));
    ck_assert_msg(strstr(msg, text), "'%s' lacks '%s'", msg, text);
    json_decref(j);
    response_clear(res);
}

START_TEST(paging_defaults_and_rules)
{
    response res;
    json_t *v = parse("GetCompanies", NULL, 0, NULL, &res);
    ck_assert_int_eq(json_integer_value(json_object_get(v, "limit")), 100);
    ck_assert_int_eq(json_integer_value(json_object_get(v, "offset")), 0);
    json_decref(v);
    kv q[] = {{"Offset", "10"}, {"limit", "5"}};
    v = parse("GetCompanies", q, 2, NULL, &res);
    ck_assert_int_eq(json_integer_value(json_object_get(v, "offset")), 10);
    ck_assert_int_eq(json_integer_value(json_object_get(v, "limit")), 5);
    json_decref(v);
    kv neg[] = {{"offset", "-1"}};
    ck_assert_ptr_null(parse("GetCompanies", neg, 1, NULL, &res));
    assert_param_error(&res, "offset", "Property value must be larger or equal to 0.");
    kv big[] = {{"limit", "501"}};
    ck_assert_ptr_null(parse("GetCompanies", big, 1, NULL, &res));
    assert_param_error(&res, "limit", "less or equal to 500");
    kv text[] = {{"limit", "ten"}};
    ck_assert_ptr_null(parse("GetCompanies", text, 1, NULL, &res));
    assert_param_error(&res, "limit", "'ten' is not a valid integer");
    kv empty[] = {{"limit", ""}};
    ck_assert_ptr_null(parse("GetCompanies", empty, 1, NULL, &res));
    assert_param_error(&res, "limit", "not a valid integer");
    kv twice[] = {{"limit", "1"}, {"limit", "2"}};
    ck_assert_ptr_null(parse("GetCompanies", twice, 2, NULL, &res));
    assert_param_error(&res, "limit", "once");
    kv huge[] = {{"offset", "99999999999999999999999"}};
    ck_assert_ptr_null(parse("GetCompanies", huge, 1, NULL, &res));
    assert_param_error(&res, "offset", "not a valid integer");
}
END_TEST

START_TEST(enum_arrays)
{
    response res;
    kv one[] = {{"expand", "organization"}};
    json_t *v = parse("GetCompanies", one, 1, NULL, &res);
    json_t *ex = json_object_get(v, "expand");
    ck_assert_uint_eq(json_array_size(ex), 1);
    ck_assert_str_eq(json_string_value(json_array_get(ex, 0)), "Organization");
    json_decref(v);
    kv js[] = {{"expand", "[\"Organization\"]"}};
    v = parse("GetCompanies", js, 1, NULL, &res);
    ck_assert_uint_eq(json_array_size(json_object_get(v, "expand")), 1);
    json_decref(v);
    kv bad[] = {{"expand", "Nothing"}};
    ck_assert_ptr_null(parse("GetCompanies", bad, 1, NULL, &res));
    assert_param_error(&res, "expand", "Valid values: Organization");
    kv badjson[] = {{"expand", "[\"Organization\""}};
    ck_assert_ptr_null(parse("GetCompanies", badjson, 1, NULL, &res));
    assert_param_error(&res, "expand", "not a valid JSON array");
}
END_TEST

START_TEST(path_uuid_and_required_query)
{
    response res;
    json_t *v = parse("GetCompany", NULL, 0,
                      "/organizations/companies/5D7E2C1A-0000-4000-8000-00000000000A", &res);
    /* a UUID matches ignoring case; its typed value is the lower-case form */
    ck_assert_str_eq(json_string_value(json_object_get(v, "companyUid")),
                     "5d7e2c1a-0000-4000-8000-00000000000a");
    json_decref(v);
    ck_assert_ptr_null(parse("GetCompany", NULL, 0, "/organizations/companies/123", &res));
    assert_param_error(&res, "companyUid", "'123' is not a valid UUID");
    ck_assert_ptr_null(parse("ResolveActiveAlarm", NULL, 0,
                             "/alarms/active/5d7e2c1a-0000-4000-8000-00000000000a/resolve", &res));
    assert_param_error(&res, "comment", "required");
    kv b[] = {{"comment", "ok"}, {"resolveOnClients", "TRUE"}};
    v = parse("ResolveActiveAlarm", b, 2,
              "/alarms/active/5d7e2c1a-0000-4000-8000-00000000000a/resolve", &res);
    ck_assert(json_is_true(json_object_get(v, "resolveOnClients")));
    json_decref(v);
    kv nb[] = {{"comment", "ok"}, {"resolveOnClients", "yes"}};
    ck_assert_ptr_null(parse("ResolveActiveAlarm", nb, 2,
                             "/alarms/active/5d7e2c1a-0000-4000-8000-00000000000a/resolve", &res));
    assert_param_error(&res, "resolveOnClients", "true or false");
}
END_TEST

START_TEST(coerce_scalars)
{
    const schema_ctx *ctx = &c->schemas;
    char why[256];
    json_t *out;
    json_t *s_date = json_pack("{s:s, s:s}", "type", "string", "format", "date");
    json_t *s_dt = json_pack("{s:s, s:s}", "type", "string", "format", "date-time");
    json_t *s_num = json_pack("{s:s}", "type", "number");
    json_t *s_obj = json_pack("{s:s}", "type", "object");
    const char *t;
    t = "2026-02-28";
    ck_assert(params_coerce(ctx, s_date, &t, 1, &out, why, sizeof why));
    json_decref(out);
    t = "2026-02-30";
    ck_assert(!params_coerce(ctx, s_date, &t, 1, &out, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "date"));
    t = "2026-11-22T10:00:00Z";
    ck_assert(params_coerce(ctx, s_dt, &t, 1, &out, why, sizeof why));
    json_decref(out);
    t = "yesterday";
    ck_assert(!params_coerce(ctx, s_dt, &t, 1, &out, why, sizeof why));
    t = "2.5";
    ck_assert(params_coerce(ctx, s_num, &t, 1, &out, why, sizeof why));
    ck_assert(json_real_value(out) == 2.5);
    json_decref(out);
    t = "2.5x";
    ck_assert(!params_coerce(ctx, s_num, &t, 1, &out, why, sizeof why));
    t = "{\"a\":1}";
    ck_assert(params_coerce(ctx, s_obj, &t, 1, &out, why, sizeof why));
    json_decref(out);
    t = "{";
    ck_assert(!params_coerce(ctx, s_obj, &t, 1, &out, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "not valid JSON"));
    json_decref(s_date);
    json_decref(s_dt);
    json_decref(s_num);
    json_decref(s_obj);
}
END_TEST

START_TEST(form_fields_are_typed)
{
    const schema_ctx *ctx = &c->schemas;
    const json_t *body = schema_by_name(ctx, "OAuth2IssueTokenBody");
    char prop[64], why[256];
    json_t *o = json_pack("{s:s, s:s, s:s}", "grant_type", "password", "readOnly", "true",
                          "unknownField", "kept");
    ck_assert(params_coerce_object(ctx, body, o, prop, sizeof prop, why, sizeof why));
    ck_assert(json_is_true(json_object_get(o, "readOnly")));
    ck_assert_str_eq(json_string_value(json_object_get(o, "unknownField")), "kept");
    json_object_set_new(o, "readOnly", json_string("perhaps"));
    ck_assert(!params_coerce_object(ctx, body, o, prop, sizeof prop, why, sizeof why));
    ck_assert_str_eq(prop, "readOnly");
    json_decref(o);
}
END_TEST

/* Every refusal must reach the client: the message goes into a JSON error
 * body, where text that is not UTF-8 cannot go (errors.c then answers "Out
 * of memory."). Found with fuzz_params. */
START_TEST(messages_stay_utf8)
{
    response res;
    kv bad[] = {{"limit", "1\xff"}};
    ck_assert_ptr_null(parse("GetCompanies", bad, 1, NULL, &res));
    assert_param_error(&res, "limit", "The value is not valid UTF-8 text.");
    /* a long value quoted in the message is cut on a character boundary */
    char text[1200] = "";
    for (int i = 0; i < 500; i++)
        strcat(text, "\xc3\xa9"); /* e-acute */
    kv long_text[] = {{"limit", text}};
    ck_assert_ptr_null(parse("GetCompanies", long_text, 1, NULL, &res));
    assert_param_error(&res, "limit", "The value '\xc3\xa9");
    json_t *integer = json_pack("{s:s}", "type", "integer");
    for (size_t cut = 500; cut < 520; cut++) { /* whatever the room, the message is text */
        char why[520];
        json_t *v = NULL;
        const char *texts[] = {text};
        ck_assert(!params_coerce(&c->schemas, integer, texts, 1, &v, why, cut));
        json_t *s = json_string(why);
        ck_assert_msg(s != NULL, "cut at %zu: not UTF-8", cut);
        json_decref(s);
    }
    json_decref(integer);
}
END_TEST

/* A JSON array item that is not a string was cut to 255 bytes of its text
 * before being typed. */
START_TEST(long_array_items_are_whole)
{
    json_t *schema = json_pack("{s:s, s:{s:s}}", "type", "array", "items", "type", "object");
    char text[700], why[256];
    snprintf(text, sizeof text, "[{\"note\":\"%0600d\"}]", 7);
    const char *texts[] = {text};
    json_t *v = NULL;
    ck_assert_msg(params_coerce(&c->schemas, schema, texts, 1, &v, why, sizeof why), "%s", why);
    ck_assert_uint_eq(strlen(json_string_value(json_object_get(json_array_get(v, 0), "note"))),
                      600);
    json_decref(v);
    json_decref(schema);
}
END_TEST

START_TEST(kv_lookup_ignores_case)
{
    kv h[] = {{"Content-Type", "a"}, {"X-Client-Version", "3.6"}};
    ck_assert_str_eq(kv_find(h, 2, "x-client-version"), "3.6");
    ck_assert_ptr_null(kv_find(h, 2, "Authorization"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("params");
    TCase *tc = tcase_create("params");
    tcase_add_unchecked_fixture(tc, load, unload);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, paging_defaults_and_rules);
    tcase_add_test(tc, enum_arrays);
    tcase_add_test(tc, path_uuid_and_required_query);
    tcase_add_test(tc, coerce_scalars);
    tcase_add_test(tc, form_fields_are_typed);
    tcase_add_test(tc, kv_lookup_ignores_case);
    tcase_add_test(tc, messages_stay_utf8);
    tcase_add_test(tc, long_array_items_are_whole);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
