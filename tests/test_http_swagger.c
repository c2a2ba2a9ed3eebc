/* test_http_swagger.c — Swagger UI at /api/swagger/ (server/swagger/swagger.h)
 * over real HTTP.
 *
 * Without arguments: the file server on a folder the test makes (its
 * files with their Content-Type and Cache-Control; no way out of the
 * folder: "..", encoded slashes, subfolders, hidden files, a symbolic link
 * to a file outside), the redirect, the contract documents with their
 * bearer scheme, the configuration listing the three versions, 405, and
 * a server without the assets that still runs and says how to get them.
 *
 * With the argument "browser" (the meson test swagger_browser): the real
 * swagger-ui-dist in headless Chromium — the page loads, lists the tags
 * and GetCompanies, and a GET tried from it with a token answers 200; a
 * screenshot is kept in the build dir (swagger-ui.png). Exits 77 (skipped)
 * when Chromium or the assets are missing (./dev.sh test installs both).
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "httpclient.h"
#include "testutil.h"

static test_server server;
static char folder[64]; /* the test's swagger dir, inside root */
static char root[] = "/tmp/vspc-test-swagger-XXXXXX";

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* root/secret.txt outside the folder; the folder holds the page, a bundle,
 * a style sheet, a hidden file, a subfolder and a link to the secret. */
static void make_folder(void)
{
    ck_assert_ptr_nonnull(mkdtemp(root));
    write_file(root, "secret.txt", "TOP-SECRET");
    snprintf(folder, sizeof folder, "%s/dist", root);
    ck_assert_int_eq(mkdir(folder, 0755), 0);
    write_file(folder, "index.html", "<!DOCTYPE html><title>test page</title>");
    write_file(folder, "swagger-ui-bundle.js", "/* bundle */");
    write_file(folder, "swagger-ui.css", "body{}");
    write_file(folder, ".hidden", "TOP-SECRET");
    char sub[128], secret[128], link[128];
    snprintf(sub, sizeof sub, "%s/sub", folder);
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    write_file(sub, "inner.js", "TOP-SECRET");
    snprintf(secret, sizeof secret, "%s/secret.txt", root);
    snprintf(link, sizeof link, "%s/link.js", folder);
    ck_assert_int_eq(symlink(secret, link), 0);
}

static void get(const char *method, const char *path, http_result *r)
{
    char url[512];
    snprintf(url, sizeof url, "%s%s", server.base, path);
    const char *headers[] = {"Authorization:", NULL}; /* no credential needed */
    ck_assert(http_call(method, url, headers, NULL, 0, NULL, r));
}

START_TEST(files_of_the_folder)
{
    http_result r;
    get("GET", "/api/swagger", &r);
    ck_assert_int_eq(r.status, 301);
    ck_assert_str_eq(r.location, "/api/swagger/");
    http_result_free(&r);
    get("GET", "/api/swagger/", &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.content_type, "text/html; charset=utf-8");
    ck_assert_str_eq(r.body, "<!DOCTYPE html><title>test page</title>");
    ck_assert_str_eq(r.cache_control, "no-cache");
    http_result_free(&r);
    get("GET", "/api/swagger/swagger-ui.css", &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.content_type, "text/css; charset=utf-8");
    ck_assert_str_eq(r.cache_control, "public, max-age=3600");
    ck_assert_str_eq(r.body, "body{}");
    http_result_free(&r);
    get("GET", "/api/swagger/swagger-ui-bundle.js", &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.content_type, "text/javascript; charset=utf-8");
    http_result_free(&r);
    get("HEAD", "/api/swagger/swagger-ui.css", &r);
    ck_assert_int_eq(r.status, 200);
    http_result_free(&r);
    get("POST", "/api/swagger/", &r);
    ck_assert_int_eq(r.status, 405);
    ck_assert_str_eq(r.allow, "GET, HEAD");
    http_result_free(&r);
}
END_TEST

