/* rsakeys.c — RSA key material for the authentication endpoints (see
 * rsakeys.h).
 *
 * Everything is OpenSSL 3 without deprecated calls: keys are EVP_PKEYs,
 * made with EVP_RSA_gen and written with PEM_write_bio_PrivateKey (PKCS#8)
 * and PEM_write_bio_PUBKEY (SPKI, the canonical public form). Uploaded keys
 * are recognised by their PEM label, or for DER by trying each accepted
 * structure in turn (each must use up every byte). PKCS#12 containers are
 * made with PKCS12_create and opened bag by bag rather than with
 * PKCS12_parse, so that a certificate safe in an algorithm this OpenSSL
 * cannot decrypt (RC2, as in older Windows exports) does not hide the key,
 * and so that "no key inside" and "wrong password" can be told apart.
 * Private key text passes only through secure-heap BIOs and is wiped before
 * it is freed.
 */
#include "crypto/rsakeys.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "base/files.h"
#include "crypto/x509.h"

#define RSAKEYS_DEFAULT_BITS 2048
#define RSAKEYS_MIN_BITS 1024
#define RSAKEYS_MAX_BITS 8192
#define RSAKEYS_OAEP_SHA1_OVERHEAD 42     /* 2 * SHA-1 length + 2 */
#define RSAKEYS_VALID_DAYS 3650           /* 10 years */
#define RSAKEYS_DEFAULT_CN "vspc-emulator"
#define RSAKEYS_MAX_INPUT ((size_t)16 * 1024 * 1024) /* any larger: refused */
#define RSAKEYS_MAX_FILE ((size_t)1024 * 1024)

/* ------------------------------------------------------------ helpers */

/* Every public function returns through here: OpenSSL's error queue holds
 * nothing of interest once a status has been chosen. */
static rsakeys_status finish(rsakeys_status st)
{
    ERR_clear_error();
    return st;
}



/* A read-only memory BIO over len bytes; NULL if too long or out of
 * memory. */
static BIO *bio_over(const void *bytes, size_t len)
{
    if (len > (size_t)INT_MAX)
        return NULL;
    return BIO_new_mem_buf(bytes, (int)len);
}

/* PEM password callback that refuses: OpenSSL must never prompt, and an
 * encrypted key simply does not load. */
static int no_password(char *buf, int size, int rwflag, void *u)
{
    (void)buf; (void)size; (void)rwflag; (void)u;
    return -1;
}

/* OK for an RSA key (not RSA-PSS, which cannot encrypt), else NOT_RSA. */
static rsakeys_status check_rsa(const EVP_PKEY *pkey)
{
    return EVP_PKEY_is_a(pkey, "RSA") ? RSAKEYS_OK : RSAKEYS_NOT_RSA;
}

/* -------------------------------------------------------------- PEM */

/* pkey's private key as unencrypted PKCS#8 PEM. */
static rsakeys_status private_to_pem(EVP_PKEY *pkey, char **out)
{
    BIO *b = BIO_new(BIO_s_secmem()); /* wiped when freed */
    if (b && PEM_write_bio_PrivateKey(b, pkey, NULL, NULL, 0, NULL,
                                      NULL) == 1)
        *out = x509_bio_text(b);
    BIO_free(b);
    return *out ? RSAKEYS_OK : RSAKEYS_FAILED;
}

/* pkey's public key as SPKI PEM. */
static rsakeys_status public_to_pem(EVP_PKEY *pkey, char **out)
{
    BIO *b = BIO_new(BIO_s_mem());
    if (b && PEM_write_bio_PUBKEY(b, pkey) == 1)
        *out = x509_bio_text(b);
    BIO_free(b);
    return *out ? RSAKEYS_OK : RSAKEYS_FAILED;
}

/* Both PEMs of pkey, or neither. */
static rsakeys_status pair_to_pem(EVP_PKEY *pkey, char **private_pem,
                                  char **public_pem)
{
    if (private_to_pem(pkey, private_pem) == RSAKEYS_OK &&
        public_to_pem(pkey, public_pem) == RSAKEYS_OK)
        return RSAKEYS_OK;
    x509_free_secret(*private_pem);
    free(*public_pem);
    *private_pem = NULL;
    *public_pem = NULL;
    return RSAKEYS_FAILED;
}

