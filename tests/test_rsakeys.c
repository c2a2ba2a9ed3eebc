/* test_rsakeys.c — unit tests for rsakeys.c: new pairs, RSA-OAEP round
 * trips (checked against OpenSSL's own defaults), PKCS#12 containers made
 * and opened (passwords, certificate-only, non-RSA, legacy and MAC-less
 * containers, garbage), every accepted and refused form of an uploaded
 * public key, and the signing key file. The keys the tests share are made
 * once in main(), before the tests fork; 1024-bit keys wherever the API
 * allows, to keep the run fast under ASan.
 */
#include "crypto/rsakeys.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#define P12_PASSWORD "s3cret pass"

/* Made once in main(): two RSA 1024 pairs, an EC P-256 key, and two
 * containers (with and without a password) with their public keys. */
static char *priv_a, *pub_a, *priv_b, *pub_b;
static EVP_PKEY *key_a, *key_ec;
static char *p12_pw, *p12_pw_pub, *p12_nopw, *p12_nopw_pub;
/* Root temp dir; the signing-key tests make their dirs below it. */
static char root_dir[] = "/tmp/vspc-test-rsakeys-XXXXXX";

/* ----------------------------------------------------------- helpers */

/* Parses a private key PEM; fails the test if it does not parse. */
static EVP_PKEY *parse_private(const char *pem)
{
    BIO *b = BIO_new_mem_buf(pem, -1);
    ck_assert_ptr_nonnull(b);
    EVP_PKEY *k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
    BIO_free(b);
    ck_assert_ptr_nonnull(k);
    return k;
}

/* Parses an SPKI PEM; fails the test if it does not parse. */
static EVP_PKEY *parse_public(const char *pem)
{
    BIO *b = BIO_new_mem_buf(pem, -1);
    ck_assert_ptr_nonnull(b);
    EVP_PKEY *k = PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
    BIO_free(b);
    ck_assert_ptr_nonnull(k);
    return k;
}

/* Whether s starts with prefix. */
static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The contents of a memory BIO as a new string; frees the BIO. */
static char *bio_take(BIO *b)
{
    char *data = NULL;
    long n = BIO_get_mem_data(b, &data);
    ck_assert(n >= 0);
    char *s = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(s);
    memcpy(s, data, (size_t)n);
    s[n] = '\0';
    BIO_free(b);
    return s;
}

/* der (len bytes) as a PEM block with the given label. */
static char *pem_of(const char *label, const unsigned char *der, long len)
{
    BIO *b = BIO_new(BIO_s_mem());
    ck_assert_ptr_nonnull(b);
    ck_assert_int_gt(PEM_write_bio(b, label, "", der, len), 0);
    return bio_take(b);
}

/* k's public key as SPKI PEM. */
static char *spki_pem(EVP_PKEY *k)
{
    BIO *b = BIO_new(BIO_s_mem());
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(PEM_write_bio_PUBKEY(b, k), 1);
    return bio_take(b);
}

/* k's private key as unencrypted PKCS#8 PEM. */
static char *pkcs8_pem(EVP_PKEY *k)
{
    BIO *b = BIO_new(BIO_s_mem());
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(
        PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL), 1);
    return bio_take(b);
}

/* A copy of len bytes in a buffer of exactly len bytes (no NUL after it),
 * so that ASan catches any read past the end. */
static unsigned char *exact_copy(const void *data, size_t len)
{
    unsigned char *p = malloc(len);
    ck_assert_ptr_nonnull(p);
    memcpy(p, data, len);
    return p;
}

/* rsakeys_public_from over exactly len bytes of data. */
static rsakeys_status public_from(const void *data, size_t len, char **pem)
{
    unsigned char *copy = exact_copy(data, len);
    rsakeys_status st = rsakeys_public_from(copy, len, pem);
    free(copy);
    return st;
}

/* rsakeys_public_from of a string. */
static rsakeys_status public_from_str(const char *s, char **pem)
{
    return public_from(s, strlen(s), pem);
}

/* Base64 of len bytes, one line per 64 characters when wrap is set. */
static char *b64(const unsigned char *data, size_t len, bool wrap)
{
    char *s = malloc((len + 2) / 3 * 4 + 1);
    ck_assert_ptr_nonnull(s);
    int n = EVP_EncodeBlock((unsigned char *)s, data, (int)len);
    ck_assert_int_ge(n, 0);
    s[n] = '\0';
    if (!wrap)
        return s;
    char *w = malloc((size_t)n + (size_t)n / 64 + 2);
    ck_assert_ptr_nonnull(w);
    size_t j = 0;
    for (int i = 0; i < n; i++) {
        w[j++] = s[i];
        if (i % 64 == 63)
            w[j++] = '\n';
    }
    w[j++] = '\n';
    w[j] = '\0';
    free(s);
    return w;
}

/* The decoded bytes of standard base64 s (no whitespace), length *len. */
static unsigned char *unb64(const char *s, size_t *len)
{
    size_t n = strlen(s);
    ck_assert_uint_eq(n % 4, 0);
    unsigned char *d = malloc(n / 4 * 3 + 1);
    ck_assert_ptr_nonnull(d);
    int m = EVP_DecodeBlock(d, (const unsigned char *)s, (int)n);
    ck_assert_int_ge(m, 0);
    size_t pads = (n > 0 && s[n - 1] == '=') + (n > 1 && s[n - 2] == '=');
    *len = (size_t)m - pads;
    return d;
}

/* A self-signed certificate (CN=test) for k. */
static X509 *make_cert(EVP_PKEY *k)
{
    X509 *x = X509_new();
    X509_NAME *n = X509_NAME_new();
    ck_assert_ptr_nonnull(x);
    ck_assert_ptr_nonnull(n);
    ck_assert_int_eq(X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
        (const unsigned char *)"test", -1, -1, 0), 1);
    ck_assert_int_eq(X509_set_version(x, X509_VERSION_3), 1);
    ck_assert_int_eq(ASN1_INTEGER_set(X509_get_serialNumber(x), 7), 1);
    ck_assert_ptr_nonnull(X509_gmtime_adj(X509_getm_notBefore(x), 0));
    ck_assert_ptr_nonnull(X509_gmtime_adj(X509_getm_notAfter(x), 3600));
    ck_assert_int_eq(X509_set_subject_name(x, n), 1);
    ck_assert_int_eq(X509_set_issuer_name(x, n), 1);
    ck_assert_int_eq(X509_set_pubkey(x, k), 1);
    ck_assert_int_gt(X509_sign(x, k, EVP_sha256()), 0);
    X509_NAME_free(n);
    return x;
}

