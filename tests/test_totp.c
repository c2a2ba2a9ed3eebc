/* test_totp.c — unit tests of totp.c: RFC 4648 base32 vectors, the RFC 6238
 * Appendix B TOTP vectors, the RFC 4226 Appendix D HOTP values, the
 * verification window and the rejection of malformed codes and secrets.
 * Needs only Check and totp.c (it runs its own SRunner).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/totp.h"

/* ---- base32 ---------------------------------------------------------------- */

/* RFC 4648 section 10, without the '=' padding. */
static const struct {
    const char *data, *text;
} B32[] = {
    {"", ""},           {"f", "MY"},           {"fo", "MZXQ"},         {"foo", "MZXW6"},
    {"foob", "MZXW6YQ"}, {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"},
};

START_TEST(test_base32_vectors)
{
    const char *data = B32[_i].data, *text = B32[_i].text;
    size_t len = strlen(data);
    char enc[32];
    ck_assert_uint_eq(base32_encode((const unsigned char *)data, len, enc, sizeof enc),
                      strlen(text));
    ck_assert_str_eq(enc, text);
    ck_assert_uint_eq(BASE32_ENCODED_LEN(len), strlen(text));
    unsigned char dec[32];
    ck_assert_int_eq(base32_decode(text, dec, sizeof dec), (long)len);
    ck_assert(memcmp(dec, data, len) == 0);
}
END_TEST

START_TEST(test_base32_exact_buffer)
{
    /* "foobar" needs 10 chars + NUL */
    const unsigned char *d = (const unsigned char *)"foobar";
    char enc[11];
    ck_assert_uint_eq(base32_encode(d, 6, enc, 11), 10);
    ck_assert_str_eq(enc, "MZXW6YTBOI");
    ck_assert_uint_eq(base32_encode(d, 6, enc, 10), 0);
    ck_assert_str_eq(enc, "");
    ck_assert_uint_eq(base32_encode(d, 6, enc, 0), 0);
    ck_assert_uint_eq(base32_encode(d, 6, NULL, 11), 0);
    ck_assert_uint_eq(base32_encode(NULL, 6, enc, 11), 0);

    unsigned char dec[6];
    ck_assert_int_eq(base32_decode("MZXW6YTBOI", dec, 6), 6);
    ck_assert_int_eq(base32_decode("MZXW6YTBOI", dec, 5), -1);
    ck_assert_int_eq(base32_decode("", NULL, 0), 0);
    ck_assert_int_eq(base32_decode(NULL, dec, sizeof dec), -1);
}
END_TEST

START_TEST(test_base32_decode_lenient)
{
    unsigned char dec[16];
    ck_assert_int_eq(base32_decode("mzxw6ytboi", dec, sizeof dec), 6);
    ck_assert(memcmp(dec, "foobar", 6) == 0);
    ck_assert_int_eq(base32_decode("MzXw6yTbOi", dec, sizeof dec), 6);
    ck_assert(memcmp(dec, "foobar", 6) == 0);
    ck_assert_int_eq(base32_decode("MZXW6YQ=", dec, sizeof dec), 4);
    ck_assert(memcmp(dec, "foob", 4) == 0);
    ck_assert_int_eq(base32_decode("MZXW6===", dec, sizeof dec), 3);
    ck_assert(memcmp(dec, "foo", 3) == 0);
    ck_assert_int_eq(base32_decode("MY======", dec, sizeof dec), 1);
    ck_assert(memcmp(dec, "f", 1) == 0);
    ck_assert_int_eq(base32_decode("mzxw 6ytb oi", dec, sizeof dec), 6);
    ck_assert(memcmp(dec, "foobar", 6) == 0);
    ck_assert_int_eq(base32_decode(" MZXW\t6YQ= \n", dec, sizeof dec), 4);
    ck_assert(memcmp(dec, "foob", 4) == 0);
}
END_TEST

static const char *const B32_INVALID[] = {
    "MZXW1",  "MZXW0", "MZXW8", "MZXW9", "MZ-XW", "MZXW6!", "MZ=XW", "MY=Y",
    "\xC3\x89", "MZXW6YTB\x01",
};

START_TEST(test_base32_invalid)
{
    unsigned char dec[16];
    ck_assert_int_eq(base32_decode(B32_INVALID[_i], dec, sizeof dec), -1);
}
END_TEST

START_TEST(test_base32_round_trip_bytes)
{
    unsigned char data[64], dec[64];
    char enc[128];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 37 + 11);
    for (size_t len = 0; len <= sizeof data; len++) {
        size_t n = base32_encode(data, len, enc, sizeof enc);
        ck_assert_uint_eq(n, BASE32_ENCODED_LEN(len));
        ck_assert_uint_eq(strlen(enc), n);
        ck_assert_int_eq(base32_decode(enc, dec, sizeof dec), (long)len);
        ck_assert(memcmp(dec, data, len) == 0);
    }
}
END_TEST

