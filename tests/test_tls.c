/* test_tls.c — unit tests for tls.c: the self-signed certificate's contents,
 * creating and reusing the pair in a data dir, user-supplied files, and every
 * way loading can fail. Temp dirs live under one mkdtemp root that main()
 * removes, even when a test fails.
 */
#include "http/tls.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include "testutil.h"

#define ERRLEN 512

/* Made once in main(), before the tests fork: two unrelated pairs. */
static tls_material pair_a, pair_b;
/* Root temp dir; every test makes its own dir below it. */
static char root_dir[] = "/tmp/vspc-test-tls-XXXXXX";

/* ----------------------------------------------------------- helpers */

/* Makes a fresh empty dir for one test under root_dir into buf. */
static void test_dir(char *buf, size_t n)
{
    snprintf(buf, n, "%s/t-XXXXXX", root_dir);
    ck_assert_ptr_nonnull(mkdtemp(buf));
}

/* buf = a/b */
static void join(char *buf, size_t n, const char *a, const char *b)
{
    int r = snprintf(buf, n, "%s/%s", a, b);
    ck_assert(r > 0 && (size_t)r < n);
}

/* Writes len bytes of data to path with the given mode. */
static void write_bytes(const char *path, const void *data, size_t len,
                        mode_t mode)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(chmod(path, mode), 0);
}

/* Writes a string to path. */
static void write_text(const char *path, const char *text)
{
    write_bytes(path, text, strlen(text), 0600);
}




/* Parses a PEM certificate (test fails if it does not parse). */
static X509 *parse_cert(const char *pem)
{
    BIO *b = BIO_new_mem_buf(pem, -1);
    ck_assert_ptr_nonnull(b);
    X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
    BIO_free(b);
    ck_assert_ptr_nonnull(x);
    return x;
}

/* Parses an unencrypted PEM private key. */
static EVP_PKEY *parse_key(const char *pem)
{
    BIO *b = BIO_new_mem_buf(pem, -1);
    ck_assert_ptr_nonnull(b);
    EVP_PKEY *k = PEM_read_bio_PrivateKey(b, NULL, NULL, (void *)"");
    BIO_free(b);
    ck_assert_ptr_nonnull(k);
    return k;
}

/* True if key_pem is the private key of cert_pem. */
static bool pair_matches(const char *cert_pem, const char *key_pem)
{
    X509 *x = parse_cert(cert_pem);
    EVP_PKEY *k = parse_key(key_pem);
    bool ok = X509_check_private_key(x, k) == 1;
    X509_free(x);
    EVP_PKEY_free(k);
    ERR_clear_error();
    return ok;
}

/* Asserts a failed call left a non-empty one-line err naming `part`, and no
 * material in out. */
static void assert_failed(bool ok, const char *err, const char *part,
                          const tls_material *out)
{
    ck_assert_msg(!ok, "call should have failed");
    ck_assert_msg(err[0] != '\0', "err is empty");
    ck_assert_msg(strchr(err, '\n') == NULL, "err has a newline: %s", err);
    ck_assert_msg(strstr(err, part) != NULL, "err \"%s\" lacks \"%s\"", err,
                  part);
    ck_assert_ptr_null(out->cert_pem);
    ck_assert_ptr_null(out->key_pem);
}

/* Writes a cert/key pair as files dir/c.pem and dir/k.pem. */
static void write_pair(const char *dir, const char *cert, const char *key,
                       char *cpath, char *kpath, size_t n)
{
    join(cpath, n, dir, "c.pem");
    join(kpath, n, dir, "k.pem");
    write_text(cpath, cert);
    write_text(kpath, key);
}

/* Loads user files cpath/kpath and expects failure mentioning part. */
static void expect_user_failure(const char *cpath, const char *kpath,
                                const char *part)
{
    tls_material out = { 0 };
    char err[ERRLEN] = "";
    bool created = true;
    bool ok = tls_load_or_create(NULL, cpath, kpath, &out, &created, err,
                                 sizeof err);
    assert_failed(ok, err, part, &out);
    ck_assert(!created);
}

