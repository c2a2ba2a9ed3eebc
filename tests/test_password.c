/* test_password.c — unit tests of password.c: published PBKDF2-HMAC-SHA256
 * vectors through hand-built stored texts, hash/verify round trips, salting,
 * and the rejection of malformed stored texts and NULL arguments.
 * Needs only Check, OpenSSL and password.c (it runs its own SRunner).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "crypto/password.h"

/* Builds "pbkdf2-sha256$<iter>$<b64 salt>$<b64 of hex hash>" into out. */
static void stored_text(unsigned iter, const char *salt, const char *hex, char *out, size_t len)
{
    unsigned char hash[64];
    size_t n = strlen(hex) / 2;
    ck_assert_uint_le(n, sizeof hash);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
        hash[i] = (unsigned char)v;
    }
    char salt64[64], hash64[96];
    ck_assert_int_gt(EVP_EncodeBlock((unsigned char *)salt64, (const unsigned char *)salt,
                                     (int)strlen(salt)),
                     0);
    ck_assert_int_gt(EVP_EncodeBlock((unsigned char *)hash64, hash, (int)n), 0);
    int w = snprintf(out, len, "pbkdf2-sha256$%u$%s$%s", iter, salt64, hash64);
    ck_assert(w > 0 && (size_t)w < len);
}

/* PBKDF2-HMAC-SHA256, P = "password", S = "salt", dkLen 32: the widely
 * published SHA-256 counterparts of the RFC 6070 vectors. */
static const struct {
    unsigned iter;
    const char *hex, *b64;
} VECTORS[] = {
    {1, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b",
     "Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs="},
    {4096, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a",
     "xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o="},
};

START_TEST(test_known_vector)
{
    char text[256], literal[256];
    stored_text(VECTORS[_i].iter, "salt", VECTORS[_i].hex, text, sizeof text);
    snprintf(literal, sizeof literal, "pbkdf2-sha256$%u$c2FsdA==$%s", VECTORS[_i].iter,
             VECTORS[_i].b64);
    ck_assert_str_eq(text, literal);
    ck_assert(password_verify("password", text));
    ck_assert(!password_verify("Password", text));
    ck_assert(!password_verify("password ", text));
    ck_assert(!password_verify("", text));
    /* the same hash with another iteration count or salt does not match */
    char other[256];
    stored_text(VECTORS[_i].iter + 1, "salt", VECTORS[_i].hex, other, sizeof other);
    ck_assert(!password_verify("password", other));
    stored_text(VECTORS[_i].iter, "salT", VECTORS[_i].hex, other, sizeof other);
    ck_assert(!password_verify("password", other));
}
END_TEST

START_TEST(test_hash_then_verify)
{
    char *h = password_hash("correct horse battery staple");
    ck_assert_ptr_nonnull(h);
    ck_assert(strncmp(h, "pbkdf2-sha256$20000$", 20) == 0);
    /* prefix, iterations, 24-char salt, 44-char hash */
    ck_assert_uint_eq(strlen(h), strlen("pbkdf2-sha256$20000$") + 24 + 1 + 44);
    ck_assert(h[20 + 24] == '$');
    ck_assert(password_verify("correct horse battery staple", h));
    ck_assert(!password_verify("correct horse battery stapl", h));
    ck_assert(!password_verify("Correct horse battery staple", h));
    ck_assert(!password_verify("", h));
    free(h);
}
END_TEST

START_TEST(test_hash_iter)
{
    static const char LONG_PW[] = "0123456789012345678901234567890123456789"
                                  "0123456789012345678901234567890123456789";
    static const char *const pws[] = {"", "a", "p\xC3\xA4ssw\xC3\xB6rd", "with $ dollar", LONG_PW};
    for (size_t i = 0; i < sizeof pws / sizeof pws[0]; i++) {
        char *h = password_hash_iter(pws[i], 3);
        ck_assert_ptr_nonnull(h);
        ck_assert(strncmp(h, "pbkdf2-sha256$3$", 16) == 0);
        ck_assert_msg(password_verify(pws[i], h), "%s", pws[i]);
        ck_assert(!password_verify("x", h));
        free(h);
    }
    char *h = password_hash_iter("pw", 1);
    ck_assert_ptr_nonnull(h);
    ck_assert(password_verify("pw", h));
    free(h);
    ck_assert_ptr_null(password_hash_iter("pw", 0));
    ck_assert_ptr_null(password_hash_iter("pw", PASSWORD_MAX_ITERATIONS + 1));
}
END_TEST

