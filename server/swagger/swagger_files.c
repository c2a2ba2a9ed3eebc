/* swagger_files.c — the files of --swagger-dir, safely (swagger.h). */
#include "swagger/swagger.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILE (32L * 1024 * 1024) /* the dist's largest file is about 1.5 MB */

bool swagger_safe_name(const char *name)
{
    if (!name || !*name || *name == '.' || strlen(name) > 128)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '-' || *p == '_'))
            return false;
    return true;
}

/* By extension; what the dist holds, then a safe default. */
static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".map", "application/json; charset=utf-8"},
    {".png", "image/png"},
    {".svg", "image/svg+xml"},
    {".txt", "text/plain; charset=utf-8"},
    {".md", "text/plain; charset=utf-8"},
};

const char *swagger_content_type(const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t elen = strlen(types[i].ext);
        if (len > elen && !strcasecmp(name + len - elen, types[i].ext))
            return types[i].type;
    }
    return "application/octet-stream";
}

char *swagger_read_file(const char *dir, const char *name, size_t *len)
{
    if (!swagger_safe_name(name))
        return NULL;
    char path[1024];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return NULL;
    /* O_NOFOLLOW: a symbolic link in the folder is not followed out of it */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    char *bytes = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= MAX_FILE &&
        (bytes = malloc((size_t)st.st_size + 1))) {
        size_t got = 0;
        while (got < (size_t)st.st_size) {
            ssize_t n = read(fd, bytes + got, (size_t)st.st_size - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        if (got != (size_t)st.st_size) {
            free(bytes);
            bytes = NULL;
        } else {
            bytes[got] = 0;
            *len = got;
        }
    }
    close(fd);
    return bytes;
}