/* p12 as base64 without newlines; frees p12. */
static char *p12_b64(PKCS12 *p12)
{
    ck_assert_ptr_nonnull(p12);
    unsigned char *der = NULL;
    int n = i2d_PKCS12(p12, &der);
    ck_assert_int_gt(n, 0);
    char *s = b64(der, (size_t)n, false);
    OPENSSL_free(der);
    PKCS12_free(p12);
    return s;
}

/* Asserts that rsakeys_open_pkcs12 gives st and no output. */
static void open_fails(const char *p12, const char *pass, rsakeys_status st)
{
    char *priv = (char *)"x", *pub = (char *)"x";
    ck_assert_int_eq(rsakeys_open_pkcs12(p12, pass, &priv, &pub), st);
    ck_assert_ptr_null(priv);
    ck_assert_ptr_null(pub);
}

/* Asserts that rsakeys_public_from of s gives st and no output. */
static void public_fails(const void *data, size_t len, rsakeys_status st)
{
    char *pem = (char *)"x";
    ck_assert_int_eq(public_from(data, len, &pem), st);
    ck_assert_ptr_null(pem);
}

/* Asserts that rsakeys_public_from of data gives pub_a exactly. */
static void public_is_a(const void *data, size_t len)
{
    char *pem = NULL;
    ck_assert_int_eq(public_from(data, len, &pem), RSAKEYS_OK);
    ck_assert_str_eq(pem, pub_a);
    free(pem);
}

/* Makes a fresh empty dir for one test under root_dir into buf. */
static void test_dir(char *buf, size_t n)
{
    snprintf(buf, n, "%s/t-XXXXXX", root_dir);
    ck_assert_ptr_nonnull(mkdtemp(buf));
}

/* Writes text to path. */
static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fputs(text, f) >= 0, 1);
    ck_assert_int_eq(fclose(f), 0);
}

/* Number of entries (besides . and ..) in dir. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

/* Removes path and everything below it. */
static void rm_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char sub[4096];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            rm_tree(sub);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* ------------------------------------------------------------- pairs */

START_TEST(test_new_pair_parses_and_matches)
{
    ck_assert(starts(priv_a, "-----BEGIN PRIVATE KEY-----\n"));
    ck_assert(starts(pub_a, "-----BEGIN PUBLIC KEY-----\n"));
    EVP_PKEY *priv = parse_private(priv_a);
    EVP_PKEY *pub = parse_public(pub_a);
    ck_assert(EVP_PKEY_is_a(priv, "RSA"));
    ck_assert_int_eq(EVP_PKEY_get_bits(priv), 1024);
    ck_assert_int_eq(EVP_PKEY_eq(priv, pub), 1);
    EVP_PKEY *other = parse_public(pub_b);
    ck_assert_int_ne(EVP_PKEY_eq(priv, other), 1);
    EVP_PKEY_free(priv);
    EVP_PKEY_free(pub);
    EVP_PKEY_free(other);
}
END_TEST

START_TEST(test_new_pair_default_bits)
{
    char *priv = NULL, *pub = NULL;
    ck_assert_int_eq(rsakeys_new_pair(512, &priv, &pub), RSAKEYS_OK);
    EVP_PKEY *k = parse_public(pub);
    ck_assert_int_eq(EVP_PKEY_get_bits(k), 2048);
    EVP_PKEY_free(k);
    free(priv);
    free(pub);
}
END_TEST

START_TEST(test_new_pair_null_out)
{
    char *priv = NULL, *pub = NULL;
    ck_assert_int_eq(rsakeys_new_pair(1024, NULL, &pub), RSAKEYS_FAILED);
    ck_assert_int_eq(rsakeys_new_pair(1024, &priv, NULL), RSAKEYS_FAILED);
    ck_assert_ptr_null(priv);
    ck_assert_ptr_null(pub);
}
END_TEST

/* -------------------------------------------------- encrypt/decrypt */

START_TEST(test_round_trip)
{
    static const char code[] = "one-time-code-4711";
    char *c1 = NULL, *c2 = NULL;
    ck_assert_int_eq(rsakeys_encrypt(pub_a, (const unsigned char *)code,
                                     strlen(code), &c1), RSAKEYS_OK);
    ck_assert_int_eq(rsakeys_encrypt(pub_a, (const unsigned char *)code,
                                     strlen(code), &c2), RSAKEYS_OK);
    ck_assert_str_ne(c1, c2); /* OAEP is randomised */
    ck_assert_uint_eq(strlen(c1), 172); /* 128 bytes of base64 */
    ck_assert_ptr_null(strpbrk(c1, "\r\n "));
    unsigned char *out = NULL;
    size_t n = 0;
    ck_assert_int_eq(rsakeys_decrypt(priv_a, c1, &out, &n), RSAKEYS_OK);
    ck_assert_uint_eq(n, strlen(code));
    ck_assert_mem_eq(out, code, n);
    ck_assert_int_eq(out[n], '\0');
    free(out);
    free(c1);
    free(c2);
}
END_TEST

START_TEST(test_round_trip_lengths)
{
    unsigned char data[87];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 37 + 1);
    static const size_t lens[] = { 0, 1, 85, 86 }; /* 86: RSA 1024 limit */
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        char *c = NULL;
        ck_assert_int_eq(rsakeys_encrypt(pub_a, data, lens[i], &c),
                         RSAKEYS_OK);
        unsigned char *out = NULL;
        size_t n = 99;
        ck_assert_int_eq(rsakeys_decrypt(priv_a, c, &out, &n), RSAKEYS_OK);
        ck_assert_uint_eq(n, lens[i]);
        ck_assert_mem_eq(out, data, n);
        free(out);
        free(c);
    }
    char *c = (char *)"x";
    ck_assert_int_eq(rsakeys_encrypt(pub_a, data, 87, &c), RSAKEYS_FAILED);
    ck_assert_ptr_null(c);
    ck_assert_int_eq(rsakeys_encrypt(pub_a, NULL, 0, &c), RSAKEYS_OK);
    free(c);
}
END_TEST

/* The padding is what OpenSSL (and .NET's OaepSHA1) calls plain OAEP:
 * decrypts with nothing but RSA_PKCS1_OAEP_PADDING set. */