/* Reads an RSA private key from PEM text (PKCS#8 or traditional). */
static rsakeys_status private_from_pem(const char *pem, EVP_PKEY **pkey)
{
    BIO *b = bio_over(pem, strlen(pem));
    if (!b)
        return RSAKEYS_FAILED;
    *pkey = PEM_read_bio_PrivateKey(b, NULL, no_password, NULL);
    BIO_free(b);
    if (!*pkey)
        return strstr(pem, "ENCRYPTED") ? RSAKEYS_PROTECTED
                                        : RSAKEYS_BAD_FORMAT;
    rsakeys_status st = check_rsa(*pkey);
    if (st != RSAKEYS_OK) {
        EVP_PKEY_free(*pkey);
        *pkey = NULL;
    }
    return st;
}

/* ----------------------------------------------------------- base64 */

/* Standard base64 of len bytes, without newlines. */
static rsakeys_status b64_encode(const unsigned char *in, size_t len,
                                 char **out)
{
    if (len > (size_t)INT_MAX / 4 * 3 - 3)
        return RSAKEYS_FAILED;
    size_t cap = (len + 2) / 3 * 4 + 1;
    char *s = malloc(cap);
    if (!s)
        return RSAKEYS_FAILED;
    int n = EVP_EncodeBlock((unsigned char *)s, in, (int)len);
    if (n < 0 || (size_t)n >= cap) {
        free(s);
        return RSAKEYS_FAILED;
    }
    s[n] = '\0';
    *out = s;
    return RSAKEYS_OK;
}

/* The value of a base64 digit, -1 for anything else. */
static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
           c == '\v';
}

/* Decodes standard base64 (whitespace anywhere ignored, '=' padding
 * optional but only at the end) into a new buffer of *outlen bytes, at
 * least one. BAD_FORMAT for anything else. */
static rsakeys_status b64_decode(const unsigned char *in, size_t len,
                                 unsigned char **out, size_t *outlen)
{
    if (len > RSAKEYS_MAX_INPUT)
        return RSAKEYS_BAD_FORMAT;
    unsigned char *buf = malloc(len / 4 * 3 + 3);
    if (!buf)
        return RSAKEYS_FAILED;
    size_t n = 0, digits = 0, pads = 0;
    uint32_t acc = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = in[i];
        if (is_space(c))
            continue;
        if (c == '=') {
            pads++;
            continue;
        }
        int v = b64_value(c);
        if (v < 0 || pads > 0)
            goto bad;
        acc = (acc << 6) | (uint32_t)v;
        if (++digits % 4 == 0) {
            buf[n++] = (unsigned char)(acc >> 16);
            buf[n++] = (unsigned char)(acc >> 8);
            buf[n++] = (unsigned char)acc;
            acc = 0;
        }
    }
    size_t rest = digits % 4;
    bool bad_pads = pads > 0 && (rest == 0 || rest + pads != 4);
    if (digits == 0 || rest == 1 || bad_pads)
        goto bad;
    if (rest == 2) {
        buf[n++] = (unsigned char)(acc >> 4);
    } else if (rest == 3) {
        buf[n++] = (unsigned char)(acc >> 10);
        buf[n++] = (unsigned char)(acc >> 2);
    }
    *out = buf;
    *outlen = n;
    return RSAKEYS_OK;
bad:
    OPENSSL_cleanse(buf, len / 4 * 3 + 3);
    free(buf);
    return RSAKEYS_BAD_FORMAT;
}

/* ------------------------------------------------------------- pairs */

rsakeys_status rsakeys_new_pair(int bits, char **private_pem,
                                char **public_pem)
{
    if (!private_pem || !public_pem)
        return RSAKEYS_FAILED;
    *private_pem = NULL;
    *public_pem = NULL;
    if (bits < RSAKEYS_MIN_BITS || bits > RSAKEYS_MAX_BITS)
        bits = RSAKEYS_DEFAULT_BITS;
    EVP_PKEY *pkey = EVP_RSA_gen((unsigned int)bits);
    if (!pkey)
        return finish(RSAKEYS_FAILED);
    rsakeys_status st = pair_to_pem(pkey, private_pem, public_pem);
    EVP_PKEY_free(pkey);
    return finish(st);
}

