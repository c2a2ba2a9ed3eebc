/* refquery.h — a small in-memory reference evaluator of VSPC's filter and
 * sort, written from the REST overview independently of the SQL compiler
 * (server/store/query.c), so that the randomized test can compare the two. Its
 * schema knowledge is a table of property kinds given by the test. */
#ifndef VSPC_TEST_REFQUERY_H
#define VSPC_TEST_REFQUERY_H

#include <jansson.h>
#include <stdbool.h>

typedef enum ref_kind {
    R_STRING, R_UUID, R_DATETIME, R_DATE, R_ENUM, R_NUMBER, R_BOOL, R_ARRAY
} ref_kind;

typedef struct ref_prop {
    const char *path;  /* "nested.level" */
    ref_kind kind;
    ref_kind item;     /* arrays */
} ref_prop;

/* Whether record matches the filter (a parsed, valid filter). */
bool ref_match(const ref_prop *props, const json_t *filter, const json_t *record);
/* Compares two records by a parsed, valid sort (then by seq). */
int ref_compare(const ref_prop *props, const json_t *sort, const json_t *a, const json_t *b);

#endif