/* ------------------------------------------------ the created pair */

START_TEST(test_create_parses_and_matches)
{
    tls_material m = { 0 };
    char err[ERRLEN] = "";
    ck_assert_msg(tls_create_self_signed(&m, err, sizeof err), "%s", err);
    ck_assert_ptr_nonnull(strstr(m.cert_pem, "-----BEGIN CERTIFICATE-----"));
    ck_assert_ptr_nonnull(strstr(m.key_pem, "-----BEGIN PRIVATE KEY-----"));
    X509 *x = parse_cert(m.cert_pem);
    EVP_PKEY *k = parse_key(m.key_pem);
    ck_assert_int_eq(X509_check_private_key(x, k), 1);
    ck_assert_int_eq(X509_verify(x, k), 1);  /* self-signed by this key */
    ck_assert_int_eq(EVP_PKEY_get_base_id(k), EVP_PKEY_RSA);
    ck_assert_int_eq(EVP_PKEY_get_bits(k), 2048);
    ck_assert_int_eq(X509_get_signature_nid(x), NID_sha256WithRSAEncryption);
    ck_assert_int_eq(X509_get_version(x), X509_VERSION_3);
    X509_free(x);
    EVP_PKEY_free(k);
    tls_free(&m);
}
END_TEST

START_TEST(test_create_names)
{
    X509 *x = parse_cert(pair_a.cert_pem);
    X509_NAME *subj = X509_get_subject_name(x);
    char buf[256];
    ck_assert_int_gt(X509_NAME_get_text_by_NID(subj, NID_commonName, buf,
                                               sizeof buf), 0);
    ck_assert_str_eq(buf, "localhost");
    ck_assert_int_gt(X509_NAME_get_text_by_NID(subj, NID_organizationName,
                                               buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "vspc-emulator");
    ck_assert_int_eq(X509_NAME_entry_count(subj), 2);
    ck_assert_int_eq(X509_NAME_cmp(subj, X509_get_issuer_name(x)), 0);
    X509_free(x);
}
END_TEST

START_TEST(test_create_san)
{
    X509 *x = parse_cert(pair_a.cert_pem);
    GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL,
                                           NULL);
    ck_assert_ptr_nonnull(gens);
    ck_assert_int_eq(sk_GENERAL_NAME_num(gens), 3);
    static const unsigned char v4[4] = { 127, 0, 0, 1 };
    static const unsigned char v6[16] = { [15] = 1 };
    int dns = 0, ip4 = 0, ip6 = 0;
    for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
        if (g->type == GEN_DNS &&
            ASN1_STRING_length(g->d.dNSName) == 9 &&
            memcmp(ASN1_STRING_get0_data(g->d.dNSName), "localhost", 9) == 0)
            dns++;
        if (g->type == GEN_IPADD && ASN1_STRING_length(g->d.iPAddress) == 4 &&
            memcmp(ASN1_STRING_get0_data(g->d.iPAddress), v4, 4) == 0)
            ip4++;
        if (g->type == GEN_IPADD &&
            ASN1_STRING_length(g->d.iPAddress) == 16 &&
            memcmp(ASN1_STRING_get0_data(g->d.iPAddress), v6, 16) == 0)
            ip6++;
    }
    ck_assert_int_eq(dns, 1);
    ck_assert_int_eq(ip4, 1);
    ck_assert_int_eq(ip6, 1);
    GENERAL_NAMES_free(gens);
    /* what a TLS client would check */
    ck_assert_int_eq(X509_check_host(x, "localhost", 0, 0, NULL), 1);
    ck_assert_int_eq(X509_check_host(x, "example.com", 0, 0, NULL), 0);
    ck_assert_int_eq(X509_check_ip_asc(x, "127.0.0.1", 0), 1);
    ck_assert_int_eq(X509_check_ip_asc(x, "::1", 0), 1);
    ck_assert_int_eq(X509_check_ip_asc(x, "10.0.0.1", 0), 0);
    X509_free(x);
}
END_TEST