/* --------------------------------------------------- PKCS#12 create */


/* Sets subject and issuer to CN=cn: BAD_FORMAT if OpenSSL refuses cn as a
 * common name (too long, not UTF-8). */
static rsakeys_status set_names(X509 *x, const char *cn)
{
    X509_NAME *n = X509_NAME_new();
    if (!n)
        return RSAKEYS_FAILED;
    rsakeys_status st = RSAKEYS_OK;
    if (X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
                                   (const unsigned char *)cn, -1, -1,
                                   0) != 1) {
        unsigned long e = ERR_peek_last_error();
        st = ERR_GET_LIB(e) == ERR_LIB_ASN1 &&
                     ERR_GET_REASON(e) != ERR_R_MALLOC_FAILURE
                 ? RSAKEYS_BAD_FORMAT
                 : RSAKEYS_FAILED;
    } else if (X509_set_subject_name(x, n) != 1 ||
               X509_set_issuer_name(x, n) != 1) {
        st = RSAKEYS_FAILED;
    }
    X509_NAME_free(n);
    return st;
}

/* Adds the v3 extensions of an end-entity key-exchange certificate. */
static bool add_extensions(X509 *x)
{
    static const x509_ext exts[] = {
        { NID_basic_constraints, "critical,CA:FALSE" },
        { NID_key_usage, "critical,digitalSignature,keyEncipherment" },
        { NID_subject_key_identifier, "hash" },
    };
    return x509_add_extensions(x, exts, sizeof exts / sizeof exts[0]);
}

/* Makes x a self-signed certificate for pkey (its names are already set),
 * valid from now for RSAKEYS_VALID_DAYS, signed with SHA-256. */
static bool sign_cert(X509 *x, EVP_PKEY *pkey)
{
    time_t now = time(NULL);
    return X509_set_version(x, X509_VERSION_3) == 1 && x509_random_serial(x) &&
           X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &now) &&
           X509_time_adj_ex(X509_getm_notAfter(x), RSAKEYS_VALID_DAYS, 0,
                            &now) &&
           X509_set_pubkey(x, pkey) == 1 && add_extensions(x) &&
           X509_sign(x, pkey, EVP_sha256()) > 0;
}

/* The DER of a new PKCS#12 container for pkey and x, as base64. */
static rsakeys_status p12_to_base64(EVP_PKEY *pkey, X509 *x,
                                    const char *password, const char *name,
                                    char **out)
{
    /* Defaults of OpenSSL 3: AES-256-CBC with PBKDF2 for key and
     * certificate, a SHA-256 MAC; all read by .NET, Java and OpenSSL. */
    PKCS12 *p12 = PKCS12_create(password, name, pkey, x, NULL, 0, 0, 0, 0,
                                0);
    if (!p12)
        return RSAKEYS_FAILED;
    unsigned char *der = NULL;
    int n = i2d_PKCS12(p12, &der);
    PKCS12_free(p12);
    if (n <= 0)
        return RSAKEYS_FAILED;
    rsakeys_status st = b64_encode(der, (size_t)n, out);
    OPENSSL_clear_free(der, (size_t)n);
    return st;
}

rsakeys_status rsakeys_new_pkcs12(const char *common_name,
                                  const char *password, char **p12_base64,
                                  char **public_pem)
{
    if (!p12_base64 || !public_pem)
        return RSAKEYS_FAILED;
    *p12_base64 = NULL;
    *public_pem = NULL;
    const char *cn =
        common_name && *common_name ? common_name : RSAKEYS_DEFAULT_CN;
    const char *pass = password ? password : "";
    EVP_PKEY *pkey = NULL;
    X509 *x = X509_new();
    /* The name first: no key is made for a name that will be refused. */
    rsakeys_status st = x ? set_names(x, cn) : RSAKEYS_FAILED;
    if (st == RSAKEYS_OK &&
        (!(pkey = EVP_RSA_gen(RSAKEYS_DEFAULT_BITS)) || !sign_cert(x, pkey)))
        st = RSAKEYS_FAILED;
    if (st == RSAKEYS_OK)
        st = p12_to_base64(pkey, x, pass, cn, p12_base64);
    if (st == RSAKEYS_OK)
        st = public_to_pem(pkey, public_pem);
    if (st != RSAKEYS_OK) {
        free(*p12_base64);
        *p12_base64 = NULL;
    }
    X509_free(x);
    EVP_PKEY_free(pkey);
    return finish(st);
}

