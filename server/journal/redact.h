/* redact.h — what of a request may be kept in the journal: secrets out.
 *
 * The rules are data (schema/journal.json): a name is secret when, taken
 * ignoring case and with '_' and '-' left out, it equals one of the secret
 * names or contains one of the secret fragments (password, token, ...).
 * Then its value is replaced by REDACTED:
 *   - a form body's fields (application/x-www-form-urlencoded: the token
 *     grants' password, refresh_token, mfa_token, code...);
 *   - a JSON body's members at any depth, and the value of a JSON Patch
 *     operation whose path ends in a secret name (/password);
 *   - query parameters;
 *   - the Authorization header keeps its scheme only ("Bearer [redacted]").
 * A body that cannot be read as its kind (unparsable JSON, multipart,
 * binary) is not kept at all: it could hold a secret in a form we do not
 * see. Thread-safe once loaded (the rules are read-only). */
#ifndef VSPC_REDACT_H
#define VSPC_REDACT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define REDACTED "[redacted]"

typedef struct redact_rules redact_rules;

/* From the "secretNames" and "secretFragments" lists of doc (borrowed).
 * NULL with err when they are missing or not lists of strings. */
redact_rules *redact_rules_new(const json_t *doc, char *err, size_t errlen);
void redact_rules_free(redact_rules *r);

/* Whether name holds a secret. */
bool redact_is_secret(const redact_rules *r, const char *name, size_t len);

/* The Authorization header as it may be kept: "Scheme [redacted]". */
void redact_authorization(const char *value, char *out, size_t len);

/* The body as it may be kept (malloc'd text, NULL when none may be): by
 * its media type, the form fields or JSON members of secret names
 * redacted. *note says why a body was not kept ("" when it was). */
char *redact_body(const redact_rules *r, const char *content_type, const char *body,
                  size_t len, const char **note);

/* json (a value, changed in place): every member of a secret name, and
 * the value of a JSON Patch operation on one, becomes REDACTED. */
void redact_json(const redact_rules *r, json_t *json);

#endif