/* ---- TOTP ------------------------------------------------------------------ */

static const char SEED20[] = "12345678901234567890";
static const char SEED32[] = "12345678901234567890123456789012";
static const char SEED64[] = "1234567890123456789012345678901234567890123456789012345678901234";

/* RFC 6238 Appendix B */
static const struct {
    uint64_t t;
    const char *sha1, *sha256, *sha512;
} RFC6238[] = {
    {59ULL, "94287082", "46119246", "90693936"},
    {1111111109ULL, "07081804", "68084774", "25091201"},
    {1111111111ULL, "14050471", "67062674", "99943326"},
    {1234567890ULL, "89005924", "91819424", "93441116"},
    {2000000000ULL, "69279037", "90698825", "38618901"},
    {20000000000ULL, "65353130", "77737706", "47863826"},
};

START_TEST(test_rfc6238_vectors)
{
    char out[9];
    uint64_t t = RFC6238[_i].t;
    ck_assert(totp_code((const unsigned char *)SEED20, 20, TOTP_SHA1, t, 30, 8, out));
    ck_assert_str_eq(out, RFC6238[_i].sha1);
    ck_assert(totp_code((const unsigned char *)SEED32, 32, TOTP_SHA256, t, 30, 8, out));
    ck_assert_str_eq(out, RFC6238[_i].sha256);
    ck_assert(totp_code((const unsigned char *)SEED64, 64, TOTP_SHA512, t, 30, 8, out));
    ck_assert_str_eq(out, RFC6238[_i].sha512);
}
END_TEST

/* RFC 4226 Appendix D: HOTP of counters 0..9 with the 20-byte seed. */
static const char *const RFC4226[] = {
    "755224", "287082", "359152", "969429", "338314",
    "254676", "287922", "162583", "399871", "520489",
};

START_TEST(test_rfc4226_hotp)
{
    char out[9];
    uint64_t counter = (uint64_t)_i;
    ck_assert(totp_code((const unsigned char *)SEED20, 20, TOTP_SHA1, counter * 30, 30, 6, out));
    ck_assert_str_eq(out, RFC4226[_i]);
    /* any time inside the step gives the same code */
    ck_assert(totp_code((const unsigned char *)SEED20, 20, TOTP_SHA1, counter * 30 + 29, 30, 6,
                        out));
    ck_assert_str_eq(out, RFC4226[_i]);
}
END_TEST

START_TEST(test_totp_seven_digits_and_step)
{
    char out[9];
    /* 7 digits: the last 7 of the 8-digit value (same truncated integer) */
    ck_assert(totp_code((const unsigned char *)SEED20, 20, TOTP_SHA1, 59, 30, 7, out));
    ck_assert_str_eq(out, "4287082");
    /* step 60: counter 1 is t in [60, 120) */
    ck_assert(totp_code((const unsigned char *)SEED20, 20, TOTP_SHA1, 119, 60, 6, out));
    ck_assert_str_eq(out, RFC4226[1]);
}
END_TEST

START_TEST(test_totp_bad_arguments)
{
    const unsigned char *k = (const unsigned char *)SEED20;
    char out[9];
    ck_assert(!totp_code(k, 20, TOTP_SHA1, 59, 30, 5, out));
    ck_assert_str_eq(out, "");
    ck_assert(!totp_code(k, 20, TOTP_SHA1, 59, 30, 9, out));
    ck_assert(!totp_code(k, 20, TOTP_SHA1, 59, 30, 0, out));
    ck_assert(!totp_code(k, 20, TOTP_SHA1, 59, 0, 6, out));
    ck_assert(!totp_code(NULL, 20, TOTP_SHA1, 59, 30, 6, out));
    ck_assert(!totp_code(k, 0, TOTP_SHA1, 59, 30, 6, out));
    ck_assert(!totp_code(k, 20, (totp_hash)7, 59, 30, 6, out));
    ck_assert(!totp_code(k, 20, TOTP_SHA1, 59, 30, 6, NULL));
}
END_TEST

/* ---- verify and secrets ---------------------------------------------------- */

/* base32 of SEED20 */
static const char SECRET20[] = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

START_TEST(test_secret20_encoding)
{
    char enc[33];
    ck_assert_uint_eq(base32_encode((const unsigned char *)SEED20, 20, enc, sizeof enc), 32);
    ck_assert_str_eq(enc, SECRET20);
}
END_TEST

