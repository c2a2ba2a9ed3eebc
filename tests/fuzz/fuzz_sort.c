/* fuzz_sort.c — query_sort on arbitrary sort text, for several item
 * schemas, and the ORDER BY it compiles run by SQLite over stored records
 * (as fuzz_filter does for filters: an accepted sort must run). */
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
        query_sql order;
        query_sql_init(&order);
        char why[512] = "";
        if (query_sort(ctx, fuzz_schema(fuzz_types[t]), text, &order, why, sizeof why)) {
            store_query q = {.order = order.sql.data, .order_args = order.args};
            long total = fuzz_run_query(t, &q, order.indexes, "an accepted sort runs");
            fuzz_require(total == FUZZ_RECORDS, "a sort keeps every record");
        } else {
            fuzz_require(why[0] != '\0' && fuzz_utf8(why), "a refused sort has a reason, in UTF-8");
        }
        query_sql_free(&order);
    }
    free(text);
    return 0;
}
