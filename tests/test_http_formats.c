/* test_http_formats.c — answers in the format Accept asks for
 * (answer/accept.h, pipeline/negotiate.h) over real HTTP: the same page
 * of companies as JSON, XML (well formed, elements named from the schema)
 * and CSV (a header, one row per item, RFC 4180 quoting that round-trips
 * a name holding a comma and quotes); q-values; 406 for an Accept that
 * names nothing the emulator writes; errors in the format asked for; the
 * XML downloads answer XML whatever the Accept. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpclient.h"
#include "testutil.h"

static test_server server;

#define TRICKY_NAME "Comma, \"Quote\" & <Tag> Co"

static void setup(void) { server_start(&server, NULL); }
static void teardown(void) { server_stop(&server); }

/* GET path (under /api/v3) with that Accept (NULL: none sent). */
static void get(const char *path, const char *accept, http_result *r)
{
    char url[512], header[256];
    snprintf(url, sizeof url, "%s/api/v3%s", server.base, path);
    snprintf(header, sizeof header, "Accept: %s", accept ? accept : "");
    const char *headers[] = {header, NULL};
    ck_assert(http_call("GET", url, accept ? headers : NULL, NULL, 0, NULL, r));
}

/* --- a minimal XML well-formedness check ------------------------------- */

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.' || c == ':' || (unsigned char)c >= 0x80;
}

