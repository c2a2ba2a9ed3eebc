/* swagger_docs.c — the contract documents as Swagger UI reads them
 * (swagger.h): each with a bearer security scheme required by every
 * operation, since the documents were rebuilt without one; made once, on
 * first use (a document is about 3 MB: none is made at start). */
#include "swagger/swagger.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "swagger/swagger_state.h"

/* The document with components.securitySchemes.bearer and a top-level
 * security naming it (a new text, or NULL). */
static char *with_bearer(const json_t *doc, size_t *len)
{
    json_t *copy = json_deep_copy(doc);
    json_t *components = json_object_get(copy, "components");
    if (!copy || !json_is_object(components)) {
        json_decref(copy);
        return NULL;
    }
    json_t *schemes = json_object_get(components, "securitySchemes");
    if (!json_is_object(schemes)) {
        schemes = json_object();
        json_object_set_new(components, "securitySchemes", schemes);
    }
    if (!json_object_get(schemes, "bearer"))
        json_object_set_new(schemes, "bearer",
                            json_pack("{s:s,s:s,s:s,s:s}", "type", "http", "scheme", "bearer",
                                      "bearerFormat", "JWT", "description",
                                      "An access token from POST /token (grant_type=password), "
                                      "or an API key"));
    if (!json_object_get(copy, "security"))
        json_object_set_new(copy, "security", json_pack("[{s:[]}]", "bearer"));
    char *text = json_dumps(copy, JSON_COMPACT);
    json_decref(copy);
    if (text)
        *len = strlen(text);
    return text;
}

const char *swagger_document(swagger *s, const contract_set *set, const char *version,
                             size_t *len)
{
    size_t i;
    for (i = 0; i < set->count && i < CONTRACT_MAX_VERSIONS; i++)
        if (!strcmp(set->items[i]->version, version))
            break;
    if (i == set->count || i == CONTRACT_MAX_VERSIONS)
        return NULL;
    pthread_mutex_lock(&s->lock);
    if (!s->docs[i])
        s->docs[i] = with_bearer(set->items[i]->doc, &s->lens[i]);
    const char *text = s->docs[i];
    *len = s->lens[i];
    pthread_mutex_unlock(&s->lock);
    return text;
}
