/* requests.h — test helpers: a valid request for any operation of the
 * contract, built from the contract and the default world: path parameters
 * are the UIDs of first records (so nested routes agree), required query
 * parameters and bodies are generated from their schemas (names made
 * unique so as not to clash with the world's). */
#ifndef VSPC_TEST_REQUESTS_H
#define VSPC_TEST_REQUESTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "contract/contract.h"
#include "contract/entities.h"
#include "httpclient.h"

typedef struct request_builder {
    const test_server *server;
    const entity_model *model;   /* of the contract under test */
    const entity_model *latest;  /* of the newest version: the world's */
    const json_t *fixtures;      /* the world's fixtures */
    const json_t *overrides;     /* path parameter -> value to use, or NULL */
    const char *paging;          /* query added to paginated operations, or NULL */
} request_builder;

/* The URL of op with its path and required query parameters filled. */
void rq_url(const request_builder *rb, const operation *op, uint64_t seed, char *url, size_t len);
/* A body for op in its media type (caller frees); ct receives the
 * Content-Type header line. PATCH bodies are the empty patch "[]". */
char *rq_body(const request_builder *rb, const operation *op, uint64_t seed, size_t *len, char *ct,
              size_t ctlen);
/* Text of a JSON value as a parameter: strings as they are, else JSON. */
char *rq_value_text(const json_t *v);

#endif