START_TEST(test_create_validity)
{
    time_t now = time(NULL);
    X509 *x = parse_cert(pair_a.cert_pem);
    const ASN1_TIME *nb = X509_get0_notBefore(x);
    const ASN1_TIME *na = X509_get0_notAfter(x);
    /* valid now (pair_a was made moments ago) */
    ck_assert_int_eq(X509_cmp_time(nb, &now), -1);
    ck_assert_int_gt(X509_cmp_time(na, &now), 0);
    int days = -1, secs = -1;
    ck_assert_int_eq(ASN1_TIME_diff(&days, &secs, nb, na), 1);
    ck_assert_int_eq(days, 3650);
    ck_assert_int_eq(secs, 0);
    time_t hour_ago = now - 3600;
    ck_assert_int_gt(X509_cmp_time(nb, &hour_ago), 0); /* fresh */
    X509_free(x);
}
END_TEST

START_TEST(test_create_extensions)
{
    X509 *x = parse_cert(pair_a.cert_pem);
    ck_assert_int_eq(X509_check_ca(x), 0);
    uint32_t flags = X509_get_extension_flags(x);
    ck_assert(flags & EXFLAG_BCONS);
    ck_assert(!(flags & EXFLAG_CA));
    ck_assert(flags & EXFLAG_KUSAGE);
    ck_assert_uint_eq(X509_get_key_usage(x),
                      KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT);
    ck_assert(flags & EXFLAG_XKUSAGE);
    ck_assert_uint_eq(X509_get_extended_key_usage(x), XKU_SSL_SERVER);
    ck_assert_int_eq(X509_check_purpose(x, X509_PURPOSE_SSL_SERVER, 0), 1);
    int bc = X509_get_ext_by_NID(x, NID_basic_constraints, -1);
    int ku = X509_get_ext_by_NID(x, NID_key_usage, -1);
    ck_assert_int_ge(bc, 0);
    ck_assert_int_ge(ku, 0);
    ck_assert_int_eq(X509_EXTENSION_get_critical(X509_get_ext(x, bc)), 1);
    ck_assert_int_eq(X509_EXTENSION_get_critical(X509_get_ext(x, ku)), 1);
    X509_free(x);
}
END_TEST

START_TEST(test_create_serials_differ)
{
    X509 *a = parse_cert(pair_a.cert_pem);
    X509 *b = parse_cert(pair_b.cert_pem);
    const ASN1_INTEGER *sa = X509_get0_serialNumber(a);
    const ASN1_INTEGER *sb = X509_get0_serialNumber(b);
    ck_assert_int_ne(ASN1_INTEGER_cmp(sa, sb), 0);
    BIGNUM *bn = ASN1_INTEGER_to_BN(sa, NULL);
    ck_assert_ptr_nonnull(bn);
    ck_assert(!BN_is_negative(bn) && !BN_is_zero(bn));
    ck_assert_int_ge(BN_num_bits(bn), 64);
    ck_assert_int_le(BN_num_bytes(bn), 20);
    BN_free(bn);
    ck_assert_str_ne(pair_a.key_pem, pair_b.key_pem);
    ck_assert(!pair_matches(pair_a.cert_pem, pair_b.key_pem));
    X509_free(a);
    X509_free(b);
}
END_TEST

START_TEST(test_create_null_out)
{
    char err[ERRLEN] = "";
    ck_assert(!tls_create_self_signed(NULL, err, sizeof err));
    ck_assert_str_ne(err, "");
    err[0] = '\0';
    ck_assert(!tls_load_or_create("/tmp", NULL, NULL, NULL, NULL, err,
                                  sizeof err));
    ck_assert_str_ne(err, "");
    /* no err buffer at all, or a tiny one: no crash, still NUL-terminated */
    ck_assert(!tls_create_self_signed(NULL, NULL, 0));
    char tiny[8];
    memset(tiny, 'x', sizeof tiny);
    ck_assert(!tls_create_self_signed(NULL, tiny, sizeof tiny));
    ck_assert_uint_eq(strlen(tiny), sizeof tiny - 1);
}
END_TEST

