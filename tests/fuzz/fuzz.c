/* fuzz.c — see fuzz.h. */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"

static const char *schema_dir(void)
{
    const char *dir = getenv("VSPC_SCHEMA_DIR");
    return dir && *dir ? dir : VSPC_DEFAULT_SCHEMA_DIR;
}

void fuzz_require(bool cond, const char *what)
{
    if (cond)
        return;
    fprintf(stderr, "fuzz: broken invariant: %s\n", what);
    abort();
}

bool fuzz_utf8(const char *text)
{
    json_t *v = json_string(text);
    json_decref(v);
    return v != NULL;
}

/* Only errors: a harness runs millions of inputs. */
static void quiet(void)
{
    static bool done;
    if (!done)
        log_set_level(LOG_ERROR);
    done = true;
}

const contract *fuzz_contract(const char *version)
{
    static struct {
        char version[16];
        contract *c;
    } loaded[4];
    quiet();
    for (size_t i = 0; i < sizeof loaded / sizeof loaded[0]; i++) {
        if (loaded[i].c && !strcmp(loaded[i].version, version))
            return loaded[i].c;
        if (loaded[i].c)
            continue;
        char file[4096], err[512];
        snprintf(file, sizeof file, "%s/vspc-rest-%s.json", schema_dir(), version);
        loaded[i].c = contract_load(file, err, sizeof err);
        if (!loaded[i].c) {
            fprintf(stderr, "fuzz: %s\n", err);
            abort();
        }
        snprintf(loaded[i].version, sizeof loaded[i].version, "%s", version);
        return loaded[i].c;
    }
    fuzz_require(false, "too many contract versions asked for");
    return NULL;
}

const contract_set *fuzz_contract_set(void)
{
    static contract_set set;
    static bool loaded;
    quiet();
    if (!loaded) {
        char err[512];
        if (!contract_set_load(&set, schema_dir(), err, sizeof err)) {
            fprintf(stderr, "fuzz: %s\n", err);
            abort();
        }
        loaded = true;
    }
    return &set;
}

const json_t *fuzz_schema(const char *name)
{
    const json_t *s = schema_by_name(&fuzz_contract("3.6.1")->schemas, name);
    if (!s) {
        fprintf(stderr, "fuzz: the contract has no schema %s\n", name);
        abort();
    }
    return s;
}

char *fuzz_text(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    fuzz_require(s != NULL, "out of memory");
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

static char temp_dir[4096];

static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char child[4096 + 256];
            snprintf(child, sizeof child, "%s/%s", path, e->d_name);
            remove_tree(child);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static void remove_temp_dir(void)
{
    if (temp_dir[0])
        remove_tree(temp_dir);
}

const char *fuzz_temp_dir(void)
{
    if (temp_dir[0])
        return temp_dir;
    const char *tmp = getenv("TMPDIR");
    snprintf(temp_dir, sizeof temp_dir, "%s/vspc-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    fuzz_require(mkdtemp(temp_dir) != NULL, "cannot make a temporary directory");
    atexit(remove_temp_dir);
    return temp_dir;
}
