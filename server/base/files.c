/* files.c — data-dir file helpers (see files.h).
 *
 * Plain POSIX: open/fstat/read for reading, open(O_EXCL)/fsync/rename for
 * atomic writes, mkdir per path component for directories. EINTR is retried;
 * every other failure becomes a one-line message naming the file and
 * strerror(errno).
 *
 * Files and directories are created with their mode less the process umask,
 * as open(2) and mkdir(2) do: the server sets a umask of 077 at start, so
 * everything it writes into its data dir is owner-only (a 0644 request
 * comes out 0600), while a caller with a wider umask still gets at most the
 * mode it asked for. The temp file of an atomic write is created with that
 * final mode directly (no wider window before a chmod).
 */
#include "base/files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILES_TMP_SUFFIX ".tmp-XXXXXX"
#define FILES_TMP_RANDOM 6       /* the X's */
#define FILES_TMP_ATTEMPTS 100   /* names tried before giving up (EEXIST) */

/* Writes a formatted one-line message into err (if there is room). */
__attribute__((format(printf, 3, 4)))
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------- read */

char *files_read_text(const char *path, const char *what, const char *kind,
                      size_t max_bytes, char *err, size_t errlen)
{
    char *buf = NULL;
    size_t cap = 0, len = 0;
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        set_err(err, errlen, "cannot open %s %s: %s", what, path,
                strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) != 0) {
        set_err(err, errlen, "cannot stat %s %s: %s", what, path,
                strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        set_err(err, errlen, "%s %s is not a regular file", what, path);
        goto fail;
    }
    if (st.st_size <= 0) {
        set_err(err, errlen, "%s %s is empty", what, path);
        goto fail;
    }
    if ((uintmax_t)st.st_size > max_bytes || (uintmax_t)st.st_size >= SIZE_MAX) {
        set_err(err, errlen, "%s %s is too large%s%s", what, path,
                kind ? " to be " : "", kind ? kind : "");
        goto fail;
    }
    cap = (size_t)st.st_size;
    buf = malloc(cap + 1);
    if (!buf) {
        set_err(err, errlen, "out of memory reading %s %s", what, path);
        goto fail;
    }
    while (len < cap) {
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            set_err(err, errlen, "cannot read %s %s: %s", what, path,
                    strerror(errno));
            goto fail;
        }
        if (n == 0)
            break; /* file shrank meanwhile: take what is there */
        len += (size_t)n;
    }
    buf[len] = '\0';
    if (len == 0) {
        set_err(err, errlen, "%s %s is empty", what, path);
        goto fail;
    }
    if (memchr(buf, '\0', len)) {
        set_err(err, errlen, "%s %s is binary, not %s%stext", what, path,
                kind ? kind : "", kind ? " " : "");
        goto fail;
    }
    close(fd);
    return buf;
fail:
    if (buf)
        explicit_bzero(buf, cap + 1); /* may hold part of a key */
    free(buf);
    close(fd);
    return NULL;
}

/* --------------------------------------------------------------- write */

/* Writes len bytes to fd, retrying short writes. */
static bool write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            return false;
        }
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* Replaces the trailing X's of tmp with random letters and digits and
 * creates that file exclusively with mode (less the umask; mkstemp would
 * force 0600 and need a chmod that ignores the umask). Returns the fd, or
 * -1 with errno set. */
static int create_temp(char *tmp, mode_t mode)
{
    static const char alphabet[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    char *x = tmp + strlen(tmp) - FILES_TMP_RANDOM;
    for (int attempt = 0; attempt < FILES_TMP_ATTEMPTS; attempt++) {
        unsigned char r[FILES_TMP_RANDOM];
        ssize_t got = getrandom(r, sizeof r, 0);
        if (got < 0 && errno == EINTR)
            continue; /* costs an attempt; there are plenty */
        if (got != (ssize_t)sizeof r)
            return -1; /* errno from getrandom (ENOSYS...) */
        for (size_t i = 0; i < sizeof r; i++)
            x[i] = alphabet[r[i] % (sizeof alphabet - 1)];
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 07777);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

bool files_write_atomic(const char *path, const char *text, mode_t mode,
                        char *err, size_t errlen)
{
    size_t pl = strlen(path);
    char *tmp = malloc(pl + sizeof FILES_TMP_SUFFIX);
    if (!tmp) {
        set_err(err, errlen, "out of memory writing %s", path);
        return false;
    }
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, FILES_TMP_SUFFIX, sizeof FILES_TMP_SUFFIX);
    int fd = create_temp(tmp, mode);
    if (fd < 0) {
        set_err(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
        free(tmp);
        return false;
    }
    const char *step = NULL;
    if (!write_all(fd, text, strlen(text)))
        step = "write";
    else if (fsync(fd) != 0)
        step = "sync";
    int saved = errno;
    if (close(fd) != 0 && !step) {
        step = "close";
        saved = errno;
    }
    if (!step && rename(tmp, path) != 0) {
        step = "rename into place";
        saved = errno;
    }
    bool ok = !step;
    if (!ok) {
        set_err(err, errlen, "cannot %s %s: %s", step, path,
                strerror(saved));
        unlink(tmp);
    }
    free(tmp);
    return ok;
}

bool files_sync_dir(const char *dir, char *err, size_t errlen)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        set_err(err, errlen, "cannot open dir %s: %s", dir, strerror(errno));
        return false;
    }
    bool ok = fsync(fd) == 0;
    if (!ok)
        set_err(err, errlen, "cannot sync dir %s: %s", dir, strerror(errno));
    close(fd);
    return ok;
}

/* ---------------------------------------------------------- directories */

/* Creates one directory with mode 0700 unless it already is one. */
static bool ensure_dir(const char *p)
{
    if (mkdir(p, 0700) == 0)
        return true;
    int saved = errno;
    struct stat st;
    if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
        return true;
    errno = saved == EEXIST ? ENOTDIR : saved;
    return false;
}

bool files_make_dir(const char *dir, const char *what, char *err,
                    size_t errlen)
{
    char *p = strdup(dir);
    if (!p) {
        set_err(err, errlen, "out of memory creating %s", dir);
        return false;
    }
    bool ok = true;
    for (char *s = p; ok && *s; s++) {
        if (s == p || *s != '/' || s[-1] == '/')
            continue;
        *s = '\0';
        ok = ensure_dir(p);
        *s = '/';
    }
    ok = ok && ensure_dir(p);
    if (!ok)
        set_err(err, errlen, "cannot create %s %s: %s", what, dir,
                strerror(errno));
    free(p);
    return ok;
}

/* -------------------------------------------------------------- names */

int files_exists(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) == 0)
        return 1;
    if (errno == ENOENT)
        return 0;
    set_err(err, errlen, "cannot stat %s: %s", path, strerror(errno));
    return -1;
}

char *files_path_join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    char *p = malloc(dl + 1 + nl + 1);
    if (!p)
        return NULL;
    memcpy(p, dir, dl);
    p[dl] = '/';
    memcpy(p + dl + 1, name, nl + 1);
    return p;
}
