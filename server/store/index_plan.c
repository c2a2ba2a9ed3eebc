/* index_plan.c — see index_plan.h. */
#include "store/index_plan.h"

void index_plan(store *s, const query_sql *where, const query_sql *order, char *walk,
                size_t walklen)
{
    walk[0] = 0;
    store_ensure_indexes(s, where->indexes);
    const json_t *sorted = json_array_get(order->indexes, 0);
    if (!sorted || json_array_size(where->indexes) == 0) {
        store_ensure_indexes(s, order->indexes);
        return;
    }
    /* sort keys, seq, then the filtered values: without seq before them
     * the filtered columns would break the order the index gives and
     * SQLite would sort every run of equal keys in a temporary b-tree */
    json_t *both = json_copy((json_t *)sorted); /* its strings are shared, never changed */
    if (!both)
        return;
    json_array_append_new(both, json_string("seq"));
    size_t i;
    json_t *cols;
    json_array_foreach(where->indexes, i, cols) json_array_extend(both, cols);
    json_t *list = json_pack("[o]", both);
    if (!list)
        return;
    store_ensure_indexes(s, list);
    /* walk it: the planner would take any index giving the order */
    store_index_name(both, walk, walklen);
    json_decref(list);
}
