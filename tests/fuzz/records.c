/* records.c — see records.h. */
#include "records.h"

#include <stdio.h>

#include "fuzz.h"
#include "contract/generate.h"

const char *const fuzz_types[FUZZ_NTYPES] = {"Company", "User", "ActiveAlarm", "UserLogin",
                                             "BackupServerJob"};

static json_t *samples[FUZZ_NTYPES];

store *fuzz_records(void)
{
    static store *s;
    if (s)
        return s;
    char path[4200], err[256];
    snprintf(path, sizeof path, "%s/records.db", fuzz_temp_dir());
    s = store_open(path, err, sizeof err);
    if (!s) {
        fprintf(stderr, "fuzz: %s\n", err);
        fuzz_require(false, "the record store opens");
    }
    const schema_ctx *ctx = &fuzz_contract("3.6.1")->schemas;
    for (size_t t = 0; t < FUZZ_NTYPES; t++) {
        for (int i = 0; i < FUZZ_RECORDS; i++) {
            json_t *body = generate_value(ctx, fuzz_schema(fuzz_types[t]), NULL, (uint64_t)i + 1);
            fuzz_require(body != NULL, "a record is generated");
            char uid[32];
            snprintf(uid, sizeof uid, "r%d", i);
            store_record rec = {.type = fuzz_types[t], .uid = uid, .body = body};
            fuzz_require(store_put(s, &rec, true) == STORE_OK, "a record is stored");
            if (!samples[t])
                samples[t] = json_incref(body);
            json_decref(body);
        }
    }
    return s;
}

const json_t *fuzz_record(size_t t)
{
    fuzz_records();
    return samples[t];
}

long fuzz_run_query(size_t t, const store_query *q, const json_t *indexes, const char *what)
{
    store *st = fuzz_records();
    fuzz_require(store_ensure_indexes(st, indexes), "the indexes of an accepted query can be made");
    long total = -1;
    buf out;
    buf_init(&out);
    fuzz_require(store_query_list(st, fuzz_types[t], q, 0, 10, &total, &out) == STORE_OK, what);
    buf_free(&out);
    return total;
}
