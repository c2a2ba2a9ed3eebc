/* credentials.c — see credentials.h. */
#include "auth/credentials.h"

#include "crypto/digest.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/digest.h"

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS auth_tokens ("
    " jti TEXT PRIMARY KEY, user_uid TEXT NOT NULL, login_id INTEGER NOT NULL,"
    " kind TEXT NOT NULL, expires INTEGER NOT NULL, good INTEGER NOT NULL DEFAULT 1)";
static const char schema_index_sql[] =
    "CREATE INDEX IF NOT EXISTS auth_tokens_by_user ON auth_tokens (user_uid, login_id)";
static const char secrets_sql[] =
    "CREATE TABLE IF NOT EXISTS auth_secrets ("
    " kind TEXT NOT NULL, value TEXT NOT NULL, user_uid TEXT NOT NULL,"
    " login_id INTEGER NOT NULL, expires INTEGER NOT NULL DEFAULT 0)";
static const char secrets_index_sql[] =
    "CREATE INDEX IF NOT EXISTS auth_secrets_by_value ON auth_secrets (kind, value)";
static const char secrets_user_sql[] =
    "CREATE INDEX IF NOT EXISTS auth_secrets_by_user ON auth_secrets (kind, user_uid, login_id)";

bool credentials_init(store *st)
{
    const char *all[] = {schema_sql, schema_index_sql, secrets_sql, secrets_index_sql,
                         secrets_user_sql};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (store_exec(st, all[i], NULL, 0, NULL, NULL) != STORE_OK)
            return false;
    /* expired rows go at start: nothing can use them any more */
    json_t *now = json_pack("[I]", (json_int_t)time(NULL));
    bool ok = store_exec(st, "DELETE FROM auth_tokens WHERE expires < ?", now, 0, NULL, NULL) ==
                  STORE_OK &&
              store_exec(st, "DELETE FROM auth_secrets WHERE expires > 0 AND expires < ?", now, 0,
                         NULL, NULL) == STORE_OK;
    json_decref(now);
    return ok;
}

/* Runs a write; false on error. *changes may be NULL. */
static bool write_sql(store *st, const char *sql, json_t *args, long *changes)
{
    bool ok = args && store_exec(st, sql, args, 0, NULL, changes) == STORE_OK;
    json_decref(args);
    return ok;
}

/* The first row of a read, or NULL (caller decrefs the rows). */
static json_t *read_row(store *st, const char *sql, json_t *args, json_t **rows)
{
    *rows = NULL;
    bool ok = args && store_exec(st, sql, args, 1, rows, NULL) == STORE_OK;
    json_decref(args);
    return ok ? json_array_get(*rows, 0) : NULL;
}

bool credentials_token_add(store *st, const char *jti, const char *user_uid, long login_id,
                           const char *kind, long long expires)
{
    return write_sql(st,
                     "INSERT INTO auth_tokens (jti, user_uid, login_id, kind, expires)"
                     " VALUES (?, ?, ?, ?, ?)",
                     json_pack("[s, s, I, s, I]", jti, user_uid, (json_int_t)login_id, kind,
                               (json_int_t)expires),
                     NULL);
}

int credentials_token_good(store *st, const char *jti)
{
    json_t *rows;
    json_t *row = read_row(st, "SELECT good FROM auth_tokens WHERE jti = ?",
                           json_pack("[s]", jti), &rows);
    int good = !rows ? -1 : row ? (int)json_integer_value(json_array_get(row, 0)) == 1 : 0;
    json_decref(rows);
    return good;
}

bool credentials_token_spend(store *st, const char *jti)
{
    long changed = 0;
    return write_sql(st, "UPDATE auth_tokens SET good = 0 WHERE jti = ? AND good = 1",
                     json_pack("[s]", jti), &changed) &&
           changed == 1;
}

long credentials_revoke(store *st, const char *user_uid, long login_id)
{
    long changed = 0;
    bool ok = login_id >= 0
                  ? write_sql(st,
                              "UPDATE auth_tokens SET good = 0"
                              " WHERE user_uid = ? AND login_id = ? AND good = 1",
                              json_pack("[s, I]", user_uid, (json_int_t)login_id), &changed)
                  : write_sql(st, "UPDATE auth_tokens SET good = 0 WHERE user_uid = ? AND good = 1",
                              json_pack("[s]", user_uid), &changed);
    return ok ? changed : -1;
}

long credentials_forget_removed(store *st)
{
    long revoked = 0, dropped = 0;
    bool ok = write_sql(st,
                        "UPDATE auth_tokens SET good = 0 WHERE good = 1 AND user_uid NOT IN"
                        " (SELECT uid FROM records WHERE type = 'User')",
                        json_array(), &revoked) &&
              write_sql(st,
                        "DELETE FROM auth_secrets WHERE user_uid NOT IN"
                        " (SELECT uid FROM records WHERE type = 'User')",
                        json_array(), &dropped);
    return ok ? revoked + dropped : -1;
}

bool credentials_put(store *st, const char *kind, const char *user_uid, long login_id,
                     const char *value, long long expires)
{
    return write_sql(st,
                     "INSERT INTO auth_secrets (kind, value, user_uid, login_id, expires)"
                     " VALUES (?, ?, ?, ?, ?)",
                     json_pack("[s, s, s, I, I]", kind, value, user_uid, (json_int_t)login_id,
                               (json_int_t)expires),
                     NULL);
}

bool credentials_find(store *st, const char *kind, const char *value, long long now,
                      char *user_uid, long *login_id)
{
    /* not a constant-time comparison, and need not be: the values looked
     * up are digests of high-entropy secrets or public keys (credentials.h) */
    json_t *rows;
    json_t *row = read_row(st,
                           "SELECT user_uid, login_id FROM auth_secrets"
                           " WHERE kind = ? AND value = ? AND (expires = 0 OR expires >= ?)",
                           json_pack("[s, s, I]", kind, value ? value : "", (json_int_t)now),
                           &rows);
    const char *uid = json_string_value(json_array_get(row, 0));
    bool found = uid && strlen(uid) < 40;
    if (found) {
        strcpy(user_uid, uid);
        *login_id = (long)json_integer_value(json_array_get(row, 1));
    }
    json_decref(rows);
    return found;
}

char *credentials_of(store *st, const char *kind, const char *user_uid, long login_id)
{
    json_t *rows;
    json_t *row = login_id >= 0
                      ? read_row(st,
                                 "SELECT value FROM auth_secrets"
                                 " WHERE kind = ? AND user_uid = ? AND login_id = ?",
                                 json_pack("[s, s, I]", kind, user_uid, (json_int_t)login_id),
                                 &rows)
                      : read_row(st,
                                 "SELECT value FROM auth_secrets WHERE kind = ? AND user_uid = ?"
                                 " ORDER BY rowid DESC",
                                 json_pack("[s, s]", kind, user_uid), &rows);
    const char *v = json_string_value(json_array_get(row, 0));
    char *out = v ? strdup(v) : NULL;
    json_decref(rows);
    return out;
}

bool credentials_drop(store *st, const char *kind, const char *user_uid, long login_id,
                      const char *value)
{
    if (value)
        return write_sql(st, "DELETE FROM auth_secrets WHERE kind = ? AND value = ?",
                         json_pack("[s, s]", kind, value), NULL);
    if (login_id >= 0)
        return write_sql(st,
                         "DELETE FROM auth_secrets WHERE kind = ? AND user_uid = ? AND login_id = ?",
                         json_pack("[s, s, I]", kind, user_uid, (json_int_t)login_id), NULL);
    return write_sql(st, "DELETE FROM auth_secrets WHERE kind = ? AND user_uid = ?",
                     json_pack("[s, s]", kind, user_uid), NULL);
}

/* bytes as lower-case hex into out (2n + 1 bytes). */
static void hex(const unsigned char *bytes, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", bytes[i]);
    out[2 * n] = 0;
}

bool credentials_random_hex(char *out, size_t n)
{
    unsigned char bytes[64];
    if (n > sizeof bytes || RAND_bytes(bytes, (int)n) != 1)
        return false;
    hex(bytes, n, out);
    OPENSSL_cleanse(bytes, n);
    return true;
}

void credentials_digest(const char *text, char out[65])
{
    unsigned char md[DIGEST_SHA256_LEN];
    if (!digest_sha256(text, strlen(text), md))
        SHA256((const unsigned char *)text, strlen(text), md); /* the slow way */
    hex(md, sizeof md, out);
}