/* ----------------------------------------------------- PKCS#12 open */

/* The password that verifies p12's MAC among the candidates for password:
 * itself, or for none both NULL and "" (the PKCS#12 key derivation tells
 * them apart). Without a MAC, password itself (NULL for none). */
static rsakeys_status p12_password(PKCS12 *p12, const char *password,
                                   const char **pass, bool *have_mac)
{
    bool none = !password || !*password;
    *have_mac = PKCS12_mac_present(p12) == 1;
    if (!*have_mac) {
        *pass = none ? NULL : password;
        return RSAKEYS_OK;
    }
    if (none) {
        if (PKCS12_verify_mac(p12, NULL, 0) == 1) {
            *pass = NULL;
            return RSAKEYS_OK;
        }
        password = "";
    }
    if (PKCS12_verify_mac(p12, password, -1) == 1) {
        *pass = password;
        return RSAKEYS_OK;
    }
    return RSAKEYS_BAD_PASSWORD;
}

/* The key in one safe bag, if it is a key bag: OK with *pkey set, OK with
 * *pkey NULL for other bags, BAD_PASSWORD when a shrouded key does not
 * decrypt, BAD_FORMAT when a key does not decode. */
static rsakeys_status bag_key(const PKCS12_SAFEBAG *bag, const char *pass,
                              EVP_PKEY **pkey)
{
    int passlen = pass ? (int)strlen(pass) : 0;
    switch (PKCS12_SAFEBAG_get_nid(bag)) {
    case NID_keyBag: {
        const PKCS8_PRIV_KEY_INFO *p8 = PKCS12_SAFEBAG_get0_p8inf(bag);
        *pkey = p8 ? EVP_PKCS82PKEY(p8) : NULL;
        return *pkey ? RSAKEYS_OK : RSAKEYS_BAD_FORMAT;
    }
    case NID_pkcs8ShroudedKeyBag: {
        PKCS8_PRIV_KEY_INFO *p8 = PKCS12_decrypt_skey(bag, pass, passlen);
        if (!p8)
            return RSAKEYS_BAD_PASSWORD;
        *pkey = EVP_PKCS82PKEY(p8);
        PKCS8_PRIV_KEY_INFO_free(p8);
        return *pkey ? RSAKEYS_OK : RSAKEYS_BAD_FORMAT;
    }
    default:
        return RSAKEYS_OK;
    }
}

/* The first private key in p12's safes with pass. A safe that does not
 * decrypt is skipped (certificates are often encrypted with RC2, which
 * OpenSSL 3 keeps in its legacy provider); if no key turns up, that counts
 * as a wrong password when there is no MAC to have checked it, and as an
 * unreadable container when there is. */
static rsakeys_status p12_find_key(PKCS12 *p12, const char *pass,
                                   bool have_mac, EVP_PKEY **pkey)
{
    STACK_OF(PKCS7) *safes = PKCS12_unpack_authsafes(p12);
    if (!safes)
        return RSAKEYS_BAD_FORMAT;
    int passlen = pass ? (int)strlen(pass) : 0;
    bool skipped = false;
    rsakeys_status st = RSAKEYS_OK;
    for (int i = 0; i < sk_PKCS7_num(safes) && !*pkey && st == RSAKEYS_OK;
         i++) {
        PKCS7 *p7 = sk_PKCS7_value(safes, i);
        STACK_OF(PKCS12_SAFEBAG) *bags = NULL;
        if (PKCS7_type_is_data(p7))
            bags = PKCS12_unpack_p7data(p7);
        else if (PKCS7_type_is_encrypted(p7))
            bags = PKCS12_unpack_p7encdata(p7, pass, passlen);
        if (!bags) {
            skipped = true;
            continue;
        }
        for (int j = 0; j < sk_PKCS12_SAFEBAG_num(bags) && !*pkey &&
                        st == RSAKEYS_OK; j++)
            st = bag_key(sk_PKCS12_SAFEBAG_value(bags, j), pass, pkey);
        sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
    }
    sk_PKCS7_pop_free(safes, PKCS7_free);
    if (st != RSAKEYS_OK || *pkey)
        return st;
    if (skipped)
        return have_mac ? RSAKEYS_BAD_FORMAT : RSAKEYS_BAD_PASSWORD;
    return RSAKEYS_NO_PRIVATE_KEY;
}