START_TEST(test_verify_window)
{
    const time_t now = 5 * 30 + 10; /* step 5 */
    ck_assert(totp_verify(SECRET20, RFC4226[5], now, 1));
    ck_assert(totp_verify(SECRET20, RFC4226[4], now, 1));
    ck_assert(totp_verify(SECRET20, RFC4226[6], now, 1));
    ck_assert(!totp_verify(SECRET20, RFC4226[3], now, 1));
    ck_assert(!totp_verify(SECRET20, RFC4226[7], now, 1));
    /* drift 0: the current step only */
    ck_assert(totp_verify(SECRET20, RFC4226[5], now, 0));
    ck_assert(!totp_verify(SECRET20, RFC4226[4], now, 0));
    ck_assert(!totp_verify(SECRET20, RFC4226[6], now, 0));
    /* drift 2 reaches two steps away */
    ck_assert(totp_verify(SECRET20, RFC4226[3], now, 2));
    ck_assert(totp_verify(SECRET20, RFC4226[7], now, 2));
    /* the secret may be written in lower case, with spaces and padding */
    ck_assert(totp_verify("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", RFC4226[5], now, 0));
    ck_assert(totp_verify("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ====", RFC4226[5], now, 0));
}
END_TEST

START_TEST(test_verify_at_epoch)
{
    /* the window is cut at step 0 rather than wrapping */
    ck_assert(totp_verify(SECRET20, RFC4226[0], 0, 1));
    ck_assert(totp_verify(SECRET20, RFC4226[1], 0, 1));
    ck_assert(!totp_verify(SECRET20, RFC4226[2], 0, 1));
    ck_assert(totp_verify(SECRET20, RFC4226[0], 10, 5));
    ck_assert(!totp_verify(SECRET20, RFC4226[0], -1, 1));
}
END_TEST

static const char *const BAD_CODES[] = {
    "",        "25467",   "2546760", "25467a", " 254676", "254676 ", "-54676",
    "+54676",  "254 676", "\xEF\xBC\x92\xEF\xBC\x95", "25467\n", "0x1234",
};

START_TEST(test_verify_bad_code)
{
    ck_assert(!totp_verify(SECRET20, BAD_CODES[_i], 5 * 30 + 10, 1));
}
END_TEST

START_TEST(test_verify_bad_secret)
{
    const time_t now = 5 * 30 + 10;
    ck_assert(!totp_verify("GEZDGNBVGY3TQOJ1GEZDGNBVGY3TQOJQ", RFC4226[5], now, 1));
    ck_assert(!totp_verify("GEZDGNBVGY3TQOJQ!", RFC4226[5], now, 1));
    ck_assert(!totp_verify("", RFC4226[5], now, 1));
    ck_assert(!totp_verify("A", RFC4226[5], now, 1)); /* no whole byte */
    ck_assert(!totp_verify("====", RFC4226[5], now, 1));
    ck_assert(!totp_verify(NULL, RFC4226[5], now, 1));
    ck_assert(!totp_verify(SECRET20, NULL, now, 1));
}
END_TEST

START_TEST(test_secret_new)
{
    char a[33], b[33];
    ck_assert(totp_secret_new(a));
    ck_assert(totp_secret_new(b));
    ck_assert_uint_eq(strlen(a), 32);
    ck_assert_uint_eq(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 32);
    ck_assert_str_ne(a, b);
    unsigned char key[32];
    ck_assert_int_eq(base32_decode(a, key, sizeof key), 20);
    /* a new secret works with the code it produces */
    char code[9];
    ck_assert(totp_code(key, 20, TOTP_SHA1, 1000000, 30, 6, code));
    ck_assert(totp_verify(a, code, 1000000, 0));
}
END_TEST

static Suite *totp_suite(void)
{
    Suite *s = suite_create("totp");
    TCase *tb = tcase_create("base32");
    tcase_add_loop_test(tb, test_base32_vectors, 0, (int)(sizeof B32 / sizeof B32[0]));
    tcase_add_test(tb, test_base32_exact_buffer);
    tcase_add_test(tb, test_base32_decode_lenient);
    tcase_add_loop_test(tb, test_base32_invalid, 0,
                        (int)(sizeof B32_INVALID / sizeof B32_INVALID[0]));
    tcase_add_test(tb, test_base32_round_trip_bytes);
    suite_add_tcase(s, tb);
    TCase *tt = tcase_create("totp");
    tcase_add_loop_test(tt, test_rfc6238_vectors, 0, (int)(sizeof RFC6238 / sizeof RFC6238[0]));
    tcase_add_loop_test(tt, test_rfc4226_hotp, 0, (int)(sizeof RFC4226 / sizeof RFC4226[0]));
    tcase_add_test(tt, test_totp_seven_digits_and_step);
    tcase_add_test(tt, test_totp_bad_arguments);
    suite_add_tcase(s, tt);
    TCase *tv = tcase_create("verify");
    tcase_add_test(tv, test_secret20_encoding);
    tcase_add_test(tv, test_verify_window);
    tcase_add_test(tv, test_verify_at_epoch);
    tcase_add_loop_test(tv, test_verify_bad_code, 0, (int)(sizeof BAD_CODES / sizeof BAD_CODES[0]));
    tcase_add_test(tv, test_verify_bad_secret);
    tcase_add_test(tv, test_secret_new);
    suite_add_tcase(s, tv);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(totp_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
