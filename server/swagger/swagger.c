/* swagger.c — see swagger.h: the paths under /api/swagger. */
#include "swagger/swagger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer/errors.h"
#include "base/log.h"
#include "swagger/swagger_state.h"

#define ASSETS_CACHE "public, max-age=3600"
#define NO_CACHE "no-cache"
#define CT_HTML "text/html; charset=utf-8"
#define DOCS "docs/vspc-rest-"

/* The file whose presence says the dist is installed. */
#define BUNDLE "swagger-ui-bundle.js"

swagger *swagger_open(const config *cfg)
{
    swagger *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    snprintf(s->dir, sizeof s->dir, "%s", cfg->swagger_dir);
    pthread_mutex_init(&s->lock, NULL);
    size_t len;
    char *probe = swagger_read_file(s->dir, BUNDLE, &len);
    s->assets = probe != NULL;
    free(probe);
    if (s->assets)
        log_info("Swagger UI: %s/ (swagger-ui-dist in %s)", SWAGGER_PREFIX, s->dir);
    else
        log_warn("Swagger UI: swagger-ui-dist not found in %s (./dev.sh web installs it); "
                 "%s/ says how to get it", s->dir, SWAGGER_PREFIX);
    return s;
}

void swagger_close(swagger *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < CONTRACT_MAX_VERSIONS; i++)
        free(s->docs[i]);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

bool swagger_has_assets(const swagger *s) { return s && s->assets; }

bool swagger_is_path(const char *path)
{
    size_t n = strlen(SWAGGER_PREFIX);
    return !strncmp(path, SWAGGER_PREFIX, n) && (path[n] == 0 || path[n] == '/');
}

/* Takes text (malloc'd) as the answer. */
static void answer_text(response *res, int status, const char *type, const char *cache,
                        char *text, size_t len)
{
    if (!text) {
        error_internal(res, "The page could not be built.");
        return;
    }
    response_bytes(res, status, type, text, len);
    res->cache_control = cache;
    free(text);
}

static void answer_document(swagger *s, request *req, response *res, const char *name)
{
    size_t n = strlen(name), len;
    char version[16];
    const char *text = NULL;
    if (n > 5 && !strcmp(name + n - 5, ".json") && n - 5 < sizeof version) {
        snprintf(version, sizeof version, "%.*s", (int)(n - 5), name);
        text = swagger_document(s, &req->app->contracts, version, &len);
    }
    if (!text) {
        error_not_found(res, "The resource '%s' does not exist.", req->path);
        return;
    }
    response_bytes(res, 200, CT_JSON, text, len);
    res->cache_control = NO_CACHE;
}

void swagger_dispatch(request *req, response *res)
{
    swagger *s = req->app->swagger;
    const char *rest = req->path + strlen(SWAGGER_PREFIX);
    if (strcmp(req->method_text, "GET") && strcmp(req->method_text, "HEAD")) {
        snprintf(res->allow, sizeof res->allow, "GET, HEAD");
        error_answer(res, E_METHOD_NOT_ALLOWED, NULL,
                     "The %s method is not allowed for the resource '%s'. Allowed: GET, HEAD.",
                     req->method_text, req->path);
        return;
    }
    if (!*rest) { /* the UI's relative links need the slash */
        response_bytes(res, 301, CT_HTML, "", 0);
        snprintf(res->location, sizeof res->location, "%s/", SWAGGER_PREFIX);
        return;
    }
    rest++; /* past '/' */
    size_t len = 0;
    if (!strncmp(rest, DOCS, strlen(DOCS))) {
        answer_document(s, req, res, rest + strlen(DOCS));
        return;
    }
    if (!strcmp(rest, "swagger-initializer.js")) {
        char *text = swagger_initializer(&req->app->contracts, &len);
        answer_text(res, 200, swagger_content_type(rest), NO_CACHE, text, len);
        return;
    }
    bool page = !*rest || !strcmp(rest, "index.html");
    if (page && !s->assets) {
        char *text = swagger_missing_page(s->dir, &len);
        answer_text(res, 503, CT_HTML, NO_CACHE, text, len);
        return;
    }
    const char *name = page ? "index.html" : rest;
    char *bytes = swagger_read_file(s->dir, name, &len);
    if (!bytes) {
        error_not_found(res, "The resource '%s' does not exist.", req->path);
        return;
    }
    answer_text(res, 200, swagger_content_type(name), page ? NO_CACHE : ASSETS_CACHE, bytes, len);
}