/* Opens the DER container der with password into *pkey (an RSA key). */
static rsakeys_status p12_open(const unsigned char *der, size_t len,
                               const char *password, EVP_PKEY **pkey)
{
    const unsigned char *p = der;
    PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)len);
    if (!p12)
        return RSAKEYS_BAD_FORMAT;
    const char *pass = NULL;
    bool have_mac = false;
    rsakeys_status st = p12_password(p12, password, &pass, &have_mac);
    if (st == RSAKEYS_OK) {
        st = p12_find_key(p12, pass, have_mac, pkey);
        /* Without a MAC, "no password" may still mean "" to the KDF. */
        if (st == RSAKEYS_BAD_PASSWORD && !have_mac && !pass)
            st = p12_find_key(p12, "", have_mac, pkey);
    }
    PKCS12_free(p12);
    if (st == RSAKEYS_OK && (st = check_rsa(*pkey)) != RSAKEYS_OK) {
        EVP_PKEY_free(*pkey);
        *pkey = NULL;
    }
    return st;
}

rsakeys_status rsakeys_open_pkcs12(const char *p12_base64,
                                   const char *password, char **private_pem,
                                   char **public_pem)
{
    if (!private_pem || !public_pem)
        return RSAKEYS_FAILED;
    *private_pem = NULL;
    *public_pem = NULL;
    if (!p12_base64)
        return RSAKEYS_BAD_FORMAT;
    if (password && strlen(password) > (size_t)INT_MAX)
        return RSAKEYS_BAD_PASSWORD;
    unsigned char *der = NULL;
    size_t len = 0;
    rsakeys_status st = b64_decode((const unsigned char *)p12_base64,
                                   strlen(p12_base64), &der, &len);
    if (st != RSAKEYS_OK)
        return finish(st);
    EVP_PKEY *pkey = NULL;
    st = p12_open(der, len, password, &pkey);
    OPENSSL_cleanse(der, len);
    free(der);
    if (st == RSAKEYS_OK)
        st = pair_to_pem(pkey, private_pem, public_pem);
    EVP_PKEY_free(pkey);
    return finish(st);
}

/* -------------------------------------------------- uploaded keys */

/* Whether n bytes at b contain the string s. */
static bool contains(const unsigned char *b, size_t n, const char *s)
{
    size_t m = strlen(s);
    for (size_t i = 0; m <= n && i <= n - m; i++)
        if (memcmp(b + i, s, m) == 0)
            return true;
    return false;
}

/* Whether label is "PRIVATE KEY" or ends in " PRIVATE KEY". */
static bool is_private_label(const char *label)
{
    static const char suffix[] = " PRIVATE KEY";
    size_t n = strlen(label), m = sizeof suffix - 1;
    return strcmp(label, "PRIVATE KEY") == 0 ||
           (n > m && strcmp(label + n - m, suffix) == 0);
}

/* The structures a DER key may hold. */
typedef enum {
    DER_SPKI,        /* SubjectPublicKeyInfo */
    DER_RSA_PUBLIC,  /* PKCS#1 RSAPublicKey */
    DER_CERT,        /* X.509 certificate */
    DER_CERT_AUX,    /* OpenSSL's "TRUSTED CERTIFICATE" */
    DER_ENCRYPTED,   /* PKCS#8 EncryptedPrivateKeyInfo */
    DER_PRIVATE,     /* PKCS#8 or traditional private key */
} der_kind;

/* Decodes der as kind into *pkey; the whole of der must be used.
 * BAD_FORMAT if it does not decode, PROTECTED for an encrypted key. */
