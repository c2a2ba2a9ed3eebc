/* swagger_page.c — the emulator's configuration of Swagger UI, and the
 * page answered when swagger-ui-dist is not installed (swagger.h).
 *
 * The configuration lists the contract documents newest first (the UI's
 * version list; ?urls.primaryName=3.6 opens another), shows operationIds
 * and a filter by tag, the tags closed (942 operations open at once take
 * seconds to draw), keeps the token given to Authorize across reloads,
 * and sends X-Client-Version with the version of the document shown
 * unless the form gives one, so that "Try it out" on the 3.5.1 document
 * is answered as a 3.5.1 client.
 *
 * ?tryout=OPERATION_ID&token=TOKEN (for tests and demos: the headless
 * browser check of tests/test_http_swagger.c) authorizes with the token,
 * then does what a user does: opens the operation's tag and the operation
 * (as a deep link does), presses "Try it out"
 * and "Execute", and writes the answer's status into the element
 * #vspc-tryout ("status 200"). */
#include "swagger/swagger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

static const char head[] =
    "/* Swagger UI configured by vspc-emulator (server/swagger/swagger_page.c). */\n"
    "window.onload = function () {\n"
    "  var urls = [";

static const char tail[] =
    "];\n"
    "  var params = new URLSearchParams(window.location.search);\n"
    "  function shownVersion() {\n"
    "    var url = window.ui && window.ui.specSelectors.url();\n"
    "    var m = /vspc-rest-([0-9.]+)\\.json$/.exec(url || \"\");\n"
    "    return m ? m[1] : null;\n"
    "  }\n"
    "  window.ui = SwaggerUIBundle({\n"
    "    urls: urls,\n"
    "    \"urls.primaryName\": params.get(\"urls.primaryName\") || urls[0].name,\n"
    "    dom_id: \"#swagger-ui\",\n"
    "    deepLinking: true,\n"
    "    displayOperationId: true,\n"
    "    docExpansion: \"none\",\n"
    "    filter: true,\n"
    "    persistAuthorization: true,\n"
    "    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],\n"
    "    plugins: [SwaggerUIBundle.plugins.DownloadUrl],\n"
    "    layout: \"StandaloneLayout\",\n"
    "    requestInterceptor: function (req) {\n"
    "      var version = shownVersion();\n"
    "      var named = Object.keys(req.headers || {}).some(function (h) {\n"
    "        return h.toLowerCase() === \"x-client-version\";\n"
    "      });\n"
    "      if (version && !named && req.url.indexOf(\"/api/v3/\") >= 0)\n"
    "        req.headers[\"X-Client-Version\"] = version;\n"
    "      return req;\n"
    "    },\n"
    "    onComplete: function () {\n"
    "      if (params.get(\"tryout\"))\n"
    "        vspcTryOut(params.get(\"tryout\"), params.get(\"token\"));\n"
    "    }\n"
    "  });\n"
    "};\n"
    "\n"
    "/* Try it out as a user would, for ?tryout=OPERATION_ID&token=TOKEN. */\n"
    "function vspcTryOut(operationId, token) {\n"
    "  var out = document.createElement(\"pre\");\n"
    "  out.id = \"vspc-tryout\";\n"
    "  out.textContent = \"waiting\";\n"
    "  document.body.insertBefore(out, document.body.firstChild);\n"
    "  if (token)\n"
    "    window.ui.preauthorizeApiKey(\"bearer\", token);\n"
    "  var tag = null;\n"
    "  window.ui.specSelectors.operations().forEach(function (o) {\n"
    "    if (o.getIn([\"operation\", \"operationId\"]) === operationId)\n"
    "      tag = o.getIn([\"operation\", \"tags\", 0]);\n"
    "  });\n"
    "  if (!tag) { out.textContent = \"no operation \" + operationId; return; }\n"
    "  /* open its tag and itself, as a click on each would */\n"
    "  window.ui.layoutActions.show([\"operations-tag\", tag], true);\n"
    "  window.ui.layoutActions.show([\"operations\", tag, operationId], true);\n"
    "  var steps = [\n"
    "    function (op) { var b = op.querySelector(\".try-out__btn\"); b && b.click(); return !!b; },\n"
    "    function (op) { var b = op.querySelector(\".execute\"); b && b.click(); return !!b; },\n"
    "    function (op) {\n"
    "      var s = op.querySelector(\".live-responses-table tr.response .response-col_status\");\n"
    "      if (s) out.textContent = \"status \" + s.textContent.trim();\n"
    "      return !!s;\n"
    "    }\n"
    "  ];\n"
    "  var step = 0, tries = 0;\n"
    "  (function next() {\n"
    "    var op = document.querySelector(\"[id$='-\" + operationId + \"'].opblock\");\n"
    "    if (op && steps[step](op)) { step++; tries = 0; }\n"
    "    else if (++tries > 600) { out.textContent = \"failed at step \" + step; return; }\n"
    "    if (step < steps.length) setTimeout(next, 100);\n"
    "  })();\n"
    "}\n";

char *swagger_initializer(const contract_set *set, size_t *len)
{
    buf b;
    buf_init(&b);
    buf_puts(&b, head);
    for (size_t i = 0; i < set->count; i++)
        buf_printf(&b, "%s\n    {url: \"docs/vspc-rest-%s.json\", name: \"%s\"}", i ? "," : "",
                   set->items[i]->version, set->items[i]->version);
    buf_puts(&b, tail);
    char *text = buf_take(&b, len);
    buf_free(&b);
    return text;
}

char *swagger_missing_page(const char *dir, size_t *len)
{
    buf b;
    buf_init(&b);
    buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                 "<title>Swagger UI is not installed</title></head><body>\n"
                 "<h1>Swagger UI is not installed</h1>\n"
                 "<p>The emulator serves Swagger UI from the npm package swagger-ui-dist, "
                 "which was not found in <code>");
    for (const char *p = dir; *p; p++) /* the folder, escaped */
        buf_puts(&b, *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : *p == '&' ? "&amp;"
                     : (char[]){*p, 0});
    buf_puts(&b, "</code>.</p>\n<p>Get it with <code>./dev.sh web</code> (or <code>npm ci</code> "
                 "in <code>web/</code>), then restart the emulator, or point "
                 "<code>--swagger-dir</code> at a copy of "
                 "<code>node_modules/swagger-ui-dist</code>.</p>\n"
                 "<p>The contract documents are served without it: "
                 "<a href=\"docs/vspc-rest-3.6.1.json\">docs/vspc-rest-3.6.1.json</a>.</p>\n"
                 "</body></html>\n");
    char *text = buf_take(&b, len);
    buf_free(&b);
    return text;
}
