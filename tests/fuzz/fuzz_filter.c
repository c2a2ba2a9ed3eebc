/* fuzz_filter.c — query_filter on arbitrary filter text, for several item
 * schemas, and the SQL it compiles run by SQLite over stored records.
 *
 * A filter query_filter accepts must be one the store can run: the server
 * answers a 520 otherwise, where a bad filter deserves a 400. So an accepted
 * filter whose SQL (or whose index definitions) SQLite refuses is a finding,
 * as is a refusal without a reason. */
#include <stdlib.h>

#include "fuzz.h"
#include "store/query.h"
#include "records.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_records();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    const schema_ctx *ctx = &fuzz_contract("3.6.1")->schemas;
    for (size_t t = 0; t < FUZZ_NTYPES; t++) {
        query_sql where;
        query_sql_init(&where);
        char why[512] = "";
        if (query_filter(ctx, fuzz_schema(fuzz_types[t]), text, &where, why, sizeof why)) {
            store_query q = {.where = where.sql.data, .where_args = where.args};
            long total = fuzz_run_query(t, &q, where.indexes, "an accepted filter runs");
            fuzz_require(total >= 0 && total <= FUZZ_RECORDS, "the total counts stored records");
        } else {
            fuzz_require(why[0] != '\0' && fuzz_utf8(why), "a refused filter has a reason, in UTF-8");
        }
        query_sql_free(&where);
    }
    free(text);
    return 0;
}