START_TEST(test_free_is_safe)
{
    tls_free(NULL);
    tls_material m = { 0 };
    tls_free(&m);
    m.cert_pem = strdup("c");
    m.key_pem = strdup("k");
    tls_free(&m);
    ck_assert_ptr_null(m.cert_pem);
    ck_assert_ptr_null(m.key_pem);
    tls_free(&m); /* twice is fine */
}
END_TEST

/* -------------------------------------------------------- data dir */

START_TEST(test_dir_creates_pair)
{
    char t[1024], dir[1200], cpath[1300], kpath[1300];
    test_dir(t, sizeof t);
    join(dir, sizeof dir, t, "data"); /* does not exist yet */
    tls_material m = { 0 };
    char err[ERRLEN] = "";
    bool created = false;
    ck_assert_msg(tls_load_or_create(dir, NULL, NULL, &m, &created, err,
                                     sizeof err), "%s", err);
    ck_assert(created);
    ck_assert_uint_eq(test_mode_of(dir), 0700);
    join(cpath, sizeof cpath, dir, "cert.pem");
    join(kpath, sizeof kpath, dir, "key.pem");
    ck_assert_uint_eq(test_mode_of(kpath), 0600);
    ck_assert_uint_eq(test_mode_of(cpath), 0644);
    ck_assert_int_eq(test_count_entries(dir), 2); /* no temp files left */
    char *c = test_slurp(cpath), *k = test_slurp(kpath);
    ck_assert_str_eq(c, m.cert_pem);
    ck_assert_str_eq(k, m.key_pem);
    ck_assert(pair_matches(c, k));
    free(c);
    free(k);
    tls_free(&m);
}
END_TEST

START_TEST(test_dir_reuses_pair)
{
    char dir[1024];
    test_dir(dir, sizeof dir); /* exists and is empty */
    tls_material m1 = { 0 }, m2 = { 0 };
    char err[ERRLEN] = "";
    bool created = false;
    ck_assert_msg(tls_load_or_create(dir, NULL, NULL, &m1, &created, err,
                                     sizeof err), "%s", err);
    ck_assert(created);
    ck_assert_msg(tls_load_or_create(dir, "", "", &m2, &created, err,
                                     sizeof err), "%s", err);
    ck_assert(!created);
    ck_assert_str_eq(m1.cert_pem, m2.cert_pem);
    ck_assert_str_eq(m1.key_pem, m2.key_pem);
    tls_free(&m1);
    tls_free(&m2);
}
END_TEST

START_TEST(test_dir_nested_and_null_created)
{
    char t[1024], dir[1200], kpath[1300];
    test_dir(t, sizeof t);
    join(dir, sizeof dir, t, "a/b//c/");
    tls_material m = { 0 };
    char err[ERRLEN] = "";
    ck_assert_msg(tls_load_or_create(dir, NULL, NULL, &m, NULL, err,
                                     sizeof err), "%s", err);
    join(kpath, sizeof kpath, dir, "key.pem");
    ck_assert_uint_eq(test_mode_of(kpath), 0600);
    tls_free(&m);
}
END_TEST

/* Removes one file of a created pair and expects a new pair. */
static void check_regenerates(const char *missing)
{
    char dir[1024], gone[1200];
    test_dir(dir, sizeof dir);
    tls_material m1 = { 0 }, m2 = { 0 };
    char err[ERRLEN] = "";
    bool created = false;
    ck_assert_msg(tls_load_or_create(dir, NULL, NULL, &m1, &created, err,
                                     sizeof err), "%s", err);
    join(gone, sizeof gone, dir, missing);
    ck_assert_int_eq(unlink(gone), 0);
    ck_assert_msg(tls_load_or_create(dir, NULL, NULL, &m2, &created, err,
                                     sizeof err), "%s", err);
    ck_assert(created);
    ck_assert_str_ne(m1.key_pem, m2.key_pem);
    ck_assert_str_ne(m1.cert_pem, m2.cert_pem);
    ck_assert(pair_matches(m2.cert_pem, m2.key_pem));
    ck_assert_int_eq(test_count_entries(dir), 2);
    tls_free(&m1);
    tls_free(&m2);
}