START_TEST(test_encrypt_is_oaep_sha1)
{
    char *c = NULL;
    ck_assert_int_eq(rsakeys_encrypt(pub_a, (const unsigned char *)"abc", 3,
                                     &c), RSAKEYS_OK);
    size_t clen = 0;
    unsigned char *cipher = unb64(c, &clen);
    ck_assert_uint_eq(clen, 128);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key_a, NULL);
    ck_assert_ptr_nonnull(ctx);
    ck_assert_int_eq(EVP_PKEY_decrypt_init(ctx), 1);
    ck_assert_int_eq(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING),
                     1);
    unsigned char out[128];
    size_t n = sizeof out;
    ck_assert_int_eq(EVP_PKEY_decrypt(ctx, out, &n, cipher, clen), 1);
    ck_assert_uint_eq(n, 3);
    ck_assert_mem_eq(out, "abc", 3);
    EVP_PKEY_CTX_free(ctx);
    free(cipher);
    free(c);
}
END_TEST

START_TEST(test_decrypt_other_key_fails)
{
    char *c = NULL;
    ck_assert_int_eq(rsakeys_encrypt(pub_a, (const unsigned char *)"abc", 3,
                                     &c), RSAKEYS_OK);
    unsigned char *out = (unsigned char *)"x";
    size_t n = 5;
    ck_assert_int_eq(rsakeys_decrypt(priv_b, c, &out, &n),
                     RSAKEYS_BAD_FORMAT);
    ck_assert_ptr_null(out);
    ck_assert_uint_eq(n, 0);
    free(c);
}
END_TEST

START_TEST(test_encrypt_decrypt_bad_input)
{
    char *c = NULL;
    unsigned char *out = NULL;
    size_t n = 0;
    const unsigned char *d = (const unsigned char *)"abc";
    ck_assert_int_eq(rsakeys_encrypt(NULL, d, 3, &c), RSAKEYS_BAD_FORMAT);
    ck_assert_int_eq(rsakeys_encrypt("garbage", d, 3, &c),
                     RSAKEYS_BAD_FORMAT);
    ck_assert_int_eq(rsakeys_encrypt(priv_a, d, 3, &c), RSAKEYS_BAD_FORMAT);
    ck_assert_int_eq(rsakeys_encrypt(pub_a, NULL, 3, &c),
                     RSAKEYS_BAD_FORMAT);
    ck_assert_int_eq(rsakeys_encrypt(pub_a, d, 3, NULL), RSAKEYS_FAILED);
    char *ec_pub = spki_pem(key_ec);
    ck_assert_int_eq(rsakeys_encrypt(ec_pub, d, 3, &c), RSAKEYS_NOT_RSA);
    ck_assert_ptr_null(c);

    ck_assert_int_eq(rsakeys_encrypt(pub_a, d, 3, &c), RSAKEYS_OK);
    ck_assert_int_eq(rsakeys_decrypt(NULL, c, &out, &n), RSAKEYS_BAD_FORMAT);
    ck_assert_int_eq(rsakeys_decrypt(priv_a, NULL, &out, &n),
                     RSAKEYS_BAD_FORMAT);
    ck_assert_int_eq(rsakeys_decrypt(pub_a, c, &out, &n),
                     RSAKEYS_BAD_FORMAT);
    ck_assert_int_eq(rsakeys_decrypt(priv_a, "!!not base64!!", &out, &n),
                     RSAKEYS_BAD_FORMAT);
    ck_assert_int_eq(rsakeys_decrypt(priv_a, "", &out, &n),
                     RSAKEYS_BAD_FORMAT);
    ck_assert_int_eq(rsakeys_decrypt(priv_a, "AAAA", &out, &n),
                     RSAKEYS_BAD_FORMAT); /* wrong length */
    ck_assert_int_eq(rsakeys_decrypt(priv_a, c, NULL, &n), RSAKEYS_FAILED);
    ck_assert_ptr_null(out);
    /* A flipped bit fails the OAEP check. */
    size_t clen = 0;
    unsigned char *cipher = unb64(c, &clen);
    cipher[clen / 2] ^= 1;
    char *bad = b64(cipher, clen, false);
    ck_assert_int_eq(rsakeys_decrypt(priv_a, bad, &out, &n),
                     RSAKEYS_BAD_FORMAT);
    /* An encrypted private key. */
    BIO *b = BIO_new(BIO_s_mem());
    ck_assert_int_eq(PEM_write_bio_PrivateKey(b, key_a, EVP_aes_256_cbc(),
        (const unsigned char *)"pw", 2, NULL, NULL), 1);
    char *enc = bio_take(b);
    ck_assert_int_eq(rsakeys_decrypt(enc, c, &out, &n), RSAKEYS_PROTECTED);
    /* Whitespace in the base64 is fine. */
    cipher[clen / 2] ^= 1;
    char *wrapped = b64(cipher, clen, true);
    ck_assert_int_eq(rsakeys_decrypt(priv_a, wrapped, &out, &n), RSAKEYS_OK);
    ck_assert_mem_eq(out, "abc", 3);
    free(out);
    free(wrapped);
    free(enc);
    free(bad);
    free(cipher);
    free(ec_pub);
    free(c);
}
END_TEST

/* ----------------------------------------------------------- PKCS#12 */

/* Opens p12 with pass and checks it holds the key of expected_pub. */
static void opens_to(const char *p12, const char *pass,
                     const char *expected_pub)
{
    char *priv = NULL, *pub = NULL;
    ck_assert_int_eq(rsakeys_open_pkcs12(p12, pass, &priv, &pub),
                     RSAKEYS_OK);
    ck_assert_str_eq(pub, expected_pub);
    ck_assert(starts(priv, "-----BEGIN PRIVATE KEY-----\n"));
    EVP_PKEY *k = parse_private(priv);
    EVP_PKEY *p = parse_public(expected_pub);
    ck_assert_int_eq(EVP_PKEY_eq(k, p), 1);
    EVP_PKEY_free(k);
    EVP_PKEY_free(p);
    free(priv);
    free(pub);
}

START_TEST(test_p12_password_round_trip)
{
    ck_assert_ptr_null(strpbrk(p12_pw, "\r\n \t"));
    opens_to(p12_pw, P12_PASSWORD, p12_pw_pub);
    EVP_PKEY *k = parse_public(p12_pw_pub);
    ck_assert_int_eq(EVP_PKEY_get_bits(k), 2048);
    EVP_PKEY_free(k);
}
END_TEST

