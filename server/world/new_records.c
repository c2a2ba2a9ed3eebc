/* new_records.c — see new_records.h. */
#include "world/new_records.h"

#include "store/records.h"

json_t *new_record_build(const invariants *iv, const entity_model *m, const entity *e,
                         const json_t *input, const json_t *input_schema, uint64_t seed)
{
    json_t *record = records_build(m, e, input, input_schema, seed);
    if (!record || !iv)
        return record;
    if (invariants_keep(iv, record, e->name, 0, seed) > 0 && input)
        records_overlay(&m->contract->schemas, e->schema, record, input);
    return record;
}
