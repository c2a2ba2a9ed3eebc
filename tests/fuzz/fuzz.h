/* fuzz.h — what every libFuzzer harness of tests/fuzz shares.
 *
 * Each harness is one file defining LLVMFuzzerTestOneInput (and, when it
 * needs per-process state such as the contract, LLVMFuzzerInitialize). The
 * state made here lives for the whole process and is reachable from static
 * pointers, so LeakSanitizer does not report it; everything a harness makes
 * for one input it frees before returning.
 *
 * A harness reports a broken promise of a module (an invariant its header
 * states) with fuzz_require, which aborts: libFuzzer keeps the input as a
 * crash, like a sanitizer report.
 */
#ifndef VSPC_FUZZ_H
#define VSPC_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "contract/contract.h"

/* The loaded document of `version` ("3.6.1"), from $VSPC_SCHEMA_DIR or the
 * source tree's schema/; loaded on the first call, aborts if it cannot. */
const contract *fuzz_contract(const char *version);

/* The three documents as the server loads them (contract_set_load). */
const contract_set *fuzz_contract_set(void);

/* The schema `name` of the 3.6.1 components; aborts if it is missing. */
const json_t *fuzz_schema(const char *name);

/* A NUL-terminated copy of the input (caller frees). Bytes after an
 * embedded NUL are kept but unseen by string functions, as for text that
 * reached the server through a C string. */
char *fuzz_text(const uint8_t *data, size_t size);

/* A fresh directory under $TMPDIR (or /tmp), removed at exit. */
const char *fuzz_temp_dir(void);

/* Whether text is UTF-8 (jansson's test): every message a parser writes
 * ends up in a JSON error body, where anything else cannot go. */
bool fuzz_utf8(const char *text);

/* Aborts with `what` on stderr when cond is false. */
void fuzz_require(bool cond, const char *what);

#endif