START_TEST(test_p12_contents)
{
    size_t len = 0;
    unsigned char *der = unb64(p12_pw, &len);
    const unsigned char *p = der;
    PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)len);
    ck_assert_ptr_nonnull(p12);
    EVP_PKEY *k = NULL;
    X509 *x = NULL;
    ck_assert_int_eq(PKCS12_parse(p12, P12_PASSWORD, &k, &x, NULL), 1);
    ck_assert_int_eq(X509_check_private_key(x, k), 1);
    char cn[128];
    ck_assert_int_gt(X509_NAME_get_text_by_NID(X509_get_subject_name(x),
                                               NID_commonName, cn,
                                               sizeof cn), 0);
    ck_assert_str_eq(cn, "Test Company \xc3\xa9");
    ck_assert_int_eq(X509_NAME_cmp(X509_get_subject_name(x),
                                   X509_get_issuer_name(x)), 0);
    ck_assert_int_eq(X509_get_signature_nid(x), NID_sha256WithRSAEncryption);
    int days = 0, secs = 0;
    ck_assert_int_eq(ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(x),
                                    X509_get0_notAfter(x)), 1);
    ck_assert_int_eq(days, 3650);
    EVP_PKEY_free(k);
    X509_free(x);
    PKCS12_free(p12);
    free(der);
}
END_TEST

START_TEST(test_p12_no_password_round_trip)
{
    opens_to(p12_nopw, NULL, p12_nopw_pub);
    opens_to(p12_nopw, "", p12_nopw_pub);
    open_fails(p12_nopw, "something", RSAKEYS_BAD_PASSWORD);
}
END_TEST

START_TEST(test_p12_wrong_password)
{
    open_fails(p12_pw, "wrong", RSAKEYS_BAD_PASSWORD);
    open_fails(p12_pw, NULL, RSAKEYS_BAD_PASSWORD);
    open_fails(p12_pw, "", RSAKEYS_BAD_PASSWORD);
    open_fails(p12_pw, "s3cret pas", RSAKEYS_BAD_PASSWORD);
}
END_TEST

START_TEST(test_p12_whitespace_tolerated)
{
    size_t len = 0;
    unsigned char *der = unb64(p12_pw, &len);
    char *wrapped = b64(der, len, true);
    ck_assert_ptr_nonnull(strchr(wrapped, '\n'));
    opens_to(wrapped, P12_PASSWORD, p12_pw_pub);
    /* CRLF and indentation too. */
    size_t n = strlen(wrapped);
    char *crlf = malloc(n * 3 + 1);
    ck_assert_ptr_nonnull(crlf);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (wrapped[i] == '\n') {
            crlf[j++] = '\r';
            crlf[j++] = '\n';
            crlf[j++] = ' ';
        } else {
            crlf[j++] = wrapped[i];
        }
    }
    crlf[j] = '\0';
    opens_to(crlf, P12_PASSWORD, p12_pw_pub);
    free(crlf);
    free(wrapped);
    free(der);
}
END_TEST

START_TEST(test_p12_certificate_only)
{
    X509 *x = make_cert(key_a);
    char *p12 = p12_b64(PKCS12_create("pw", NULL, NULL, x, NULL, 0, 0, 0, 0,
                                      0));
    open_fails(p12, "pw", RSAKEYS_NO_PRIVATE_KEY);
    open_fails(p12, "other", RSAKEYS_BAD_PASSWORD);
    free(p12);
    p12 = p12_b64(PKCS12_create("", NULL, NULL, x, NULL, 0, 0, 0, 0, 0));
    open_fails(p12, NULL, RSAKEYS_NO_PRIVATE_KEY);
    free(p12);
    X509_free(x);
}
END_TEST

START_TEST(test_p12_not_rsa)
{
    char *p12 = p12_b64(PKCS12_create("pw", NULL, key_ec, NULL, NULL, 0, 0,
                                      0, 0, 0));
    open_fails(p12, "pw", RSAKEYS_NOT_RSA);
    free(p12);
}
END_TEST

/* A container as older tools make it (3DES and the PKCS#12 key
 * derivation, where an empty and an absent password differ), and one with
 * neither encryption nor MAC. */
START_TEST(test_p12_legacy_and_plain)
{
    X509 *x = make_cert(key_a);
    int des = NID_pbe_WithSHA1And3_Key_TripleDES_CBC;
    char *p12 = p12_b64(PKCS12_create("", NULL, key_a, x, NULL, des, des,
                                      2048, 1, 0));
    opens_to(p12, NULL, pub_a);
    opens_to(p12, "", pub_a);
    free(p12);
    p12 = p12_b64(PKCS12_create("pw", NULL, key_a, x, NULL, des, des, 2048,
                                1, 0));
    opens_to(p12, "pw", pub_a);
    open_fails(p12, "pW", RSAKEYS_BAD_PASSWORD);
    free(p12);
    /* The MAC and key of an absent password. */
    p12 = p12_b64(PKCS12_create(NULL, NULL, key_a, x, NULL, des, des, 2048,
                                1, 0));
    opens_to(p12, NULL, pub_a);
    opens_to(p12, "", pub_a);
    free(p12);
    /* No MAC: the key alone tells a wrong password. */
    p12 = p12_b64(PKCS12_create("", NULL, key_a, x, NULL, des, des, 2048,
                                -1, 0));
    opens_to(p12, NULL, pub_a);
    open_fails(p12, "pw", RSAKEYS_BAD_PASSWORD);
    free(p12);
    p12 = p12_b64(PKCS12_create("pw", NULL, key_a, x, NULL, 0, 0, 0, -1, 0));
    opens_to(p12, "pw", pub_a);
    open_fails(p12, "wrong", RSAKEYS_BAD_PASSWORD);
    open_fails(p12, NULL, RSAKEYS_BAD_PASSWORD);
    free(p12);
    /* Neither encryption nor MAC. */
    p12 = p12_b64(PKCS12_create(NULL, NULL, key_a, x, NULL, -1, -1, 0, -1,
                                0));
    opens_to(p12, NULL, pub_a);
    opens_to(p12, "ignored", pub_a);
    free(p12);
    X509_free(x);
}
END_TEST

/* A container with the certificate in a safe encrypted with cert_pass (or
 * none), then the key (when given) shrouded with "pw" in a plain safe, and
 * a MAC with "pw" unless mac is false. */
