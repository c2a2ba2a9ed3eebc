/* handlers.c — see handlers.h. The table of special cases lives here. */
#include "handlers/handlers.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

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
    {.operation_id = "CreateCompany", .name = "create company", .fn = handle_create_company},
    {.operation_id = "DeleteLocation", .name = "delete location", .fn = handle_delete_location},
    {.operation_id = "GetUserLocations", .name = "user locations", .fn = handle_user_locations},
    {.operation_id = "GetAsyncActionsInfo", .name = "async actions", .fn = handle_async_list},
    {.operation_id = "GetAsyncActionInfo", .name = "async action", .fn = handle_async_get},
    {.operation_id = "CancelAsyncAction", .name = "cancel async action",
     .fn = handle_async_cancel},
    {.operation_id = "AttachRequestDataToAsyncAction", .name = "async request data",
     .fn = handle_async_request_data},
    {.operation_id = "GetAsyncActionResult", .name = "async result", .fn = handle_async_result},
    {.operation_id = "ClearAsyncActionResult", .name = "clear async result",
     .fn = handle_async_clear},
    {.operation_id = "GetAsyncActionsConfig", .name = "async config", .fn = handle_async_config},
    {.operation_id = "SetUserToLocation", .name = "assign location",
     .fn = handle_assign_location},
    {.operation_id = "DeleteUserFromLocation", .name = "unassign location",
     .fn = handle_unassign_location},
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

/* What the downloads the contract calls octet-stream hold, by the end of
 * their path: a small real file of the right kind, so that a client saving
 * or opening it gets what VSPC would send. */
static const download downloads[] = {
    {"/pdf", "application/pdf", "invoice.pdf",
     "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
     "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
     "3 0 obj<</Type/Page/MediaBox[0 0 595 842]/Parent 2 0 R>>endobj\n"
     "trailer<</Root 1 0 R>>\n%%EOF\n"},
    {"/csv", "text/csv; charset=utf-8", "report.csv",
     "Organization,Product,Edition,Points,Units\r\nAlpha,Veeam Backup & Replication,"
     "Enterprise Plus,10,Instances\r\n"},
    {"/xml", "application/xml; charset=utf-8", "configuration.xml",
     "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Configuration version=\"1\"/>\n"},
    {"/metadata", "application/xml; charset=utf-8", "metadata.xml",
     "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<EntityDescriptor "
     "xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://localhost:1280\"/>\n"},
    {"/windows", CT_OCTET, "ManagementAgent.Windows.exe", "MZ vspc-emulator management agent for Windows\n"},
    {"/linux", CT_OCTET, "ManagementAgent.Linux.sh", "#!/bin/sh\necho vspc-emulator agent\n"},
    {"/mac", CT_OCTET, "ManagementAgent.Mac.sh", "#!/bin/sh\necho vspc-emulator agent\n"},
};

const download *handlers_download_for(const char *path)
{
    size_t plen = strlen(path);
    for (size_t i = 0; i < sizeof downloads / sizeof downloads[0]; i++) {
        size_t slen = strlen(downloads[i].suffix);
        if (plen >= slen && !strcasecmp(path + plen - slen, downloads[i].suffix))
            return &downloads[i];
    }
    return NULL;
}

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