START_TEST(no_way_out_of_the_folder)
{
    static const char *const paths[] = {
        "/api/swagger/%2e%2e/secret.txt", "/api/swagger/..%2fsecret.txt",
        "/api/swagger/%2E%2E%2Fsecret.txt", "/api/swagger/sub/inner.js",
        "/api/swagger/sub%2finner.js",     "/api/swagger/link.js",
        "/api/swagger/.hidden",            "/api/swagger/%2ftmp%2fsecret.txt",
        "/api/swagger/..",                 "/api/swagger/missing.js",
        "/api/swagger/index.html%00.js",   "/api/swagger/docs/../../secret.txt",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        http_result r;
        get("GET", paths[i], &r);
        ck_assert_msg(r.status == 404 || r.status == 400, "%s: %ld", paths[i], r.status);
        ck_assert_msg(!strstr(r.body, "TOP-SECRET"), "%s answered the secret", paths[i]);
        http_result_free(&r);
    }
}
END_TEST

START_TEST(documents_carry_a_bearer_scheme)
{
    static const char *const versions[] = {"3.6.1", "3.6", "3.5.1"};
    http_result r;
    get("GET", "/api/swagger/swagger-initializer.js", &r);
    ck_assert_int_eq(r.status, 200);
    for (size_t i = 0; i < 3; i++) {
        char url[64];
        snprintf(url, sizeof url, "\"docs/vspc-rest-%s.json\"", versions[i]);
        ck_assert_msg(strstr(r.body, url), "the configuration lacks %s", url);
    }
    ck_assert_ptr_nonnull(strstr(r.body, "SwaggerUIBundle({"));
    http_result_free(&r);
    for (size_t i = 0; i < 3; i++) {
        char path[128];
        snprintf(path, sizeof path, "/api/swagger/docs/vspc-rest-%s.json", versions[i]);
        get("GET", path, &r);
        ck_assert_int_eq(r.status, 200);
        ck_assert_str_eq(r.content_type, "application/json; charset=utf-8");
        json_t *doc = json_loadb(r.body, r.len, 0, NULL);
        ck_assert_ptr_nonnull(doc);
        ck_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "info"), "version")),
                         versions[i]);
        const json_t *bearer = json_object_get(
            json_object_get(json_object_get(doc, "components"), "securitySchemes"), "bearer");
        ck_assert_str_eq(json_string_value(json_object_get(bearer, "type")), "http");
        ck_assert_str_eq(json_string_value(json_object_get(bearer, "scheme")), "bearer");
        ck_assert_ptr_nonnull(json_object_get(json_array_get(json_object_get(doc, "security"), 0),
                                              "bearer"));
        ck_assert_uint_gt(json_object_size(json_object_get(doc, "paths")), 500);
        json_decref(doc);
        http_result_free(&r);
    }
    get("GET", "/api/swagger/docs/vspc-rest-9.9.json", &r);
    ck_assert_int_eq(r.status, 404);
    http_result_free(&r);
}
END_TEST

START_TEST(without_assets_it_says_how_to_get_them)
{
    test_server folder_server = server; /* a second server, on its own port */
    const char *args[] = {"--swagger-dir", "/nonexistent/swagger-ui-dist", NULL};
    server_start(&server, args);
    http_result r;
    get("GET", "/api/swagger/", &r);
    ck_assert_int_eq(r.status, 503);
    ck_assert_str_eq(r.content_type, "text/html; charset=utf-8");
    ck_assert_ptr_nonnull(strstr(r.body, "./dev.sh web"));
    ck_assert_ptr_nonnull(strstr(r.body, "npm ci"));
    http_result_free(&r);
    get("GET", "/api/swagger/swagger-ui-bundle.js", &r);
    ck_assert_int_eq(r.status, 404);
    http_result_free(&r);
    get("GET", "/api/swagger/docs/vspc-rest-3.6.1.json", &r); /* from the schema dir */
    ck_assert_int_eq(r.status, 200);
    http_result_free(&r);
    long status; /* and the API runs */
    json_decref(http_get_json(&server, "/api/v3/about", &status));
    ck_assert_int_eq(status, 200);
    server_stop(&server);
    server = folder_server;
}
END_TEST

/* --- the real page in headless Chromium -------------------------------- */

/* The browser to use: $CHROMIUM, else chromium or chromium-browser on
 * PATH; NULL when none. */