static char *p12_custom(EVP_PKEY *key, X509 *x, const char *cert_pass,
                        bool mac)
{
    STACK_OF(PKCS12_SAFEBAG) *bags = NULL;
    STACK_OF(PKCS7) *safes = NULL;
    ck_assert_ptr_nonnull(PKCS12_add_cert(&bags, x));
    ck_assert_int_eq(PKCS12_add_safe(&safes, bags, cert_pass ?
                                     NID_aes_256_cbc : -1, 2048, cert_pass),
                     1);
    sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
    bags = NULL;
    if (key) {
        ck_assert_ptr_nonnull(PKCS12_add_key(&bags, key, 0, 2048,
                                             NID_aes_256_cbc, "pw"));
        ck_assert_int_eq(PKCS12_add_safe(&safes, bags, -1, 0, NULL), 1);
        sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
    }
    PKCS12 *p12 = PKCS12_add_safes(safes, 0);
    sk_PKCS7_pop_free(safes, PKCS7_free);
    ck_assert_ptr_nonnull(p12);
    if (mac)
        ck_assert_int_eq(PKCS12_set_mac(p12, "pw", -1, NULL, 0, 2048,
                                        EVP_sha256()), 1);
    return p12_b64(p12);
}

/* A safe that does not decrypt (as an RC2 one would not) hides no key
 * that is elsewhere; with nothing else inside, it is a wrong password if
 * no MAC checked the password, else a container we cannot read. */
START_TEST(test_p12_unreadable_safe)
{
    X509 *x = make_cert(key_a);
    char *p12 = p12_custom(key_a, x, "not pw", true);
    opens_to(p12, "pw", pub_a);
    free(p12);
    p12 = p12_custom(NULL, x, "not pw", true);
    open_fails(p12, "pw", RSAKEYS_BAD_FORMAT);
    free(p12);
    p12 = p12_custom(NULL, x, "pw", false);
    open_fails(p12, "pw", RSAKEYS_NO_PRIVATE_KEY);
    open_fails(p12, "wrong", RSAKEYS_BAD_PASSWORD);
    free(p12);
    p12 = p12_custom(key_a, x, NULL, false);
    opens_to(p12, "pw", pub_a);
    open_fails(p12, "wrong", RSAKEYS_BAD_PASSWORD);
    free(p12);
    X509_free(x);
}
END_TEST

START_TEST(test_p12_garbage)
{
    open_fails(NULL, "pw", RSAKEYS_BAD_FORMAT);
    open_fails("", "pw", RSAKEYS_BAD_FORMAT);
    open_fails("   \n", "pw", RSAKEYS_BAD_FORMAT);
    open_fails("not base64 at all!", "pw", RSAKEYS_BAD_FORMAT);
    open_fails("aGVsbG8gd29ybGQ=", "pw", RSAKEYS_BAD_FORMAT); /* hello.. */
    open_fails("aGVsbG8gd29ybGQ", "pw", RSAKEYS_BAD_FORMAT);
    open_fails("aGVs=bG8g", "pw", RSAKEYS_BAD_FORMAT); /* '=' inside */
    open_fails("aGVsb", "pw", RSAKEYS_BAD_FORMAT);    /* 5 digits */
    open_fails("aGVs====", "pw", RSAKEYS_BAD_FORMAT);
    /* Padding after a complete last group. */
    size_t n_pw = strlen(p12_pw);
    char *padded = malloc(n_pw + 2);
    ck_assert_ptr_nonnull(padded);
    ck_assert_uint_eq(n_pw % 4, 0);
    snprintf(padded, n_pw + 2, "%s=", p12_pw);
    open_fails(padded, P12_PASSWORD, RSAKEYS_BAD_FORMAT);
    free(padded);
    /* A truncated container. */
    char *cut = strdup(p12_pw);
    ck_assert_ptr_nonnull(cut);
    cut[strlen(cut) / 2 / 4 * 4] = '\0';
    open_fails(cut, P12_PASSWORD, RSAKEYS_BAD_FORMAT);
    free(cut);
    /* A public key is no container. */
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(key_a, &der);
    ck_assert_int_gt(n, 0);
    char *der_b64 = b64(der, (size_t)n, false);
    open_fails(der_b64, NULL, RSAKEYS_BAD_FORMAT);
    OPENSSL_free(der);
    free(der_b64);
}
END_TEST

START_TEST(test_p12_new_names_and_args)
{
    char *p12 = (char *)"x", *pub = (char *)"x";
    char long_cn[66];
    memset(long_cn, 'a', 65);
    long_cn[65] = '\0';
    ck_assert_int_eq(rsakeys_new_pkcs12(long_cn, NULL, &p12, &pub),
                     RSAKEYS_BAD_FORMAT);
    ck_assert_ptr_null(p12);
    ck_assert_ptr_null(pub);
    ck_assert_int_eq(rsakeys_new_pkcs12("bad \xff utf-8", NULL, &p12, &pub),
                     RSAKEYS_BAD_FORMAT);
    ck_assert_int_eq(rsakeys_new_pkcs12("x", NULL, NULL, &pub),
                     RSAKEYS_FAILED);
    ck_assert_int_eq(rsakeys_new_pkcs12("x", NULL, &p12, NULL),
                     RSAKEYS_FAILED);
    char *priv = NULL;
    ck_assert_int_eq(rsakeys_open_pkcs12(p12_pw, P12_PASSWORD, NULL, &priv),
                     RSAKEYS_FAILED);
    ck_assert_int_eq(rsakeys_open_pkcs12(p12_pw, P12_PASSWORD, &priv, NULL),
                     RSAKEYS_FAILED);
    ck_assert_ptr_null(priv);
}
END_TEST

START_TEST(test_p12_default_name)
{
    size_t len = 0;
    unsigned char *der = unb64(p12_nopw, &len);
    const unsigned char *p = der;
    PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)len);
    ck_assert_ptr_nonnull(p12);
    EVP_PKEY *k = NULL;
    X509 *x = NULL;
    ck_assert_int_eq(PKCS12_parse(p12, "", &k, &x, NULL), 1);
    char cn[128];
    ck_assert_int_gt(X509_NAME_get_text_by_NID(X509_get_subject_name(x),
                                               NID_commonName, cn,
                                               sizeof cn), 0);
    ck_assert_str_eq(cn, "vspc-emulator");
    EVP_PKEY_free(k);
    X509_free(x);
    PKCS12_free(p12);
    free(der);
}
END_TEST

/* ---------------------------------------------------- uploaded keys */