START_TEST(test_salted)
{
    char *a = password_hash_iter("same", 10), *b = password_hash_iter("same", 10);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_str_ne(a, b);
    /* the salts differ, not only the hashes */
    ck_assert(strncmp(a, b, 16 + 24) != 0);
    ck_assert(password_verify("same", a));
    ck_assert(password_verify("same", b));
    free(a);
    free(b);
}
END_TEST

/* Each malformed, checked with the password that would match the
 * well-formed text (of VECTORS[0]). */
static const char *const MALFORMED[] = {
    "",
    "pbkdf2-sha256",
    "pbkdf2-sha256$",
    "pbkdf2-sha1$1$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    "PBKDF2-SHA256$1$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    " pbkdf2-sha256$1$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    "pbkdf2-sha256$1$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    "pbkdf2-sha256$1$c2FsdA==",
    "pbkdf2-sha256$1$c2FsdA==$",
    "pbkdf2-sha256$$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    "pbkdf2-sha256$1$$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    /* iterations: 0, huge, signed, leading zero, not decimal */
    "pbkdf2-sha256$0$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    "pbkdf2-sha256$10000001$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    "pbkdf2-sha256$4294967297$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    "pbkdf2-sha256$18446744073709551617$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    "pbkdf2-sha256$-1$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    "pbkdf2-sha256$+1$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    "pbkdf2-sha256$01$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    "pbkdf2-sha256$ 1$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    "pbkdf2-sha256$0x1$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    /* bad base64: no padding, bad chars, white space, non-zero trailing bits */
    "pbkdf2-sha256$1$c2FsdA$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    "pbkdf2-sha256$1$c2Fsd*==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    "pbkdf2-sha256$1$c2FsdB==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    "pbkdf2-sha256$1$c2F=dA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    "pbkdf2-sha256$1$ c2FsdA=$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=",
    "pbkdf2-sha256$1$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs",
    "pbkdf2-sha256$1$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=\n",
    "pbkdf2-sha256$1$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs= ",
    "pbkdf2-sha256$1$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xt=",
    "pbkdf2-sha256$1$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLc$4Xs=",
    "pbkdf2-sha256$1$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=$",
    "pbkdf2-sha256$1$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=$extra",
    /* wrong hash length: 31 and 33 bytes */
    "pbkdf2-sha256$1$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Q==",
    "pbkdf2-sha256$1$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4XsA",
};

START_TEST(test_malformed)
{
    /* the well-formed text these are variants of does verify */
    ck_assert(password_verify(
        "password", "pbkdf2-sha256$1$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs="));
    ck_assert_msg(!password_verify("password", MALFORMED[_i]), "accepted \"%s\"", MALFORMED[_i]);
}
END_TEST

START_TEST(test_oversized_fields)
{
    /* a salt longer than 64 bytes and a very long text are rejected */
    char text[4096];
    strcpy(text, "pbkdf2-sha256$1$");
    size_t o = strlen(text);
    for (int i = 0; i < 100; i++)
        text[o++] = 'A'; /* 100 chars: 75 zero bytes */
    text[o] = '\0';
    strcat(text, "$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=");
    ck_assert(!password_verify("password", text));
    memset(text, 'A', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    memcpy(text, "pbkdf2-sha256$1$", 16);
    ck_assert(!password_verify("password", text));
}
END_TEST

START_TEST(test_null_arguments)
{
    char *h = password_hash_iter("pw", 2);
    ck_assert_ptr_nonnull(h);
    ck_assert(!password_verify(NULL, h));
    ck_assert(!password_verify("pw", NULL));
    ck_assert(!password_verify(NULL, NULL));
    ck_assert_ptr_null(password_hash(NULL));
    ck_assert_ptr_null(password_hash_iter(NULL, 2));
    free(h);
}
END_TEST

static Suite *password_suite(void)
{
    Suite *s = suite_create("password");
    TCase *tc = tcase_create("password");
    tcase_add_loop_test(tc, test_known_vector, 0, (int)(sizeof VECTORS / sizeof VECTORS[0]));
    tcase_add_test(tc, test_hash_then_verify);
    tcase_add_test(tc, test_hash_iter);
    tcase_add_test(tc, test_salted);
    tcase_add_loop_test(tc, test_malformed, 0, (int)(sizeof MALFORMED / sizeof MALFORMED[0]));
    tcase_add_test(tc, test_oversized_fields);
    tcase_add_test(tc, test_null_arguments);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(password_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
