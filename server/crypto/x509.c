/* x509.c — see x509.h. */
#include "crypto/x509.h"

#include <openssl/bn.h>
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