START_TEST(test_public_spki_pem)
{
    public_is_a(pub_a, strlen(pub_a));
    public_is_a(pub_a, strlen(pub_a) + 1); /* with its NUL */
    /* Around other text, with CRLF line ends. */
    size_t n = strlen(pub_a);
    char *crlf = malloc(2 * n + 64);
    ck_assert_ptr_nonnull(crlf);
    size_t j = (size_t)sprintf(crlf, "My key:\r\n");
    for (size_t i = 0; i < n; i++) {
        if (pub_a[i] == '\n')
            crlf[j++] = '\r';
        crlf[j++] = pub_a[i];
    }
    j += (size_t)sprintf(crlf + j, "thanks\r\n");
    public_is_a(crlf, j);
    free(crlf);
}
END_TEST

START_TEST(test_public_pkcs1_pem)
{
    unsigned char *der = NULL;
    int n = i2d_PublicKey(key_a, &der); /* PKCS#1 RSAPublicKey for RSA */
    ck_assert_int_gt(n, 0);
    char *pem = pem_of("RSA PUBLIC KEY", der, n);
    public_is_a(pem, strlen(pem));
    public_is_a(der, (size_t)n); /* raw DER PKCS#1 */
    char *text = b64(der, (size_t)n, true);
    public_is_a(text, strlen(text));
    free(text);
    free(pem);
    OPENSSL_free(der);
}
END_TEST

START_TEST(test_public_certificate)
{
    X509 *x = make_cert(key_a);
    BIO *b = BIO_new(BIO_s_mem());
    ck_assert_int_eq(PEM_write_bio_X509(b, x), 1);
    char *pem = bio_take(b);
    ck_assert(starts(pem, "-----BEGIN CERTIFICATE-----"));
    public_is_a(pem, strlen(pem));
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    ck_assert_int_gt(n, 0);
    public_is_a(der, (size_t)n);
    char *text = b64(der, (size_t)n, false);
    public_is_a(text, strlen(text));
    free(text);
    OPENSSL_free(der);
    free(pem);
    X509_free(x);
}
END_TEST

START_TEST(test_public_der_and_base64)
{
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(key_a, &der);
    ck_assert_int_gt(n, 0);
    public_is_a(der, (size_t)n);
    char *flat = b64(der, (size_t)n, false);
    public_is_a(flat, strlen(flat));
    char *wrapped = b64(der, (size_t)n, true);
    public_is_a(wrapped, strlen(wrapped));
    /* Truncated or with a byte after it, DER is refused. */
    public_fails(der, (size_t)n - 1, RSAKEYS_BAD_FORMAT);
    unsigned char *longer = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(longer);
    memcpy(longer, der, (size_t)n);
    longer[n] = 0;
    public_fails(longer, (size_t)n + 1, RSAKEYS_BAD_FORMAT);
    free(longer);
    free(flat);
    free(wrapped);
    OPENSSL_free(der);
}
END_TEST

START_TEST(test_public_from_private)
{
    public_is_a(priv_a, strlen(priv_a)); /* PKCS#8 PEM */
    unsigned char *der = NULL;
    int n = i2d_PrivateKey(key_a, &der); /* PKCS#1 RSAPrivateKey for RSA */
    ck_assert_int_gt(n, 0);
    char *pem = pem_of("RSA PRIVATE KEY", der, n);
    public_is_a(pem, strlen(pem));
    public_is_a(der, (size_t)n);
    OPENSSL_clear_free(der, (size_t)n);
    free(pem);
}
END_TEST

START_TEST(test_public_same_key_same_pem)
{
    /* Every form of key b gives one string, and it is not key a's. */
    char *p1 = NULL, *p2 = NULL;
    ck_assert_int_eq(public_from_str(pub_b, &p1), RSAKEYS_OK);
    ck_assert_int_eq(public_from_str(priv_b, &p2), RSAKEYS_OK);
    ck_assert_str_eq(p1, pub_b);
    ck_assert_str_eq(p1, p2);
    ck_assert_str_ne(p1, pub_a);
    free(p1);
    free(p2);
}
END_TEST

START_TEST(test_public_not_rsa)
{
    char *pub = spki_pem(key_ec);
    public_fails(pub, strlen(pub), RSAKEYS_NOT_RSA);
    char *priv = pkcs8_pem(key_ec);
    public_fails(priv, strlen(priv), RSAKEYS_NOT_RSA);
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(key_ec, &der);
    ck_assert_int_gt(n, 0);
    public_fails(der, (size_t)n, RSAKEYS_NOT_RSA);
    char *text = b64(der, (size_t)n, false);
    public_fails(text, strlen(text), RSAKEYS_NOT_RSA);
    free(text);
    OPENSSL_free(der);
    /* Traditional "EC PRIVATE KEY", after an "EC PARAMETERS" block as
     * `openssl ecparam -genkey` writes it. */
    der = NULL;
    n = i2d_PrivateKey(key_ec, &der);
    ck_assert_int_gt(n, 0);
    char *ec_priv = pem_of("EC PRIVATE KEY", der, n);
    static const unsigned char params[] = { 0x06, 0x08, 0x2a, 0x86, 0x48,
                                            0xce, 0x3d, 0x03, 0x01, 0x07 };
    char *ec_params = pem_of("EC PARAMETERS", params, sizeof params);
    size_t len = strlen(ec_params) + strlen(ec_priv) + 1;
    char *both = malloc(len);
    ck_assert_ptr_nonnull(both);
    snprintf(both, len, "%s%s", ec_params, ec_priv);
    public_fails(both, strlen(both), RSAKEYS_NOT_RSA);
    public_fails(ec_priv, strlen(ec_priv), RSAKEYS_NOT_RSA);
    /* An EC certificate. */
    X509 *x = make_cert(key_ec);
    BIO *b = BIO_new(BIO_s_mem());
    ck_assert_int_eq(PEM_write_bio_X509(b, x), 1);
    char *cert = bio_take(b);
    public_fails(cert, strlen(cert), RSAKEYS_NOT_RSA);
    free(cert);
    X509_free(x);
    free(both);
    free(ec_params);
    free(ec_priv);
    OPENSSL_free(der);
    free(priv);
    free(pub);
}
END_TEST

