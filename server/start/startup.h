/* startup.h — the server put together: from a loaded configuration to an
 * app (app/app.h) every request can use, and back. */
#ifndef VSPC_STARTUP_H
#define VSPC_STARTUP_H

#include <stdbool.h>
#include <stddef.h>

#include "app/app.h"

/* After config_load: makes the request limits (unless throttling is off),
 * loads the contract and its models, binds handlers,
 * opens the store in the data dir (emptied first with --reset) and builds
 * the default world into it when it is empty, then the token keys, the
 * default users' passwords and the guard (--login-failures...). Logs what
 * it did. */
bool app_open(app *a, char *err, size_t errlen);
void app_close(app *a);

#endif
