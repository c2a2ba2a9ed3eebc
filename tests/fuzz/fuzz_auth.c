/* fuzz_auth.c — auth_authenticate's reading of the Authorization value.
 *
 * The only entry point needs a store: one is made once per process in a
 * temporary directory, with one enabled user and an access token issued to
 * it. Input: one byte choosing the method (even: GET, odd: POST), then the
 * header value; its first "TOKEN" is replaced by that valid token, so that
 * spacing, case and framing around a good credential are explored as well
 * as garbage. Checks auth.h's promises: success fills the principal; any
 * other verdict is one of the two refusals, and a read-only credential is
 * refused only for methods other than GET. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static store *st;
static auth *au;
static char *token;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char err[256], path[4200];
    fuzz_contract("3.6.1"); /* quiets the log */
    snprintf(path, sizeof path, "%s/auth.db", fuzz_temp_dir());
    st = store_open(path, err, sizeof err);
    fuzz_require(st != NULL, "the store opens");
    au = auth_open(st, token_keys_open(fuzz_temp_dir(), err, sizeof err), 3600, 7200, err,
                   sizeof err);
    if (!au)
        fprintf(stderr, "fuzz: %s\n", err);
    fuzz_require(au != NULL, "auth opens");
    const char *uid = "5f1f1e9c-4b0e-4a53-9a1c-0d9c4b2a7e11";
    json_t *user = json_pack("{s:s, s:s, s:s, s:s}", "instanceUid", uid, "userName", "fuzzer",
                             "role", "PortalAdministrator", "status", "Enabled");
    store_record rec = {.type = "User", .uid = uid, .body = user};
    fuzz_require(store_put(st, &rec, true) == STORE_OK, "the user is stored");
    json_t *pair = auth_issue(au, user, 0, false, NULL, NULL);
    fuzz_require(pair != NULL, "a token is issued");
    token = strdup(json_string_value(json_object_get(pair, "access_token")));
    json_decref(pair);
    json_decref(user);
    /* the harness is sound only if the plain header succeeds */
    char header[8192];
    snprintf(header, sizeof header, "Bearer %s", token);
    principal who;
    fuzz_require(auth_authenticate(au, header, "GET", &who) == AUTH_OK,
                 "the issued token is accepted");
    return 0;
}

/* text with its first "TOKEN" replaced by the issued token (caller frees). */
static char *with_token(const char *text)
{
    const char *at = strstr(text, "TOKEN");
    size_t len = strlen(text), tlen = strlen(token);
    char *out = malloc(len + tlen + 1);
    fuzz_require(out != NULL, "out of memory");
    if (!at) {
        memcpy(out, text, len + 1);
        return out;
    }
    size_t before = (size_t)(at - text);
    memcpy(out, text, before);
    memcpy(out + before, token, tlen);
    memcpy(out + before + tlen, at + 5, len - before - 5 + 1);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *method = data[0] % 2 ? "POST" : "GET";
    char *text = fuzz_text(data + 1, size - 1);
    char *value = with_token(text);
    principal who;
    auth_verdict v = auth_authenticate(au, value, method, &who);
    if (v == AUTH_OK) {
        fuzz_require(who.known && !strcmp(who.user_name, "fuzzer"),
                     "success names the authenticated user");
    } else {
        fuzz_require(v == AUTH_UNAUTHENTICATED || v == AUTH_READ_ONLY,
                     "a refusal is one of the two verdicts");
        fuzz_require(v != AUTH_READ_ONLY || strcmp(method, "GET") != 0,
                     "a read-only credential may always GET");
    }
    free(value);
    free(text);
    return 0;
}
