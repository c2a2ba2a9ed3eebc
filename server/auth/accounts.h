/* accounts.h — users as the authentication side sees them: finding a user
 * by login name, their password identity, and setting a password (only
 * ever kept as a PBKDF2 hash in the credential tables, never in a record).
 *
 * accounts_seed runs at every start: it gives the default users the
 * password hashes of fixtures/passwords.json (those not set yet, so that a
 * changed password survives a restart), and makes --admin-user /
 * --admin-password true of the portal administrator, and makes the dummy
 * hash of password.h.
 *
 * accounts_sign_in costs the same whoever the login names: one lookup of
 * the user, one of a hash, one PBKDF2 (a dummy one when there is no hash),
 * then the status check — so neither an unknown login nor a disabled user
 * answers faster than a wrong password.
 */
#ifndef VSPC_ACCOUNTS_H
#define VSPC_ACCOUNTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "auth/auth.h"
#include "store/store.h"

/* The identity provider name of password identities. */
#define ACCOUNTS_PASSWORD_PROVIDER "VSPC"

/* fixtures_dir holds passwords.json; admin_user / admin_password are
 * --admin-user / --admin-password. */
bool accounts_seed(store *st, const char *fixtures_dir, const char *admin_user,
                   const char *admin_password, char *err, size_t errlen);

/* The user whose userName is login (any case; a "domain\" prefix is
 * ignored, as in "vspc\administrator"), or NULL. Caller decrefs. */
json_t *accounts_find_user(store *st, const char *login);

/* The id of the user's identity from provider (e.g. the password one), 0
 * if none. */
long accounts_login_id(store *st, const char *user_uid, const char *provider);

/* Sets the user's password (hash kept, old one dropped). */
bool accounts_set_password(store *st, const char *user_uid, const char *password);

/* The enabled user whose login (as accounts_find_user) and password these
 * are (caller decrefs), or NULL; the same cost in every case (above). */
json_t *accounts_sign_in(store *st, const char *login, const char *password);

/* Whether password is the user's. */
bool accounts_check_password(store *st, const char *user_uid, const char *password);

/* A new login identity (UserLogin record) of user, stored: provider,
 * description, scopes (array, borrowed; NULL: []), read-only flag and
 * parameters. Returns the record (caller decrefs) or NULL. */
json_t *accounts_add_login(store *st, const json_t *user, const char *provider,
                           const char *description, const json_t *scopes, bool read_only,
                           const char *parameters);

/* Everything that lets the user (or one identity, login_id >= 0) sign in
 * goes: secrets dropped, tokens revoked. */
bool accounts_forget(store *st, auth *au, const char *user_uid, long login_id);

#endif