START_TEST(test_dir_missing_cert_regenerates)
{
    check_regenerates("cert.pem");
}
END_TEST

START_TEST(test_dir_missing_key_regenerates)
{
    check_regenerates("key.pem");
}
END_TEST

/* ---------------------------------------------------- user files */

START_TEST(test_user_files_used)
{
    char t[1024], cpath[1200], kpath[1200], dir[1200];
    test_dir(t, sizeof t);
    write_pair(t, pair_b.cert_pem, pair_b.key_pem, cpath, kpath,
               sizeof cpath);
    join(dir, sizeof dir, t, "data");
    tls_material m = { 0 };
    char err[ERRLEN] = "";
    bool created = true;
    ck_assert_msg(tls_load_or_create(dir, cpath, kpath, &m, &created, err,
                                     sizeof err), "%s", err);
    ck_assert(!created);
    ck_assert_str_eq(m.cert_pem, pair_b.cert_pem);
    ck_assert_str_eq(m.key_pem, pair_b.key_pem);
    ck_assert_int_eq(access(dir, F_OK), -1); /* data dir left alone */
    tls_free(&m);
    /* no data dir at all is fine too */
    ck_assert_msg(tls_load_or_create(NULL, cpath, kpath, &m, NULL, err,
                                     sizeof err), "%s", err);
    ck_assert_str_eq(m.key_pem, pair_b.key_pem);
    tls_free(&m);
}
END_TEST

START_TEST(test_user_traditional_rsa_key)
{
    /* "BEGIN RSA PRIVATE KEY" (PKCS#1) files are accepted as they are */
    EVP_PKEY *k = parse_key(pair_a.key_pem);
    BIO *b = BIO_new(BIO_s_mem());
    ck_assert_int_eq(PEM_write_bio_PrivateKey_traditional(b, k, NULL, NULL,
                                                          0, NULL, NULL), 1);
    char *data = NULL;
    long n = BIO_get_mem_data(b, &data);
    char *pkcs1 = strndup(data, (size_t)n);
    BIO_free(b);
    EVP_PKEY_free(k);
    ck_assert_ptr_nonnull(strstr(pkcs1, "BEGIN RSA PRIVATE KEY"));

    char t[1024], cpath[1200], kpath[1200];
    test_dir(t, sizeof t);
    write_pair(t, pair_a.cert_pem, pkcs1, cpath, kpath, sizeof cpath);
    tls_material m = { 0 };
    char err[ERRLEN] = "";
    ck_assert_msg(tls_load_or_create(NULL, cpath, kpath, &m, NULL, err,
                                     sizeof err), "%s", err);
    ck_assert_str_eq(m.key_pem, pkcs1);
    tls_free(&m);
    free(pkcs1);
}
END_TEST

/* --------------------------------------------------------- failures */

START_TEST(test_fail_missing_files)
{
    char t[1024], cpath[1200], kpath[1200], nope[1200];
    test_dir(t, sizeof t);
    write_pair(t, pair_a.cert_pem, pair_a.key_pem, cpath, kpath,
               sizeof cpath);
    join(nope, sizeof nope, t, "nope.pem");
    expect_user_failure(nope, kpath, nope);
    expect_user_failure(cpath, nope, nope);
}
END_TEST

START_TEST(test_fail_not_regular_file)
{
    char t[1024], cpath[1200], kpath[1200];
    test_dir(t, sizeof t);
    write_pair(t, pair_a.cert_pem, pair_a.key_pem, cpath, kpath,
               sizeof cpath);
    expect_user_failure(t, kpath, "not a regular file");
    expect_user_failure(cpath, t, "not a regular file");
}
END_TEST

