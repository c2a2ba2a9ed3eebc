/* fuzz_version.c — contract_set_find on X-Client-Version values, over the
 * three documents the server loads. A version found is the one asked for,
 * or for "3.5" a 3.5.x; no header or an empty one is the latest. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_contract_set();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const contract_set *set = fuzz_contract_set();
    char *version = fuzz_text(data, size);
    const contract *c = contract_set_find(set, version);
    if (!version[0]) {
        fuzz_require(c == set->latest, "no version is the latest");
    } else if (c) {
        size_t len = strlen(version);
        fuzz_require(!strcmp(c->version, version) ||
                         (!strncmp(c->version, version, len) && c->version[len] == '.'),
                     "the document found is the version asked for, or one of its series");
        fuzz_require(contract_version_cmp(c->version, version) >= 0,
                     "a series answers with its newest member");
    }
    free(version);
    return 0;
}