START_TEST(test_public_protected)
{
    BIO *b = BIO_new(BIO_s_mem());
    ck_assert_int_eq(PEM_write_bio_PrivateKey(b, key_a, EVP_aes_256_cbc(),
        (const unsigned char *)"pw", 2, NULL, NULL), 1);
    char *pkcs8 = bio_take(b);
    ck_assert(starts(pkcs8, "-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    public_fails(pkcs8, strlen(pkcs8), RSAKEYS_PROTECTED);
    /* Traditional, with Proc-Type and DEK-Info headers. */
    b = BIO_new(BIO_s_mem());
    ck_assert_int_eq(PEM_write_bio_PrivateKey_traditional(b, key_a,
        EVP_aes_128_cbc(), (unsigned char *)"pw", 2, NULL, NULL), 1);
    char *trad = bio_take(b);
    ck_assert(starts(trad, "-----BEGIN RSA PRIVATE KEY-----"));
    ck_assert_ptr_nonnull(strstr(trad, "ENCRYPTED"));
    public_fails(trad, strlen(trad), RSAKEYS_PROTECTED);
    /* DER EncryptedPrivateKeyInfo, raw and as base64. */
    b = BIO_new(BIO_s_mem());
    ck_assert_int_eq(i2d_PKCS8PrivateKey_bio(b, key_a, EVP_aes_256_cbc(),
                                             (char *)"pw", 2, NULL, NULL),
                     1);
    char *data = NULL;
    long n = BIO_get_mem_data(b, &data);
    ck_assert_int_gt(n, 0);
    public_fails(data, (size_t)n, RSAKEYS_PROTECTED);
    char *text = b64((unsigned char *)data, (size_t)n, true);
    public_fails(text, strlen(text), RSAKEYS_PROTECTED);
    free(text);
    BIO_free(b);
    free(trad);
    free(pkcs8);
}
END_TEST

START_TEST(test_public_bad_format)
{
    static const char *bad[] = {
        "hello",
        "   \n\t ",
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@host",
        "aGVsbG8gd29ybGQ=",                          /* base64 of text */
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n",
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOC\n",
        "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"
        "-----END CERTIFICATE REQUEST-----\n",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
        "-----END OPENSSH PRIVATE KEY-----\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        public_fails(bad[i], strlen(bad[i]), RSAKEYS_BAD_FORMAT);
    static const unsigned char bytes[] = { 0x30, 0x03, 0x02, 0x01, 0x05,
                                           0x00, 0xff, 0x80 };
    public_fails(bytes, sizeof bytes, RSAKEYS_BAD_FORMAT);
    public_fails(bytes, 1, RSAKEYS_BAD_FORMAT);
    char *pem = (char *)"x";
    ck_assert_int_eq(rsakeys_public_from(bytes, 0, &pem), RSAKEYS_BAD_FORMAT);
    ck_assert_ptr_null(pem);
    ck_assert_int_eq(rsakeys_public_from(NULL, 0, &pem), RSAKEYS_BAD_FORMAT);
    ck_assert_int_eq(rsakeys_public_from(NULL, 5, &pem), RSAKEYS_BAD_FORMAT);
    ck_assert_int_eq(rsakeys_public_from((const unsigned char *)pub_a,
                                         strlen(pub_a), NULL),
                     RSAKEYS_FAILED);
    /* A key cut in half. */
    public_fails(pub_a, strlen(pub_a) / 2, RSAKEYS_BAD_FORMAT);
    ck_assert_int_eq(ERR_peek_error(), 0); /* error queue left empty */
}
END_TEST

/* ------------------------------------------------------ signing key */

START_TEST(test_load_or_create)
{
    char dir[512], path[600];
    test_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/jwt-key.pem", dir);
    char *priv = NULL, *pub = NULL;
    ck_assert_int_eq(rsakeys_load_or_create(path, &priv, &pub), RSAKEYS_OK);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    ck_assert_int_eq(count_entries(dir), 1); /* no temp file left over */
    ck_assert(starts(priv, "-----BEGIN PRIVATE KEY-----\n"));
    EVP_PKEY *k = parse_private(priv);
    EVP_PKEY *p = parse_public(pub);
    ck_assert_int_eq(EVP_PKEY_get_bits(k), 2048);
    ck_assert_int_eq(EVP_PKEY_eq(k, p), 1);
    EVP_PKEY_free(k);
    EVP_PKEY_free(p);

    char *priv2 = NULL, *pub2 = NULL;
    ck_assert_int_eq(rsakeys_load_or_create(path, &priv2, &pub2), RSAKEYS_OK);
    ck_assert_str_eq(priv2, priv);
    ck_assert_str_eq(pub2, pub);
    free(priv);
    free(pub);
    free(priv2);
    free(pub2);
}
END_TEST

START_TEST(test_load_existing_forms)
{
    char dir[512], path[600];
    test_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/key.pem", dir);
    char *priv = NULL, *pub = NULL;
    /* A traditional RSA key is read and handed back as PKCS#8. */
    unsigned char *der = NULL;
    int n = i2d_PrivateKey(key_a, &der);
    ck_assert_int_gt(n, 0);
    char *trad = pem_of("RSA PRIVATE KEY", der, n);
    write_text(path, trad);
    ck_assert_int_eq(rsakeys_load_or_create(path, &priv, &pub), RSAKEYS_OK);
    ck_assert_str_eq(priv, priv_a);
    ck_assert_str_eq(pub, pub_a);
    free(priv);
    free(pub);
    free(trad);
    OPENSSL_clear_free(der, (size_t)n);
}
END_TEST

START_TEST(test_load_refuses)
{
    char dir[512], path[600];
    test_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/key.pem", dir);
    char *priv = (char *)"x", *pub = (char *)"x";

    write_text(path, "not a key\n");
    ck_assert_int_eq(rsakeys_load_or_create(path, &priv, &pub),
                     RSAKEYS_BAD_FORMAT);
    ck_assert_ptr_null(priv);
    ck_assert_ptr_null(pub);
    write_text(path, pub_a);
    ck_assert_int_eq(rsakeys_load_or_create(path, &priv, &pub),
                     RSAKEYS_BAD_FORMAT);
    char *ec = pkcs8_pem(key_ec);
    write_text(path, ec);
    ck_assert_int_eq(rsakeys_load_or_create(path, &priv, &pub),
                     RSAKEYS_NOT_RSA);
    BIO *b = BIO_new(BIO_s_mem());
    ck_assert_int_eq(PEM_write_bio_PrivateKey(b, key_a, EVP_aes_256_cbc(),
        (const unsigned char *)"pw", 2, NULL, NULL), 1);
    char *enc = bio_take(b);
    write_text(path, enc);
    ck_assert_int_eq(rsakeys_load_or_create(path, &priv, &pub),
                     RSAKEYS_PROTECTED);
    /* The file is left as it was. */
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char line[64] = "";
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    fclose(f);
    ck_assert_str_eq(line, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
    /* A dir where the file should be, a missing dir, no path. */
    ck_assert_int_eq(rsakeys_load_or_create(dir, &priv, &pub),
                     RSAKEYS_FAILED);
    snprintf(path, sizeof path, "%s/missing/key.pem", dir);
    ck_assert_int_eq(rsakeys_load_or_create(path, &priv, &pub),
                     RSAKEYS_FAILED);
    ck_assert_int_eq(rsakeys_load_or_create(NULL, &priv, &pub),
                     RSAKEYS_FAILED);
    ck_assert_int_eq(rsakeys_load_or_create("", &priv, &pub),
                     RSAKEYS_FAILED);
    ck_assert_int_eq(rsakeys_load_or_create(path, NULL, &pub),
                     RSAKEYS_FAILED);
    ck_assert_ptr_null(priv);
    ck_assert_ptr_null(pub);
    free(enc);
    free(ec);
}
END_TEST

/* ---------------------------------------------------------- messages */

START_TEST(test_messages)
{
    static const rsakeys_status all[] = {
        RSAKEYS_OK, RSAKEYS_FAILED, RSAKEYS_BAD_FORMAT, RSAKEYS_NOT_RSA,
        RSAKEYS_PROTECTED, RSAKEYS_BAD_PASSWORD, RSAKEYS_NO_PRIVATE_KEY,
    };
    size_t n = sizeof all / sizeof all[0];
    for (size_t i = 0; i < n; i++) {
        const char *m = rsakeys_message(all[i]);
        ck_assert_ptr_nonnull(m);
        ck_assert_uint_gt(strlen(m), 0);
        ck_assert_ptr_null(strchr(m, '\n'));
        for (size_t j = 0; j < i; j++)
            ck_assert_str_ne(m, rsakeys_message(all[j]));
    }
    ck_assert_str_eq(rsakeys_message(RSAKEYS_PROTECTED),
                     "Provided key is protected with password");
    ck_assert_str_eq(rsakeys_message(RSAKEYS_NOT_RSA),
                     "Non-RSA keys are not supported");
    ck_assert_str_eq(rsakeys_message(RSAKEYS_BAD_FORMAT),
                     "Format of the provided key is not supported");
    ck_assert_str_eq(rsakeys_message(RSAKEYS_NO_PRIVATE_KEY),
                     "Container does not include a private key");
    ck_assert_uint_gt(strlen(rsakeys_message((rsakeys_status)99)), 0);
}
END_TEST

/* ------------------------------------------------------------- main */

static Suite *rsakeys_suite(void)
{
    Suite *s = suite_create("rsakeys");

    TCase *tc = tcase_create("pairs");
    tcase_set_timeout(tc, 120); /* RSA key generation is slow under ASan */
    tcase_add_test(tc, test_new_pair_parses_and_matches);
    tcase_add_test(tc, test_new_pair_default_bits);
    tcase_add_test(tc, test_new_pair_null_out);
    suite_add_tcase(s, tc);

    tc = tcase_create("oaep");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_round_trip_lengths);
    tcase_add_test(tc, test_encrypt_is_oaep_sha1);
    tcase_add_test(tc, test_decrypt_other_key_fails);
    tcase_add_test(tc, test_encrypt_decrypt_bad_input);
    suite_add_tcase(s, tc);

    tc = tcase_create("pkcs12");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_p12_password_round_trip);
    tcase_add_test(tc, test_p12_contents);
    tcase_add_test(tc, test_p12_no_password_round_trip);
    tcase_add_test(tc, test_p12_wrong_password);
    tcase_add_test(tc, test_p12_whitespace_tolerated);
    tcase_add_test(tc, test_p12_certificate_only);
    tcase_add_test(tc, test_p12_not_rsa);
    tcase_add_test(tc, test_p12_legacy_and_plain);
    tcase_add_test(tc, test_p12_unreadable_safe);
    tcase_add_test(tc, test_p12_garbage);
    tcase_add_test(tc, test_p12_new_names_and_args);
    tcase_add_test(tc, test_p12_default_name);
    suite_add_tcase(s, tc);

    tc = tcase_create("public_from");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_public_spki_pem);
    tcase_add_test(tc, test_public_pkcs1_pem);
    tcase_add_test(tc, test_public_certificate);
    tcase_add_test(tc, test_public_der_and_base64);
    tcase_add_test(tc, test_public_from_private);
    tcase_add_test(tc, test_public_same_key_same_pem);
    tcase_add_test(tc, test_public_not_rsa);
    tcase_add_test(tc, test_public_protected);
    tcase_add_test(tc, test_public_bad_format);
    suite_add_tcase(s, tc);

    tc = tcase_create("signing_key");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_load_or_create);
    tcase_add_test(tc, test_load_existing_forms);
    tcase_add_test(tc, test_load_refuses);
    suite_add_tcase(s, tc);

    tc = tcase_create("messages");
    tcase_add_test(tc, test_messages);
    suite_add_tcase(s, tc);
    return s;
}