static rsakeys_status der_decode(der_kind kind, const unsigned char *der,
                                 size_t len, EVP_PKEY **pkey)
{
    const unsigned char *p = der, *end = der + len;
    X509 *x = NULL;
    X509_SIG *sig = NULL;
    if (len > (size_t)LONG_MAX)
        return RSAKEYS_BAD_FORMAT;
    switch (kind) {
    case DER_SPKI:
        *pkey = d2i_PUBKEY(NULL, &p, (long)len);
        break;
    case DER_RSA_PUBLIC:
        *pkey = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)len);
        break;
    case DER_CERT:
    case DER_CERT_AUX:
        x = kind == DER_CERT ? d2i_X509(NULL, &p, (long)len)
                             : d2i_X509_AUX(NULL, &p, (long)len);
        if (x && p == end && !(*pkey = X509_get_pubkey(x))) {
            X509_free(x);
            return RSAKEYS_BAD_FORMAT;
        }
        X509_free(x);
        break;
    case DER_ENCRYPTED:
        sig = d2i_X509_SIG(NULL, &p, (long)len);
        X509_SIG_free(sig);
        return sig && p == end ? RSAKEYS_PROTECTED : RSAKEYS_BAD_FORMAT;
    case DER_PRIVATE:
        *pkey = d2i_AutoPrivateKey(NULL, &p, (long)len);
        break;
    }
    if (*pkey && p != end) {
        EVP_PKEY_free(*pkey);
        *pkey = NULL;
    }
    return *pkey ? RSAKEYS_OK : RSAKEYS_BAD_FORMAT;
}

/* Decodes der as whichever accepted structure it is. */
static rsakeys_status der_any(const unsigned char *der, size_t len,
                              EVP_PKEY **pkey)
{
    static const der_kind kinds[] = {
        DER_SPKI, DER_RSA_PUBLIC, DER_CERT, DER_ENCRYPTED, DER_PRIVATE,
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        rsakeys_status st = der_decode(kinds[i], der, len, pkey);
        if (st != RSAKEYS_BAD_FORMAT)
            return st;
    }
    return RSAKEYS_BAD_FORMAT;
}

/* Decodes one PEM block by its label: OK with *pkey set, BAD_FORMAT for a
 * block of a known kind that does not decode, PROTECTED for an encrypted
 * key, and OK with *pkey NULL for a block of another kind (skipped, such as
 * "EC PARAMETERS" before "EC PRIVATE KEY"). */
static rsakeys_status pem_block(const char *label, const char *header,
                                const unsigned char *der, size_t len,
                                EVP_PKEY **pkey)
{
    if (strcmp(label, "PUBLIC KEY") == 0)
        return der_decode(DER_SPKI, der, len, pkey);
    if (strcmp(label, "RSA PUBLIC KEY") == 0)
        return der_decode(DER_RSA_PUBLIC, der, len, pkey);
    if (strcmp(label, "CERTIFICATE") == 0 ||
        strcmp(label, "X509 CERTIFICATE") == 0)
        return der_decode(DER_CERT, der, len, pkey);
    if (strcmp(label, "TRUSTED CERTIFICATE") == 0)
        return der_decode(DER_CERT_AUX, der, len, pkey);
    if (strcmp(label, "ENCRYPTED PRIVATE KEY") == 0 ||
        (is_private_label(label) && strstr(header, "ENCRYPTED")))
        return RSAKEYS_PROTECTED;
    if (is_private_label(label))
        return der_decode(DER_PRIVATE, der, len, pkey);
    return RSAKEYS_OK;
}

/* Reads the first key in PEM text (len bytes); BAD_FORMAT if none. */
static rsakeys_status pem_any(const unsigned char *text, size_t len,
                              EVP_PKEY **pkey)
{
    BIO *b = bio_over(text, len);
    if (!b)
        return len > (size_t)INT_MAX ? RSAKEYS_BAD_FORMAT : RSAKEYS_FAILED;
    rsakeys_status st = RSAKEYS_OK;
    while (st == RSAKEYS_OK && !*pkey) {
        char *label = NULL, *header = NULL;
        unsigned char *der = NULL;
        long n = 0;
        if (PEM_read_bio(b, &label, &header, &der, &n) != 1) {
            st = RSAKEYS_BAD_FORMAT; /* no (more) blocks, or a broken one */
            break;
        }
        st = pem_block(label, header, der, (size_t)n, pkey);
        OPENSSL_free(label);
        OPENSSL_free(header);
        OPENSSL_clear_free(der, (size_t)n);
    }
    BIO_free(b);
    return st;
}

