/* contract.h — the VSPC API as the server knows it: one loaded OpenAPI
 * document per API version, its operations, and a route index over them.
 *
 * The documents (schema/vspc-rest-<version>.json) are the single source of
 * the routes, parameters, request bodies and response shapes; nothing here
 * is specific to one route. Everything an operation points to (strings,
 * schemas) is borrowed from the document, which the contract owns.
 */
#ifndef VSPC_CONTRACT_H
#define VSPC_CONTRACT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "contract/router.h"
#include "contract/schema.h"

typedef enum param_in { PARAM_PATH, PARAM_QUERY, PARAM_HEADER } param_in;

typedef struct op_param {
    const char *name;
    param_in in;
    bool required;
    const json_t *schema;
} op_param;

typedef enum body_kind {
    BODY_NONE,       /* the operation takes no body */
    BODY_JSON,       /* application/json */
    BODY_FORM,       /* application/x-www-form-urlencoded */
    BODY_MULTIPART,  /* multipart/form-data */
    BODY_BINARY,     /* application/octet-stream */
} body_kind;

struct handler;      /* handlers.h */
struct contract;
struct entity_model; /* entities.h */

typedef struct operation {
    http_method method;
    const char *path;            /* template under /api/v3, e.g. "/about" */
    const char *operation_id;
    const char *tag;
    const char *summary;
    op_param *params;            /* owned array */
    size_t nparams;
    body_kind body;
    bool body_required;
    const char *body_media_type; /* as declared, e.g. "application/json" */
    const json_t *body_schema;
    const json_t *response_schema; /* schema of the 200 answer, or NULL */
    bool response_binary;        /* 200 is application/octet-stream */
    bool paginated;              /* x-veeam-pagination */
    const struct handler *handler; /* bound by handlers_bind() */
    const struct contract *contract;
} operation;

typedef struct contract {
    char version[16];            /* info.version, e.g. "3.6.1" */
    json_t *doc;                 /* owned */
    schema_ctx schemas;
    operation *ops;              /* owned array */
    size_t nops;
    router *routes;              /* owned; payloads are &ops[i] */
    const struct entity_model *entities; /* the stateful model (owned by the app) */
    /* owned: how answers in the newest version's shape become this one's
     * (contract/differences.h), made in the background from the start;
     * read it through contract_differences. NULL for the newest */
    struct differences *differences;
    struct compare_job *compare; /* the thread making it (the set's), or NULL */
} contract;

/* Loads one document and indexes its operations. NULL on failure, with a
 * one-line reason in err. */
contract *contract_load(const char *file, char *err, size_t errlen);
void contract_free(contract *c);

/* The schema of one resource of op's 200 answer: the items of an array
 * `data` (*is_array set), else `data` itself; NULL when the answer has no
 * `data` member. is_array may be NULL. */
const json_t *operation_data_schema(const operation *op, bool *is_array);

/* Finds an operation by its operationId (linear; for tests and tools). */
const operation *contract_find_op(const contract *c, const char *operation_id);
/* The parameter of op called name in `in`, or NULL. */
const op_param *operation_param(const operation *op, param_in in, const char *name);

#define CONTRACT_MAX_VERSIONS 8

/* A version a client may name in X-Client-Version, and the document that
 * serves it. */
typedef struct served_version {
    char version[16];
    const contract *doc;
} served_version;

/* Every version found in a folder; `latest` answers clients that send no
 * X-Client-Version.
 *
 * The versions served are each document's, and the series x.y of a
 * document x.y.z when no document of x.y itself is loaded, served by the
 * newest x.y.z: VSPC 9.1 serves 3.6.1, 3.6, 3.5.1 and 3.5, and 3.5 is the
 * API of 3.5.1 less its patch, of which no document of its own exists, so
 * 3.5 clients are answered from the 3.5.1 document.
 *
 * Each version's route index also holds the literal segments of the other
 * versions' routes (router_shadow): a segment that is a literal of any
 * version never fills a UUID parameter ("mac" of 3.6's
 * /configuration/backupPolicies/mac under 3.5.1 is a 404). */
typedef struct contract_set {
    contract *items[CONTRACT_MAX_VERSIONS]; /* newest first */
    size_t count;
    const contract *latest;
    served_version served[2 * CONTRACT_MAX_VERSIONS]; /* newest first */
    size_t nserved;
} contract_set;

/* Loads every vspc-rest-*.json of dir, and starts making the table of
 * differences of each older one from the latest, by a thread that goes on
 * while start-up does (it is not waited for). False if none loads, or one
 * fails. */
bool contract_set_load(contract_set *set, const char *dir, char *err, size_t errlen);
void contract_set_free(contract_set *set);

/* The document serving a client that sends X-Client-Version: version (one
 * of set->served, exactly; none or "" is the latest). NULL if none. */
const contract *contract_set_find(const contract_set *set, const char *version);

/* The versions served, newest first, as "3.6.1, 3.6, 3.5.1, 3.5". */
void contract_set_versions_text(const contract_set *set, char *buf, size_t len);

/* The table of differences of c from the latest document
 * (contract/differences.h); the first call waits until it is made. NULL
 * for the latest, and when it could not be made (then logged). */
const struct differences *contract_differences(const contract *c);

/* Compares dotted versions numerically ("3.10" > "3.9"). */
int contract_version_cmp(const char *a, const char *b);

#endif