static const char *chromium(void)
{
    const char *own = getenv("CHROMIUM");
    if (own && *own)
        return own;
    static const char *const names[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser"};
    for (size_t i = 0; i < 2; i++)
        if (access(names[i], X_OK) == 0)
            return names[i];
    return NULL;
}

/* Runs the browser on url with one action ("--dump-dom",
 * "--screenshot=FILE"), its output sent to `to` ("> FILE"); its exit
 * status. */
static int browse(const char *profile, const char *action, const char *url, const char *to)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "timeout 120 '%s' --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
             "--no-first-run --hide-scrollbars --user-data-dir='%s' --window-size=1280,1400 "
             "--virtual-time-budget=60000 %s '%s' %s 2>/dev/null",
             chromium(), profile, action, url, to);
    return system(cmd);
}

START_TEST(the_page_in_chromium)
{
    server_start(&server, NULL); /* the default --swagger-dir: the npm folder */
    char url[4096];
    snprintf(url, sizeof url, "%s/api/swagger/?tryout=GetCompanies&token=%s", server.base,
             http_bearer());
    char profile[] = "/tmp/vspc-test-chromium-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(profile));
    char dom[128];
    snprintf(dom, sizeof dom, "%s/dom.html", profile);
    char to[160];
    snprintf(to, sizeof to, "> '%s'", dom);
    ck_assert_int_eq(browse(profile, "--dump-dom", url, to), 0);
    FILE *f = fopen(dom, "r");
    ck_assert_ptr_nonnull(f);
    static char text[4 << 20];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    ck_assert_msg(strstr(text, "id=\"operations-tag-Companies\""), "no tag list: %.500s", text);
    ck_assert_ptr_nonnull(strstr(text, "id=\"operations-Companies-GetCompanies\""));
    ck_assert_ptr_nonnull(strstr(text, "3.5.1")); /* the version list */
    ck_assert_msg(strstr(text, "<pre id=\"vspc-tryout\">status 200</pre>"),
                  "Try it out did not answer 200: %.200s", strstr(text, "vspc-tryout"));
    /* the artifact: the page after Try it out */
    const char *build = getenv("VSPC_BUILD_DIR");
    char shot[512];
    snprintf(shot, sizeof shot, "%s/swagger-ui.png", build && *build ? build : ".");
    unlink(shot);
    char action[600];
    snprintf(action, sizeof action, "--screenshot='%s'", shot);
    ck_assert_int_eq(browse(profile, action, url, "> /dev/null"), 0);
    struct stat st;
    ck_assert_msg(stat(shot, &st) == 0 && st.st_size > 10000, "no screenshot at %s", shot);
    char rm[256];
    snprintf(rm, sizeof rm, "rm -rf '%s'", profile);
    ck_assert_int_eq(system(rm), 0);
    server_stop(&server);
}
END_TEST

/* The folder, and one server on it for the tests of the folder. */
static void setup_folder_server(void)
{
    make_folder();
    const char *args[] = {"--swagger-dir", folder, NULL};
    server_start(&server, args);
}

static void remove_folder(void)
{
    server_stop(&server);
    char rm[128];
    snprintf(rm, sizeof rm, "rm -rf '%s'", root);
    ck_assert_int_eq(system(rm), 0);
}

static bool assets_installed(void)
{
    return access(VSPC_SWAGGER_ASSETS "/swagger-ui-bundle.js", R_OK) == 0;
}

int main(int argc, char **argv)
{
    bool browser = argc > 1 && !strcmp(argv[1], "browser");
    if (browser && (!chromium() || !assets_installed())) {
        printf("skipped: %s\n", !chromium() ? "no chromium (apt-get install chromium)"
                                            : "no swagger-ui-dist (./dev.sh web)");
        return 77;
    }
    Suite *s = suite_create("http_swagger");
    TCase *tc = tcase_create("swagger");
    tcase_set_timeout(tc, 240);
    if (browser) {
        tcase_add_test(tc, the_page_in_chromium);
    } else {
        tcase_add_unchecked_fixture(tc, setup_folder_server, remove_folder);
        tcase_add_test(tc, files_of_the_folder);
        tcase_add_test(tc, no_way_out_of_the_folder);
        tcase_add_test(tc, documents_carry_a_bearer_scheme);
        tcase_add_test(tc, without_assets_it_says_how_to_get_them);
    }
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
