/* handlers.c — see handlers.h. The table of special cases lives here. */
#include "handlers/handlers.h"

#include <stdio.h>
#include <string.h>

#include "contract/entities.h"

static const handler generic = {.name = "generic", .fn = handle_generic};
static const handler stored = {.name = "store", .fn = handle_store};

/* VSPC behaviour the contract does not describe. One row per operation:
 * its operationId, a name for logs, the handler, and the exceptions it
 * makes to the pipeline (.oauth_errors: request errors in the OAuth 2.0
 * shape; .anonymous: no credential needed). Every other operation is
 * answered by the store (an entity binding) or the generic handler. */
static const handler specials[] = {
    {.operation_id = "OAuth2IssueToken", .name = "token", .fn = handle_token, .oauth_errors = true,
     .anonymous = true},
    {.operation_id = "CreateResetPasswordRequest", .name = "reset request",
     .fn = handle_reset_request, .anonymous = true},
    {.operation_id = "CompleteResetPasswordRequest", .name = "reset complete",
     .fn = handle_reset_complete, .anonymous = true},
    {.operation_id = "GetCurrentUser", .name = "current user", .fn = handle_current_user},
    {.operation_id = "CreateUser", .name = "create user", .fn = handle_create_user},
    {.operation_id = "PatchUser", .name = "patch user", .fn = handle_patch_user},
    {.operation_id = "DeleteUser", .name = "delete user", .fn = handle_delete_user},
    {.operation_id = "AddApiKeyLogin", .name = "api key", .fn = handle_add_api_key},
    {.operation_id = "AddTotpLogin", .name = "totp identity", .fn = handle_add_totp},
    {.operation_id = "AddAsymmetricAlgorithmLogin", .name = "public key identity",
     .fn = handle_add_public_key},
    {.operation_id = "DeleteUserLogin", .name = "delete identity", .fn = handle_delete_login},
    {.operation_id = "RevokeAuthenticationToken", .name = "revoke", .fn = handle_revoke_tokens},
    {.operation_id = "GenerateTotpSecret", .name = "totp secret", .fn = handle_totp_secret},
    {.operation_id = "GenerateNewRsaKeyPair", .name = "rsa pair", .fn = handle_rsa_pair},
    {.operation_id = "GenerateNewPkcs12KeyPair", .name = "pkcs12", .fn = handle_pkcs12},
    {.operation_id = "DecryptPkcs12Container", .name = "pkcs12 decrypt",
     .fn = handle_pkcs12_decrypt},
};

#define N_SPECIALS (sizeof specials / sizeof specials[0])

static const handler *special_for(const char *operation_id)
{
    for (size_t i = 0; i < N_SPECIALS; i++)
        if (!strcmp(specials[i].operation_id, operation_id))
            return &specials[i];
    return NULL;
}

bool handlers_bind(contract_set *set, size_t *bound, char *err, size_t errlen)
{
    for (size_t i = 0; i < N_SPECIALS; i++) {
        if (set->count && !contract_find_op(set->items[0], specials[i].operation_id)) {
            snprintf(err, errlen, "special handler '%s' names no operation of %s",
                     specials[i].operation_id, set->items[0]->version);
            return false;
        }
    }
    size_t n = 0;
    for (size_t c = 0; c < set->count; c++) {
        contract *k = set->items[c];
        for (size_t i = 0; i < k->nops; i++) {
            const operation *op = &k->ops[i];
            const handler *h = special_for(op->operation_id);
            n += h != NULL;
            if (!h && k->entities && entities_binding(k->entities, op)->kind != BIND_NONE)
                h = &stored;
            k->ops[i].handler = h ? h : &generic;
        }
    }
    if (bound)
        *bound = n;
    return true;
}