START_TEST(test_fail_unreadable)
{
    if (geteuid() == 0)
        return; /* root reads mode 0000 files; nothing to test */
    char t[1024], cpath[1200], kpath[1200];
    test_dir(t, sizeof t);
    write_pair(t, pair_a.cert_pem, pair_a.key_pem, cpath, kpath,
               sizeof cpath);
    ck_assert_int_eq(chmod(kpath, 0), 0);
    expect_user_failure(cpath, kpath, "cannot open key file");
}
END_TEST

START_TEST(test_fail_empty_binary_large)
{
    char t[1024], cpath[1200], kpath[1200], bad[1200];
    test_dir(t, sizeof t);
    write_pair(t, pair_a.cert_pem, pair_a.key_pem, cpath, kpath,
               sizeof cpath);
    join(bad, sizeof bad, t, "bad.pem");
    write_text(bad, "");
    expect_user_failure(bad, kpath, "empty");
    write_bytes(bad, "-----BEGIN\0CERT", 15, 0600);
    expect_user_failure(bad, kpath, "not PEM");
    write_text(bad, "x");
    ck_assert_int_eq(truncate(bad, 2L * 1024 * 1024), 0);
    expect_user_failure(cpath, bad, "too large");
}
END_TEST

START_TEST(test_fail_garbage)
{
    char t[1024], cpath[1200], kpath[1200], bad[1200];
    test_dir(t, sizeof t);
    write_pair(t, pair_a.cert_pem, pair_a.key_pem, cpath, kpath,
               sizeof cpath);
    join(bad, sizeof bad, t, "bad.pem");
    write_text(bad, "this is not a certificate\n");
    expect_user_failure(bad, kpath, "not a PEM certificate");
    expect_user_failure(cpath, bad, "key: no PEM block found");
    write_text(bad, "-----BEGIN PRIVATE KEY-----\nAAAA\n"
                    "-----END PRIVATE KEY-----\n");
    expect_user_failure(cpath, bad, "key: malformed key");
    /* a PEM block with a broken body */
    write_text(bad, "-----BEGIN CERTIFICATE-----\nAAAA\n"
                    "-----END CERTIFICATE-----\n");
    expect_user_failure(bad, kpath, "not a PEM certificate");
    /* cert and key swapped */
    expect_user_failure(kpath, cpath, "not a PEM certificate");
    expect_user_failure(cpath, cpath, "no PRIVATE KEY block found");
}
END_TEST

START_TEST(test_fail_encrypted_key)
{
    /* must fail without asking for a passphrase on the terminal */
    EVP_PKEY *k = parse_key(pair_a.key_pem);
    BIO *b = BIO_new(BIO_s_mem());
    static const char pass[] = "secret";
    ck_assert_int_eq(PEM_write_bio_PKCS8PrivateKey(b, k, EVP_aes_128_cbc(),
                                                   pass, 6, NULL, NULL), 1);
    char *data = NULL;
    long n = BIO_get_mem_data(b, &data);
    char *enc = strndup(data, (size_t)n);
    BIO_free(b);
    EVP_PKEY_free(k);
    ck_assert_ptr_nonnull(strstr(enc, "ENCRYPTED PRIVATE KEY"));
    char t[1024], cpath[1200], kpath[1200];
    test_dir(t, sizeof t);
    write_pair(t, pair_a.cert_pem, enc, cpath, kpath, sizeof cpath);
    expect_user_failure(cpath, kpath, "passphrase-protected");
    free(enc);
}
END_TEST

START_TEST(test_fail_mismatched_user_pair)
{
    char t[1024], cpath[1200], kpath[1200];
    test_dir(t, sizeof t);
    write_pair(t, pair_a.cert_pem, pair_b.key_pem, cpath, kpath,
               sizeof cpath);
    expect_user_failure(cpath, kpath, "does not match");
}
END_TEST

