/* swagger.h — Swagger UI at /api/swagger/, where VSPC serves its own:
 * swagger-ui-dist's files (from npm, installed by ./dev.sh web into
 * web/node_modules, never committed; --swagger-dir) around the emulator's
 * contract documents, one per version in the UI's version list.
 *
 *   GET /api/swagger                      301 to /api/swagger/
 *   GET /api/swagger/                     swagger-ui-dist's index.html
 *   GET /api/swagger/swagger-initializer.js
 *                                         the emulator's configuration of the
 *                                         UI (swagger_page.c), not the dist's
 *   GET /api/swagger/docs/vspc-rest-V.json
 *                                         the contract document of version V
 *                                         with a bearer securityScheme, so
 *                                         that Authorize takes a token and
 *                                         "Try it out" sends it (the
 *                                         documents lack one)
 *   GET /api/swagger/NAME                 a file of --swagger-dir
 *
 * Files: only names of letters, digits, '.', '-' and '_' not starting with
 * '.', regular files of the folder itself (no subfolder, no symbolic link
 * out of it): anything else is a 404, so no path leaves the folder. Their
 * Content-Type by extension; Cache-Control: public, max-age=3600 for the
 * dist's files (they change only with the pinned version), no-cache for
 * the page, its configuration and the documents.
 * Without the assets the server still runs: /api/swagger/ answers 503
 * with a short HTML page saying how to get them; the documents are still
 * served. Other methods than GET and HEAD: 405. No credential is needed
 * (the UI is public in VSPC too; the operations tried from it are not).
 */
#ifndef VSPC_SWAGGER_H
#define VSPC_SWAGGER_H

#include <stdbool.h>
#include <stddef.h>

#include "answer/response.h"
#include "app/config.h"
#include "contract/contract.h"
#include "request/request.h"

#define SWAGGER_PREFIX "/api/swagger"

typedef struct swagger swagger;

/* For cfg->swagger_dir; logs whether its assets are there. NULL only when
 * out of memory. */
swagger *swagger_open(const config *cfg);
void swagger_close(swagger *s);

/* Whether swagger-ui-dist's files are in the folder. */
bool swagger_has_assets(const swagger *s);

/* Whether path is /api/swagger or lies under it. */
bool swagger_is_path(const char *path);

/* Answers a request for such a path (not serialised: bytes mostly). */
void swagger_dispatch(request *req, response *res);

/* --- the parts, for swagger.c ------------------------------------------ */

/* swagger_page.c: the UI's configuration (a script) for the documents of
 * set, and the page answered without the assets. Both malloc'd. */
char *swagger_initializer(const contract_set *set, size_t *len);
char *swagger_missing_page(const char *dir, size_t *len);

/* swagger_docs.c: version's document text with the bearer scheme
 * (borrowed from s, made once on first use); NULL when no such version. */
const char *swagger_document(swagger *s, const contract_set *set, const char *version,
                             size_t *len);

/* swagger_files.c: whether name may be served from a folder (see above);
 * its Content-Type; the file's bytes (malloc'd; NULL when not a regular
 * file of dir). */
bool swagger_safe_name(const char *name);
const char *swagger_content_type(const char *name);
char *swagger_read_file(const char *dir, const char *name, size_t *len);

#endif
