/* admission.h — which roles may call which operation: schema/admission.json
 * (a row per operation tag, with per-operationId exceptions; each names the
 * roles, or groups of roles, admitted to read — GET — and to write — any
 * other method). Compiled once at start into a role mask per operation of
 * every contract version. A call outside it is VSPC's 403 `security`
 * error; anonymous operations (the handler table's) are not subject to it.
 */
#ifndef VSPC_ADMISSION_H
#define VSPC_ADMISSION_H

#include <stdbool.h>
#include <stddef.h>

#include "contract/contract.h"

typedef struct admission admission;

/* Loads schema_dir/admission.json and checks it against the contracts:
 * every tag has a row, every exception names an operation, every name is a
 * role of the table or a group. NULL with err on failure. */
admission *admission_load(const char *schema_dir, const contract_set *contracts, char *err,
                          size_t errlen);
void admission_free(admission *a);

/* Whether role may call op. */
bool admission_allows(const admission *a, const char *role, const operation *op);

#endif