START_TEST(test_fail_mismatched_dir_pair_kept)
{
    char dir[1024], cpath[1200], kpath[1200];
    test_dir(dir, sizeof dir);
    join(cpath, sizeof cpath, dir, "cert.pem");
    join(kpath, sizeof kpath, dir, "key.pem");
    write_text(cpath, pair_a.cert_pem);
    write_text(kpath, pair_b.key_pem);
    tls_material m = { 0 };
    char err[ERRLEN] = "";
    bool created = true;
    bool ok = tls_load_or_create(dir, NULL, NULL, &m, &created, err,
                                 sizeof err);
    assert_failed(ok, err, "does not match", &m);
    ck_assert_ptr_nonnull(strstr(err, "delete both files"));
    ck_assert(!created);
    /* the user's files are not replaced */
    char *c = test_slurp(cpath), *k = test_slurp(kpath);
    ck_assert_str_eq(c, pair_a.cert_pem);
    ck_assert_str_eq(k, pair_b.key_pem);
    free(c);
    free(k);
    /* garbage in the data dir is reported, not overwritten, either */
    write_text(cpath, "garbage");
    ok = tls_load_or_create(dir, NULL, NULL, &m, &created, err, sizeof err);
    assert_failed(ok, err, "not a PEM certificate", &m);
    c = test_slurp(cpath);
    ck_assert_str_eq(c, "garbage");
    free(c);
}
END_TEST

START_TEST(test_fail_only_one_file)
{
    char t[1024], cpath[1200], kpath[1200];
    test_dir(t, sizeof t);
    write_pair(t, pair_a.cert_pem, pair_a.key_pem, cpath, kpath,
               sizeof cpath);
    tls_material m = { 0 };
    char err[ERRLEN] = "";
    bool ok = tls_load_or_create(t, cpath, NULL, &m, NULL, err, sizeof err);
    assert_failed(ok, err, "only the certificate", &m);
    ok = tls_load_or_create(t, "", kpath, &m, NULL, err, sizeof err);
    assert_failed(ok, err, "only the key", &m);
    ck_assert_int_eq(test_count_entries(t), 2); /* nothing created */
}
END_TEST

START_TEST(test_fail_no_data_dir)
{
    tls_material m = { 0 };
    char err[ERRLEN] = "";
    bool ok = tls_load_or_create(NULL, NULL, NULL, &m, NULL, err, sizeof err);
    assert_failed(ok, err, "no data dir", &m);
    ok = tls_load_or_create("", NULL, NULL, &m, NULL, err, sizeof err);
    assert_failed(ok, err, "no data dir", &m);
}
END_TEST

START_TEST(test_fail_data_dir_cannot_be_created)
{
    char t[1024], file[1200], dir[1300];
    test_dir(t, sizeof t);
    join(file, sizeof file, t, "file");
    write_text(file, "x");
    tls_material m = { 0 };
    char err[ERRLEN] = "";
    /* a regular file in the way of the dir itself, and of a parent */
    bool ok = tls_load_or_create(file, NULL, NULL, &m, NULL, err, sizeof err);
    assert_failed(ok, err, "cannot create data dir", &m);
    ck_assert_ptr_nonnull(strstr(err, "Not a directory"));
    join(dir, sizeof dir, file, "sub/data");
    ok = tls_load_or_create(dir, NULL, NULL, &m, NULL, err, sizeof err);
    assert_failed(ok, err, "cannot create data dir", &m);
}
END_TEST

START_TEST(test_fail_data_dir_not_writable)
{
    char err[ERRLEN] = "";
    tls_material m = { 0 };
    if (geteuid() != 0) {
        char t[1024];
        test_dir(t, sizeof t);
        ck_assert_int_eq(chmod(t, 0500), 0);
        bool ok = tls_load_or_create(t, NULL, NULL, &m, NULL, err,
                                     sizeof err);
        assert_failed(ok, err, "cannot create", &m);
        ck_assert_int_eq(chmod(t, 0700), 0);
        ck_assert_int_eq(test_count_entries(t), 0);
    }
    /* even root cannot create files in /proc/self */
    if (access("/proc/self/status", F_OK) == 0) {
        bool ok = tls_load_or_create("/proc/self", NULL, NULL, &m, NULL, err,
                                     sizeof err);
        assert_failed(ok, err, "cannot create /proc/self/key.pem.tmp-", &m);
    }
}
END_TEST

