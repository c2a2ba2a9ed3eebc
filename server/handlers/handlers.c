/* handlers.c — see handlers.h. The table of special cases lives here. */
#include "handlers/handlers.h"

#include <stdio.h>
#include <string.h>

#include "contract/entities.h"

static const handler generic = {NULL, "generic", handle_generic, false, false};
static const handler stored = {NULL, "store", handle_store, false, false};

/* VSPC behaviour the contract does not describe. One row per operation:
 * operation, name, handler, OAuth-shaped errors, anonymous. */
static const handler specials[] = {
    {"OAuth2IssueToken", "token", handle_token, true, true},
    {"CreateResetPasswordRequest", "reset request", handle_reset_request, false, true},
    {"CompleteResetPasswordRequest", "reset complete", handle_reset_complete, false, true},
    {"GetCurrentUser", "current user", handle_current_user, false, false},
    {"CreateUser", "create user", handle_create_user, false, false},
    {"PatchUser", "patch user", handle_patch_user, false, false},
    {"DeleteUser", "delete user", handle_delete_user, false, false},
    {"AddApiKeyLogin", "api key", handle_add_api_key, false, false},
    {"AddTotpLogin", "totp identity", handle_add_totp, false, false},
    {"AddAsymmetricAlgorithmLogin", "public key identity", handle_add_public_key, false, false},
    {"DeleteUserLogin", "delete identity", handle_delete_login, false, false},
    {"RevokeAuthenticationToken", "revoke", handle_revoke_tokens, false, false},
    {"GenerateTotpSecret", "totp secret", handle_totp_secret, false, false},
    {"GenerateNewRsaKeyPair", "rsa pair", handle_rsa_pair, false, false},
    {"GenerateNewPkcs12KeyPair", "pkcs12", handle_pkcs12, false, false},
    {"DecryptPkcs12Container", "pkcs12 decrypt", handle_pkcs12_decrypt, false, false},
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
