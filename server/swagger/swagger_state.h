/* swagger_state.h — what the Swagger UI module keeps (swagger.h): its
 * folder, whether the assets are there, and the documents made so far.
 * Private to server/swagger/. */
#ifndef VSPC_SWAGGER_STATE_H
#define VSPC_SWAGGER_STATE_H

#include <pthread.h>

#include "swagger/swagger.h"

struct swagger {
    char dir[512];
    bool assets;
    pthread_mutex_t lock;                  /* guards docs and lens */
    char *docs[CONTRACT_MAX_VERSIONS];     /* owned: contracts.items[i]'s text, or NULL */
    size_t lens[CONTRACT_MAX_VERSIONS];
};

#endif