START_TEST(test_fail_rename_cleans_up)
{
    /* cert.pem is a non-empty directory: the key is written, the cert's
     * rename fails, and its temp file is removed again */
    char dir[1024], cdir[1200], inner[1300];
    test_dir(dir, sizeof dir);
    join(cdir, sizeof cdir, dir, "cert.pem");
    ck_assert_int_eq(mkdir(cdir, 0700), 0);
    join(inner, sizeof inner, cdir, "x");
    write_text(inner, "x");
    tls_material m = { 0 };
    char err[ERRLEN] = "";
    bool created = true;
    bool ok = tls_load_or_create(dir, NULL, NULL, &m, &created, err,
                                 sizeof err);
    assert_failed(ok, err, "cannot rename into place", &m);
    ck_assert(!created);
    ck_assert_int_eq(test_count_entries(dir), 2); /* cert.pem dir and key.pem */
    /* with both present, the directory is reported as not a file */
    ok = tls_load_or_create(dir, NULL, NULL, &m, &created, err, sizeof err);
    assert_failed(ok, err, "not a regular file", &m);
}
END_TEST

/* ------------------------------------------------------------- main */

static Suite *tls_suite(void)
{
    Suite *s = suite_create("tls");

    TCase *tc = tcase_create("create");
    tcase_set_timeout(tc, 120); /* RSA key generation is slow under ASan */
    tcase_add_test(tc, test_create_parses_and_matches);
    tcase_add_test(tc, test_create_names);
    tcase_add_test(tc, test_create_san);
    tcase_add_test(tc, test_create_validity);
    tcase_add_test(tc, test_create_extensions);
    tcase_add_test(tc, test_create_serials_differ);
    tcase_add_test(tc, test_create_null_out);
    tcase_add_test(tc, test_free_is_safe);
    suite_add_tcase(s, tc);

    tc = tcase_create("data_dir");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_dir_creates_pair);
    tcase_add_test(tc, test_dir_reuses_pair);
    tcase_add_test(tc, test_dir_nested_and_null_created);
    tcase_add_test(tc, test_dir_missing_cert_regenerates);
    tcase_add_test(tc, test_dir_missing_key_regenerates);
    suite_add_tcase(s, tc);

    tc = tcase_create("user_files");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_user_files_used);
    tcase_add_test(tc, test_user_traditional_rsa_key);
    suite_add_tcase(s, tc);

    tc = tcase_create("failures");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_fail_missing_files);
    tcase_add_test(tc, test_fail_not_regular_file);
    tcase_add_test(tc, test_fail_unreadable);
    tcase_add_test(tc, test_fail_empty_binary_large);
    tcase_add_test(tc, test_fail_garbage);
    tcase_add_test(tc, test_fail_encrypted_key);
    tcase_add_test(tc, test_fail_mismatched_user_pair);
    tcase_add_test(tc, test_fail_mismatched_dir_pair_kept);
    tcase_add_test(tc, test_fail_only_one_file);
    tcase_add_test(tc, test_fail_no_data_dir);
    tcase_add_test(tc, test_fail_data_dir_cannot_be_created);
    tcase_add_test(tc, test_fail_data_dir_not_writable);
    tcase_add_test(tc, test_fail_rename_cleans_up);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    char err[ERRLEN] = "";
    if (!tls_create_self_signed(&pair_a, err, sizeof err) ||
        !tls_create_self_signed(&pair_b, err, sizeof err)) {
        fprintf(stderr, "test_tls: cannot create test pairs: %s\n", err);
        return EXIT_FAILURE;
    }
    if (!mkdtemp(root_dir)) {
        perror("test_tls: mkdtemp");
        tls_free(&pair_a);
        tls_free(&pair_b);
        return EXIT_FAILURE;
    }
    int status = test_run_suite(tls_suite(), CK_FORK);
    test_rm_rf(root_dir);
    tls_free(&pair_a);
    tls_free(&pair_b);
    return status;
}
