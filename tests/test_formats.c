/* test_formats.c — units of the answer formats: Accept negotiation
 * (answer/accept.h), CSV (answer/serialise_csv.h: flattening, the header's
 * union, RFC 4180 quoting) and XML (answer/serialise_xml.h: names, escaping,
 * nil, item names without a schema). The same over HTTP, with the
 * contract's schemas: test_http_formats.c. */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "answer/accept.h"
#include "answer/serialise_csv.h"
#include "answer/serialise_xml.h"
#include "base/buf.h"
#include "testutil.h"

START_TEST(accept_picks_by_quality_then_order)
{
    static const struct {
        const char *accept;
        bool acceptable;
        answer_format format;
    } cases[] = {
        {NULL, true, FORMAT_JSON},
        {"", true, FORMAT_JSON},
        {"text/csv", true, FORMAT_CSV},
        {"TEXT/CSV", true, FORMAT_CSV},
        {"text/csv, application/xml", true, FORMAT_CSV},
        {"text/csv;q=0.4, application/xml;q=0.5", true, FORMAT_XML},
        {"text/csv;q=0.5, application/xml;q=0.5", true, FORMAT_CSV},
        {"text/csv;charset=utf-8;q=0.9, application/json;q=0.1", true, FORMAT_CSV},
        {"application/*", true, FORMAT_JSON},
        {"image/png, */*;q=0.01", true, FORMAT_JSON},
        {"*/*;q=0, text/xml", true, FORMAT_XML},
        {"image/png", false, FORMAT_JSON},
        {"text/csv;q=0", false, FORMAT_JSON},
        {"garbage", true, FORMAT_JSON}, /* no media range at all: as if none */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        accept_choice c = accept_choose(cases[i].accept);
        ck_assert_msg(c.acceptable == cases[i].acceptable, "%s", cases[i].accept);
        if (c.acceptable)
            ck_assert_msg(c.format == cases[i].format, "%s: %d", cases[i].accept, c.format);
    }
    ck_assert_str_eq(accept_choose("text/xml").content_type, "text/xml; charset=utf-8");
}
END_TEST

static char *csv_of(const char *json)
{
    json_t *body = json_loads(json, 0, NULL);
    ck_assert_ptr_nonnull(body);
    buf b;
    buf_init(&b);
    ck_assert(serialise_csv(body, &b));
    json_decref(body);
    char *text = buf_take(&b, NULL);
    buf_free(&b);
    return text;
}

START_TEST(csv_flattens_and_quotes)
{
    char *text = csv_of("{\"data\":[{\"a\":1,\"o\":{\"b\":\"x,y\",\"c\":null},\"l\":[\"p\",{\"q\":true}]},"
                        "{\"a\":2.5,\"z\":\"say \\\"hi\\\"\\nbye\"}]}");
    ck_assert_str_eq(text, "a,o.b,o.c,l.0,l.1.q,z\r\n"
                           "1,\"x,y\",,p,true,\r\n"
                           "2.5,,,,,\"say \"\"hi\"\"\nbye\"\r\n");
    free(text);
    text = csv_of("{\"data\":{\"name\":\"one\"}}"); /* one resource, one row */
    ck_assert_str_eq(text, "name\r\none\r\n");
    free(text);
    text = csv_of("{\"errors\":[]}"); /* nothing: no header either */
    ck_assert_str_eq(text, "");
    free(text);
    text = csv_of("{\"meta\":{\"pagingInfo\":{\"total\":0}},\"data\":[]}");
    ck_assert_str_eq(text, "");
    free(text);
}
END_TEST

START_TEST(xml_names_escapes_and_nils)
{
    json_t *body = json_loads("{\"data\":[{\"n\":\"a<b & 'c'\",\"x\":null,\"1st\":1,\"k y\":[\"s\"],"
                              "\"t\":\"\\u0001\"}]}", 0, NULL);
    buf b;
    buf_init(&b);
    ck_assert(serialise_xml(body, NULL, NULL, NULL, &b));
    char *text = buf_take(&b, NULL);
    ck_assert_str_eq(text, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                           "<Response xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
                           "<data><item><n>a&lt;b &amp; &apos;c&apos;</n><x xsi:nil=\"true\"/>"
                           "<_1st>1</_1st><k_y><string>s</string></k_y>"
                           "<t>\xEF\xBF\xBD</t></item></data></Response>\n");
    free(text);
    buf_free(&b);
    json_decref(body);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("formats");
    TCase *tc = tcase_create("formats");
    tcase_add_test(tc, accept_picks_by_quality_then_order);
    tcase_add_test(tc, csv_flattens_and_quotes);
    tcase_add_test(tc, xml_names_escapes_and_nils);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