rsakeys_status rsakeys_public_from(const unsigned char *bytes, size_t len,
                                   char **public_pem)
{
    if (!public_pem)
        return RSAKEYS_FAILED;
    *public_pem = NULL;
    if (!bytes || len == 0 || len > RSAKEYS_MAX_INPUT)
        return RSAKEYS_BAD_FORMAT;
    EVP_PKEY *pkey = NULL;
    rsakeys_status st;
    if (contains(bytes, len, "-----BEGIN ")) {
        st = pem_any(bytes, len, &pkey);
    } else {
        st = der_any(bytes, len, &pkey);
        if (st == RSAKEYS_BAD_FORMAT) {
            unsigned char *der = NULL;
            size_t n = 0;
            st = b64_decode(bytes, len, &der, &n);
            if (st == RSAKEYS_OK) {
                st = der_any(der, n, &pkey);
                OPENSSL_cleanse(der, n);
                free(der);
            }
        }
    }
    if (st == RSAKEYS_OK)
        st = check_rsa(pkey);
    if (st == RSAKEYS_OK)
        st = public_to_pem(pkey, public_pem);
    EVP_PKEY_free(pkey);
    return finish(st);
}

/* ------------------------------------------------- encrypt / decrypt */

/* A context for RSA-OAEP with SHA-1 and MGF1-SHA-1 on pkey, set up for
 * encryption or decryption. */
static EVP_PKEY_CTX *oaep_ctx(EVP_PKEY *pkey, bool encrypt)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    if (!ctx)
        return NULL;
    int init = encrypt ? EVP_PKEY_encrypt_init(ctx)
                       : EVP_PKEY_decrypt_init(ctx);
    if (init == 1 &&
        EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) == 1 &&
        EVP_PKEY_CTX_set_rsa_oaep_md_name(ctx, "SHA1", NULL) == 1 &&
        EVP_PKEY_CTX_set_rsa_mgf1_md_name(ctx, "SHA1", NULL) == 1)
        return ctx;
    EVP_PKEY_CTX_free(ctx);
    return NULL;
}

rsakeys_status rsakeys_encrypt(const char *public_pem,
                               const unsigned char *data, size_t len,
                               char **base64_out)
{
    if (!base64_out)
        return RSAKEYS_FAILED;
    *base64_out = NULL;
    if (!public_pem || (!data && len > 0))
        return RSAKEYS_BAD_FORMAT;
    static const unsigned char none[1];
    if (!data)
        data = none; /* OpenSSL wants a pointer even for 0 bytes */
    BIO *b = bio_over(public_pem, strlen(public_pem));
    if (!b)
        return finish(RSAKEYS_FAILED);
    EVP_PKEY *pkey = PEM_read_bio_PUBKEY(b, NULL, no_password, NULL);
    BIO_free(b);
    if (!pkey)
        return finish(RSAKEYS_BAD_FORMAT);
    rsakeys_status st = check_rsa(pkey);
    EVP_PKEY_CTX *ctx = NULL;
    unsigned char *cipher = NULL;
    size_t n = 0;
    int size = EVP_PKEY_get_size(pkey);
    if (st == RSAKEYS_OK &&
        (size <= RSAKEYS_OAEP_SHA1_OVERHEAD ||
         len > (size_t)(size - RSAKEYS_OAEP_SHA1_OVERHEAD)))
        st = RSAKEYS_FAILED; /* too long for this key */
    if (st == RSAKEYS_OK &&
        (!(ctx = oaep_ctx(pkey, true)) ||
         EVP_PKEY_encrypt(ctx, NULL, &n, data, len) != 1 ||
         !(cipher = malloc(n)) ||
         EVP_PKEY_encrypt(ctx, cipher, &n, data, len) != 1))
        st = RSAKEYS_FAILED;
    if (st == RSAKEYS_OK)
        st = b64_encode(cipher, n, base64_out);
    free(cipher);
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    return finish(st);
}