static void free_shared(void)
{
    free(priv_a);
    free(pub_a);
    free(priv_b);
    free(pub_b);
    free(p12_pw);
    free(p12_pw_pub);
    free(p12_nopw);
    free(p12_nopw_pub);
    EVP_PKEY_free(key_a);
    EVP_PKEY_free(key_ec);
}

int main(void)
{
    bool ok =
        rsakeys_new_pair(1024, &priv_a, &pub_a) == RSAKEYS_OK &&
        rsakeys_new_pair(1024, &priv_b, &pub_b) == RSAKEYS_OK &&
        rsakeys_new_pkcs12("Test Company \xc3\xa9", P12_PASSWORD, &p12_pw,
                           &p12_pw_pub) == RSAKEYS_OK &&
        rsakeys_new_pkcs12(NULL, NULL, &p12_nopw, &p12_nopw_pub) ==
            RSAKEYS_OK &&
        (key_ec = EVP_EC_gen("P-256")) != NULL;
    if (ok) {
        BIO *b = BIO_new_mem_buf(priv_a, -1);
        key_a = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
        BIO_free(b);
        ok = key_a != NULL;
    }
    if (!ok) {
        fprintf(stderr, "test_rsakeys: cannot make the shared keys\n");
        free_shared();
        return EXIT_FAILURE;
    }
    if (!mkdtemp(root_dir)) {
        perror("test_rsakeys: mkdtemp");
        free_shared();
        return EXIT_FAILURE;
    }
    SRunner *sr = srunner_create(rsakeys_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    rm_tree(root_dir);
    free_shared();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
