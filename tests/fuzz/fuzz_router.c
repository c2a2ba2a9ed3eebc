/* fuzz_router.c — router_match on the route index of the 3.6.1 contract.
 *
 * Input: one byte choosing the method (GET, POST, PUT, PATCH, DELETE or an
 * unknown one), then the request path. Checks what router.h promises of a
 * match: a found route is an operation of that method whose template is the
 * one reported, with every parameter a non-empty value; a 405 names at
 * least one method and never the one asked for. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "contract/router.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_contract("3.6.1");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const contract *c = fuzz_contract("3.6.1");
    int pick = data[0] % (HTTP_METHOD_COUNT + 1);
    http_method method = pick == HTTP_METHOD_COUNT ? HTTP_METHOD_OTHER : (http_method)pick;
    char *path = fuzz_text(data + 1, size - 1);
    route_match m;
    route_status st = router_match(c->routes, method, path, &m);
    if (st == ROUTE_FOUND) {
        const operation *op = m.payload;
        fuzz_require(op && op->method == method, "a found route has the method asked for");
        fuzz_require(!strcmp(op->path, m.path_template), "the template is the operation's");
        fuzz_require(m.nparams <= ROUTER_MAX_PARAMS, "at most ROUTER_MAX_PARAMS parameters");
        for (size_t i = 0; i < m.nparams; i++)
            fuzz_require(m.names[i] && m.values[i] && m.values[i][0],
                         "every parameter has a name and a non-empty value");
        fuzz_require(m.allowed & (1u << method), "the method found is allowed");
    } else if (st == ROUTE_METHOD_NOT_ALLOWED) {
        fuzz_require(m.allowed != 0, "a 405 names the allowed methods");
        fuzz_require(method == HTTP_METHOD_OTHER || !(m.allowed & (1u << method)),
                     "a 405 does not allow the method asked for");
    }
    char allow[64];
    router_allowed_text(m.allowed, allow, sizeof allow);
    fuzz_require(strlen(allow) < sizeof allow, "the Allow text fits");
    free(path);
    return 0;
}