rsakeys_status rsakeys_decrypt(const char *private_pem, const char *base64_in,
                               unsigned char **out, size_t *outlen)
{
    if (!out || !outlen)
        return RSAKEYS_FAILED;
    *out = NULL;
    *outlen = 0;
    if (!private_pem || !base64_in)
        return RSAKEYS_BAD_FORMAT;
    EVP_PKEY *pkey = NULL;
    rsakeys_status st = private_from_pem(private_pem, &pkey);
    if (st != RSAKEYS_OK)
        return finish(st);
    unsigned char *cipher = NULL, *plain = NULL;
    size_t clen = 0, cap = 0, n = 0;
    EVP_PKEY_CTX *ctx = NULL;
    st = b64_decode((const unsigned char *)base64_in, strlen(base64_in),
                    &cipher, &clen);
    if (st == RSAKEYS_OK &&
        (!(ctx = oaep_ctx(pkey, false)) ||
         EVP_PKEY_decrypt(ctx, NULL, &cap, cipher, clen) != 1 ||
         !(plain = malloc(cap + 1))))
        st = RSAKEYS_FAILED;
    n = cap;
    if (st == RSAKEYS_OK &&
        EVP_PKEY_decrypt(ctx, plain, &n, cipher, clen) != 1)
        st = RSAKEYS_BAD_FORMAT; /* wrong key, wrong length, corrupted */
    if (st == RSAKEYS_OK) {
        plain[n] = '\0';
        *out = plain;
        *outlen = n;
    } else if (plain) {
        OPENSSL_cleanse(plain, cap + 1);
        free(plain);
    }
    free(cipher);
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    return finish(st);
}

/* ------------------------------------------------------ signing key */

/* The directory part of path ("." if none), as a new string. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, path, n);
    d[n] = '\0';
    return d;
}

/* Reads the key file at path. */
static rsakeys_status load_key(const char *path, char **private_pem,
                               char **public_pem)
{
    char *text = files_read_text(path, "signing key file", "PEM",
                                 RSAKEYS_MAX_FILE, NULL, 0);
    if (!text)
        return RSAKEYS_FAILED;
    EVP_PKEY *pkey = NULL;
    rsakeys_status st = private_from_pem(text, &pkey);
    x509_free_secret(text);
    if (st == RSAKEYS_OK)
        st = pair_to_pem(pkey, private_pem, public_pem);
    EVP_PKEY_free(pkey);
    return st;
}

/* Creates a new key and writes it to path. */
static rsakeys_status create_key(const char *path, char **private_pem,
                                 char **public_pem)
{
    rsakeys_status st =
        rsakeys_new_pair(RSAKEYS_DEFAULT_BITS, private_pem, public_pem);
    if (st != RSAKEYS_OK)
        return st;
    if (!files_write_atomic(path, *private_pem, 0600, NULL, 0)) {
        x509_free_secret(*private_pem);
        free(*public_pem);
        *private_pem = NULL;
        *public_pem = NULL;
        return RSAKEYS_FAILED;
    }
    char *dir = dir_of(path);
    if (dir)
        (void)files_sync_dir(dir, NULL, 0); /* best effort */
    free(dir);
    return RSAKEYS_OK;
}

rsakeys_status rsakeys_load_or_create(const char *path, char **private_pem,
                                      char **public_pem)
{
    if (!private_pem || !public_pem)
        return RSAKEYS_FAILED;
    *private_pem = NULL;
    *public_pem = NULL;
    if (!path || !*path)
        return RSAKEYS_FAILED;
    int exists = files_exists(path, NULL, 0);
    if (exists < 0)
        return RSAKEYS_FAILED;
    rsakeys_status st = exists ? load_key(path, private_pem, public_pem)
                               : create_key(path, private_pem, public_pem);
    return finish(st);
}

/* ----------------------------------------------------------- messages */

const char *rsakeys_message(rsakeys_status st)
{
    switch (st) {
    case RSAKEYS_OK:
        return "OK";
    case RSAKEYS_FAILED:
        return "Cryptographic operation failed";
    case RSAKEYS_BAD_FORMAT:
        return "Format of the provided key is not supported";
    case RSAKEYS_NOT_RSA:
        return "Non-RSA keys are not supported";
    case RSAKEYS_PROTECTED:
        return "Provided key is protected with password";
    case RSAKEYS_BAD_PASSWORD:
        return "The password of the container is incorrect";
    case RSAKEYS_NO_PRIVATE_KEY:
        return "Container does not include a private key";
    }
    return "Unknown error";
}
