/* admin_snapshots.h — what the snapshot endpoints (admin_snapshots.c) share
 * with the reset (admin_reset.c): snapshot names and files, one whole-world
 * operation at a time, and the restore with its answer.
 *
 * A snapshot is DATA/snapshots/NAME.db, a copy of the whole database
 * (store/store_backup.h); NAME is [A-Za-z0-9._-]{1,64}. Saves, restores,
 * resets and deletes run one at a time (a lock of the process): two
 * restores never interleave, and a delete never removes a file a restore
 * is reading. */
#ifndef VSPC_ADMIN_SNAPSHOTS_H
#define VSPC_ADMIN_SNAPSHOTS_H

#include <stdbool.h>
#include <stddef.h>

#include "request/request.h"
#include "answer/response.h"

#define SNAPSHOT_DIR "snapshots"
#define SNAPSHOT_NAME_MAX 64

/* Whether name is a snapshot name: 1..64 of A-Z a-z 0-9 . _ - */
bool snapshot_name_valid(const char *name);

/* DATA/snapshots/<file> into out (the folder made, mode 0700); false with
 * err when it cannot be made or the path does not fit. */
bool snapshot_path(const app *a, const char *file, char *out, size_t len, char *err,
                   size_t errlen);

/* The lock of whole-world operations. */
void snapshot_lock(void);
void snapshot_unlock(void);

/* Restores the file at path into the live store (with the lock held) and
 * answers {"data": {"world": what, "snapshot": name or null, "records",
 * "ms"}}; build_ms is time already spent on making the file. */
void snapshot_restore_answer(request *req, response *res, const char *path, const char *what,
                             const char *name, double build_ms);

#endif
