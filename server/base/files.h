/* files.h — helpers for the small files the server keeps in its data dir
 * (TLS certificate and key, JWT signing keys, the database's directory).
 *
 * files_read_text reads a whole small text file into a new string: it must
 * be a regular file, non-empty, at most max_bytes long and free of NUL bytes;
 * on failure the partly read buffer is wiped before it is freed, so key
 * material never lingers on the heap. files_write_atomic writes a file with a
 * given mode into a temp file in the same directory ("<path>.tmp-XXXXXX",
 * created with the final mode, never wider), fsyncs it and renames it into place, so a crash leaves
 * either the old or the new file, never half of one; files_sync_dir then
 * makes the rename itself durable. files_make_dir creates a directory and its
 * missing parents with mode 0700; an existing directory is fine and left as
 * it is. Modes are less the process umask, as open(2) applies it (main.c
 * sets 077, so everything in the data dir is the owner's alone). files_exists tests existence, files_path_join joins "dir/name".
 *
 * Functions that can fail take (err, errlen) and write a one-line reason
 * there (err may be NULL); none of them keeps state, all are thread-safe.
 */
#ifndef VSPC_FILES_H
#define VSPC_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Reads the regular file path (1..max_bytes bytes, no NUL byte) into a new
 * NUL-terminated string that the caller frees (wiping it first if it holds a
 * secret). what names the file in messages ("key file"); kind names the text
 * format expected ("PEM"), or is NULL for plain text. Returns NULL with err
 * set on failure: cannot open/stat/read, not a regular file, empty, too
 * large, binary (NUL byte), out of memory. */
char *files_read_text(const char *path, const char *what, const char *kind,
                      size_t max_bytes, char *err, size_t errlen);

/* Writes the NUL-terminated text to path with permission bits mode (less
 * the umask),
 * atomically (temp file, fsync, rename; see above). An existing file is
 * replaced; on failure the temp file is removed and path is untouched. */
bool files_write_atomic(const char *path, const char *text, mode_t mode,
                        char *err, size_t errlen);

/* Flushes dir's entries (e.g. renames into it) to disk. Callers that treat
 * this as best effort may ignore the result. */
bool files_sync_dir(const char *dir, char *err, size_t errlen);

/* Creates dir and any missing parents with mode 0700; an existing directory
 * is fine. what names it in messages ("data dir"): "cannot create data dir
 * <dir>: Not a directory" when a non-directory is in the way. */
bool files_make_dir(const char *dir, const char *what, char *err,
                    size_t errlen);

/* Returns 1 if path exists (of any type), 0 if it does not, -1 with err set
 * if that cannot be told (e.g. permission denied, a file in the way). */
int files_exists(const char *path, char *err, size_t errlen);

/* Returns a new string "dir/name" that the caller frees; NULL when out of
 * memory. Always inserts one '/', even if dir ends with one. */
char *files_path_join(const char *dir, const char *name);

#endif
