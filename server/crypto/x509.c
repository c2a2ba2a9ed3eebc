/* x509.c — see x509.h. */
#include "crypto/x509.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

bool x509_random_serial(X509 *x)
{
    unsigned char b[X509_SERIAL_BYTES];
    if (RAND_bytes(b, (int)sizeof b) != 1)
        return false;
    b[0] = (unsigned char)((b[0] & 0x7f) | 0x40); /* positive, full length */
    BIGNUM *bn = BN_bin2bn(b, (int)sizeof b, NULL);
    ASN1_INTEGER *serial = bn ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
    bool ok = serial && X509_set_serialNumber(x, serial) == 1;
    ASN1_INTEGER_free(serial);
    BN_free(bn);
    return ok;
}

bool x509_add_extensions(X509 *x, const x509_ext *exts, size_t n)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    for (size_t i = 0; i < n; i++) {
        X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, exts[i].nid, exts[i].value);
        bool ok = e && X509_add_ext(x, e, -1) == 1;
        X509_EXTENSION_free(e);
        if (!ok)
            return false;
    }
    return true;
}

char *x509_bio_text(BIO *b)
{
    char *data = NULL;
    long n = BIO_get_mem_data(b, &data);
    if (n < 0 || (n > 0 && !data))
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    if (n > 0)
        memcpy(s, data, (size_t)n);
    s[n] = '\0';
    return s;
}

void x509_free_secret(char *s)
{
    if (!s)
        return;
    OPENSSL_cleanse(s, strlen(s));
    free(s);
}