/* Text up to the next '<': every '&' starts one of the five entities. */
static bool text_ok(const char **p)
{
    static const char *const entities[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    while (**p && **p != '<') {
        if (**p == '&') {
            size_t i, n = sizeof entities / sizeof entities[0];
            for (i = 0; i < n && strncmp(*p, entities[i], strlen(entities[i])); i++)
                ;
            if (i == n)
                return false;
            *p += strlen(entities[i]);
        } else if (**p == '>') {
            (*p)++; /* allowed, though we never write it */
        } else {
            (*p)++;
        }
    }
    return true;
}

/* Whether doc is one well-formed element after an XML declaration;
 * root gets the root element's name. Attributes: name="value". */
static bool xml_well_formed(const char *doc, char *root, size_t rootlen)
{
    if (strncmp(doc, "<?xml ", 6))
        return false;
    const char *p = strstr(doc, "?>");
    if (!p)
        return false;
    p += 2;
    char stack[64][128];
    int depth = 0, roots = 0;
    root[0] = 0;
    while (*p) {
        if (!text_ok(&p))
            return false;
        if (!*p)
            break;
        if (depth == 0 && roots == 1)
            return false; /* a second root */
        p++; /* '<' */
        bool closing = *p == '/';
        if (closing)
            p++;
        const char *name = p;
        while (name_char(*p))
            p++;
        size_t len = (size_t)(p - name);
        if (!len || len >= sizeof stack[0])
            return false;
        if (closing) {
            if (!depth || strncmp(stack[depth - 1], name, len) || stack[depth - 1][len] || *p != '>')
                return false;
            depth--, p++;
            continue;
        }
        while (*p == ' ') { /* attributes */
            p++;
            while (name_char(*p))
                p++;
            if (*p++ != '=' || *p++ != '"')
                return false;
            while (*p && *p != '"' && *p != '<')
                p++;
            if (*p++ != '"')
                return false;
        }
        if (depth == 0) {
            roots++;
            snprintf(root, rootlen, "%.*s", (int)len, name);
        }
        if (*p == '/' && p[1] == '>') {
            p += 2;
            continue;
        }
        if (*p != '>' || depth == 64)
            return false;
        snprintf(stack[depth++], sizeof stack[0], "%.*s", (int)len, name);
        p++;
    }
    return depth == 0 && roots == 1;
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* --- a small RFC 4180 reader: rows of cells, as a JSON array of arrays -- */

static json_t *csv_parse(const char *p)
{
    json_t *rows = json_array(), *row = json_array();
    char cell[4096];
    size_t n = 0;
    bool quoted = false, any = false;
    for (;; p++) {
        if (quoted) {
            ck_assert_msg(*p, "unterminated quoted cell");
            if (*p == '"' && p[1] == '"')
                cell[n++] = '"', p++;
            else if (*p == '"')
                quoted = false;
            else
                cell[n++] = *p;
            continue;
        }
        if (*p == '"' && n == 0) {
            quoted = any = true;
        } else if (*p == ',' || *p == '\r' || *p == 0) {
            if (*p == 0 && !any && n == 0 && json_array_size(row) == 0)
                break;
            cell[n] = 0;
            json_array_append_new(row, json_string(cell));
            n = 0, any = false;
            if (*p == '\r') {
                ck_assert_msg(p[1] == '\n', "a line must end in CRLF");
                p++;
                json_array_append_new(rows, row);
                row = json_array();
            } else if (*p == 0) {
                json_array_append_new(rows, row);
                row = NULL;
                break;
            }
        } else {
            ck_assert_msg(*p != '"' && *p != '\n', "a quote or LF in an unquoted cell");
            cell[n++] = *p, any = true;
        }
        ck_assert(n < sizeof cell - 1);
    }
    json_decref(row);
    return rows;
}

static long column_of(const json_t *header, const char *name)
{
    size_t i;
    const json_t *cell;
    json_array_foreach(header, i, cell) if (!strcmp(json_string_value(cell), name)) return (long)i;
    return -1;
}

/* The first company, renamed to TRICKY_NAME (its uid in uid). */
static void rename_first_company(char *uid, size_t len)
{
    long status;
    json_t *page = http_get_json(&server, "/api/v3/organizations/companies?limit=1", &status);
    ck_assert_int_eq(status, 200);
    const char *id = json_string_value(
        json_object_get(json_array_get(json_object_get(page, "data"), 0), "instanceUid"));
    ck_assert_ptr_nonnull(id);
    snprintf(uid, len, "%s", id);
    json_decref(page);
    char path[256];
    snprintf(path, sizeof path, "/organizations/companies/%s", uid);
    json_t *patch = json_pack("[{s:s,s:s,s:s}]", "op", "replace", "path", "/name", "value",
                              TRICKY_NAME);
    char *body = json_dumps(patch, 0);
    json_decref(http_call_as(&server, http_bearer(), "PATCH", path, NULL, body, &status));
    ck_assert_int_eq(status, 200);
    free(body);
    json_decref(patch);
}

START_TEST(xml_page_is_well_formed_and_named_from_the_schema)
{
    char uid[64];
    rename_first_company(uid, sizeof uid);
    long status;
    json_t *page = http_get_json(&server, "/api/v3/organizations/companies?limit=5", &status);
    ck_assert_int_eq(status, 200);
    size_t items = json_array_size(json_object_get(page, "data"));
    ck_assert_uint_gt(items, 1);
    http_result r;
    get("/organizations/companies?limit=5", "application/xml", &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.content_type, "application/xml; charset=utf-8");
    char root[128];
    ck_assert_msg(xml_well_formed(r.body, root, sizeof root), "not well formed: %.300s", r.body);
    ck_assert_str_eq(root, "GetCompaniesResponse200");
    ck_assert_int_eq(count_of(r.body, "<Company>"), (int)items);
    char total[64];
    snprintf(total, sizeof total, "<total>%lld</total>",
             (long long)json_integer_value(json_object_get(
                 json_object_get(json_object_get(page, "meta"), "pagingInfo"), "total")));
    ck_assert_ptr_nonnull(strstr(r.body, total));
    ck_assert_ptr_nonnull(strstr(r.body, "<name>Comma, &quot;Quote&quot; &amp; &lt;Tag&gt; Co</name>"));
    ck_assert_ptr_nonnull(strstr(r.body, "<password xsi:nil=\"true\"/>")); /* null */
    http_result_free(&r);
    json_decref(page);
    /* one resource: its members under data, text/xml as asked */
    char path[256];
    snprintf(path, sizeof path, "/organizations/companies/%s", uid);
    get(path, "text/xml", &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.content_type, "text/xml; charset=utf-8");
    ck_assert(xml_well_formed(r.body, root, sizeof root));
    ck_assert_int_eq(count_of(r.body, "<data><ownerCredentials>"), 1);
    http_result_free(&r);
}
END_TEST

START_TEST(csv_page_round_trips)
{
    char uid[64];
    rename_first_company(uid, sizeof uid);
    long status;
    json_t *page = http_get_json(&server, "/api/v3/organizations/companies?limit=7", &status);
    ck_assert_int_eq(status, 200);
    const json_t *data = json_object_get(page, "data");
    http_result r;
    get("/organizations/companies?limit=7", "text/csv", &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.content_type, "text/csv; charset=utf-8");
    json_t *rows = csv_parse(r.body);
    ck_assert_uint_eq(json_array_size(rows), json_array_size(data) + 1); /* header + items */
    const json_t *header = json_array_get(rows, 0);
    long c_uid = column_of(header, "instanceUid"), c_name = column_of(header, "name");
    long c_user = column_of(header, "ownerCredentials.userName");
    ck_assert(c_uid >= 0 && c_name >= 0 && c_user >= 0);
    bool tricky = false;
    for (size_t i = 0; i < json_array_size(data); i++) {
        const json_t *item = json_array_get(data, i), *row = json_array_get(rows, i + 1);
        ck_assert_uint_eq(json_array_size(row), json_array_size(header));
        ck_assert_str_eq(json_string_value(json_array_get(row, (size_t)c_uid)),
                         json_string_value(json_object_get(item, "instanceUid")));
        ck_assert_str_eq(json_string_value(json_array_get(row, (size_t)c_name)),
                         json_string_value(json_object_get(item, "name")));
        ck_assert_str_eq(json_string_value(json_array_get(row, (size_t)c_user)),
                         json_string_value(json_object_get(
                             json_object_get(item, "ownerCredentials"), "userName")));
        tricky |= !strcmp(json_string_value(json_array_get(row, (size_t)c_name)), TRICKY_NAME);
    }
    ck_assert_msg(tricky, "the renamed company is not in the CSV");
    ck_assert_ptr_nonnull(strstr(r.body, "\"Comma, \"\"Quote\"\" & <Tag> Co\""));
    json_decref(rows);
    http_result_free(&r);
    json_decref(page);
    /* one resource: a header and one row */
    char path[256];
    snprintf(path, sizeof path, "/organizations/companies/%s", uid);
    get(path, "text/csv", &r);
    ck_assert_int_eq(r.status, 200);
    rows = csv_parse(r.body);
    ck_assert_uint_eq(json_array_size(rows), 2);
    json_decref(rows);
    http_result_free(&r);
}
END_TEST

/* The format an Accept header gets for a page of companies. */
static const char *format_for(const char *accept, long *status)
{
    http_result r;
    get("/organizations/companies?limit=2", accept, &r);
    *status = r.status;
    static char type[128];
    snprintf(type, sizeof type, "%s", r.content_type);
    if (strstr(type, "json")) { /* and it is JSON */
        json_t *doc = json_loadb(r.body, r.len, 0, NULL);
        ck_assert_ptr_nonnull(doc);
        json_decref(doc);
    }
    http_result_free(&r);
    return type;
}

START_TEST(q_values_choose)
{
    static const struct {
        const char *accept, *type;
    } cases[] = {
        {NULL, "application/json; charset=utf-8"},
        {"application/json", "application/json; charset=utf-8"},
        {"*/*", "application/json; charset=utf-8"},
        {"text/csv, */*;q=0.1", "application/json; charset=utf-8"}, /* a browser's: JSON */
        {"image/png, */*;q=0.1", "application/json; charset=utf-8"},
        {"application/json;q=0.5, text/csv", "text/csv; charset=utf-8"},
        {"text/csv;q=0.2, application/xml;q=0.8", "application/xml; charset=utf-8"},
        {"application/xml;q=0, text/csv", "text/csv; charset=utf-8"},
        {"image/png;q=1.0, text/xml;q=0.3", "text/xml; charset=utf-8"},
        {"text/*", "text/json; charset=utf-8"},
        {"application/xml ; q=0.9 , text/csv ; q=0.9", "application/xml; charset=utf-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long status;
        const char *type = format_for(cases[i].accept, &status);
        ck_assert_msg(status == 200, "Accept %s: %ld", cases[i].accept, status);
        ck_assert_msg(!strcmp(type, cases[i].type), "Accept %s: %s, not %s", cases[i].accept,
                      type, cases[i].type);
    }
}
END_TEST

START_TEST(unsupported_accept_is_406)
{
    static const char *const refused[] = {"image/png", "application/json;q=0",
                                          "text/html, application/pdf", "application/*+yaml"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        http_result r;
        get("/organizations/companies", refused[i], &r);
        ck_assert_msg(r.status == 406, "Accept %s: %ld", refused[i], r.status);
        ck_assert_str_eq(r.content_type, "application/json; charset=utf-8");
        json_t *doc = json_loadb(r.body, r.len, 0, NULL);
        const json_t *err = json_array_get(json_object_get(doc, "errors"), 0);
        ck_assert_int_eq(json_integer_value(json_object_get(err, "code")), 406);
        ck_assert_str_eq(json_string_value(json_object_get(err, "type")), "logical");
        json_decref(doc);
        http_result_free(&r);
    }
}
END_TEST

START_TEST(errors_come_in_the_format_asked_for)
{
    http_result r;
    get("/organizations/companies?limit=abc", "application/xml", &r);
    ck_assert_int_eq(r.status, 400);
    char root[128];
    ck_assert(xml_well_formed(r.body, root, sizeof root));
    ck_assert_str_eq(root, "ErrorResponse");
    ck_assert_ptr_nonnull(strstr(r.body, "<ResponseError><message>"));
    ck_assert_ptr_nonnull(strstr(r.body, "<parameterName>limit</parameterName>"));
    http_result_free(&r);
    get("/organizations/companies?limit=abc", "text/csv", &r);
    ck_assert_int_eq(r.status, 400);
    json_t *rows = csv_parse(r.body);
    ck_assert_uint_eq(json_array_size(rows), 2);
    const json_t *header = json_array_get(rows, 0);
    ck_assert(column_of(header, "message") >= 0 && column_of(header, "code") >= 0);
    ck_assert_str_eq(json_string_value(json_array_get(json_array_get(rows, 1),
                                                      (size_t)column_of(header, "code"))),
                     "400");
    json_decref(rows);
    http_result_free(&r);
}
END_TEST

START_TEST(xml_downloads_answer_xml)
{
    char path[256];
    long status;
    json_t *page = http_get_json(&server, "/api/v3/organizations/companies?limit=1", &status);
    snprintf(path, sizeof path, "/organizations/%s/identityProviders/saml2/idp/metadata",
             json_string_value(json_object_get(
                 json_array_get(json_object_get(page, "data"), 0), "instanceUid")));
    json_decref(page);
    const char *const downloads[] = {
        "/deployment/deploy/backupServers/configuration/xml?backupServerDeploymentType=installation",
        "/deployment/deploy/voneServers/configuration/xml?voneServerDeploymentType=upgrade",
        path,
    };
    /* a file goes out as it is, whatever the Accept */
    const char *const accepts[] = {"application/xml", "text/csv", "image/png"};
    for (size_t i = 0; i < 3; i++) {
        http_result r;
        get(downloads[i], accepts[i], &r);
        ck_assert_msg(r.status == 200, "%s: %ld %s", downloads[i], r.status, r.body);
        ck_assert_str_eq(r.content_type, "application/xml; charset=utf-8");
        char root[128];
        ck_assert(xml_well_formed(r.body, root, sizeof root));
        http_result_free(&r);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_formats");
    TCase *tc = tcase_create("formats");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, xml_page_is_well_formed_and_named_from_the_schema);
    tcase_add_test(tc, csv_page_round_trips);
    tcase_add_test(tc, q_values_choose);
    tcase_add_test(tc, unsupported_accept_is_406);
    tcase_add_test(tc, errors_come_in_the_format_asked_for);
    tcase_add_test(tc, xml_downloads_answer_xml);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
