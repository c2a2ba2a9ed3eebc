/* app.h — what the whole server shares, read-only once started: the
 * configuration and the loaded contract. Owned by main.c. */
#ifndef VSPC_APP_H
#define VSPC_APP_H

#include "config.h"
#include "contract.h"

typedef struct app {
    config cfg;
    contract_set contracts;
} app;

#endif
