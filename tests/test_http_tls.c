/* test_http_tls.c — what the HTTPS listener accepts, over real TLS: TLS 1.3
 * and 1.2 only, and on 1.2 only ephemeral ECDHE key exchange with AEAD
 * ciphers (server/http/tls.h's TLS_PRIORITIES). A client limited to TLS 1.0/1.1,
 * to static-RSA key exchange, to CBC or to finite-field DHE is refused during
 * the handshake; TLS 1.2 with AES-GCM or ChaCha20-Poly1305 and TLS 1.3 get
 * an answer, and the version and suite negotiated are the ones asked for.
 *
 * Each attempt is its own libcurl handle (OpenSSL backend), so nothing is
 * reused between attempts, and verifies the server's self-signed
 * certificate: a refusal must be the handshake failing, not verification.
 * The client's own floor is lowered (OpenSSL 3 refuses TLS 1.0/1.1 and
 * SHA-1 at its default security level), and curl's handshake trace must
 * show the Client hello sent and no Server hello back: the server refused
 * (libmicrohttpd closes the connection; a GnuTLS peer that answers with an
 * alert counts too), not the client.
 */
#include <check.h>
#include <curl/curl.h>
#include <openssl/ssl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpclient.h"
#include "testutil.h"

/* Started once in main(), before the tests fork. */
static test_server server;
static char ca_file[512];

/* What one connection attempt came to. */
typedef struct attempt {
    CURLcode rc;
    long status;
    char error[CURL_ERROR_SIZE];
    char version[32]; /* "TLSv1.2", from the SSL* while it is alive */
    char cipher[64];  /* "ECDHE-RSA-AES128-GCM-SHA256" */
    bool client_hello; /* the handshake trace shows one sent */
    bool server_hello; /* ... and one received */
    CURL *curl;
} attempt;

/* Reads curl's handshake trace ("TLSv1.2 (OUT), TLS handshake, Client
 * hello (1):"), which it writes as text lines when verbose. */
static int on_debug(CURL *curl, curl_infotype type, char *data, size_t size, void *userdata)
{
    (void)curl;
    attempt *a = userdata;
    if (type != CURLINFO_TEXT)
        return 0;
    char line[256];
    snprintf(line, sizeof line, "%.*s", (int)(size < sizeof line ? size : sizeof line - 1), data);
    if (strstr(line, "(OUT), TLS handshake, Client hello"))
        a->client_hello = true;
    if (strstr(line, "(IN), TLS handshake, Server hello"))
        a->server_hello = true;
    return 0;
}

/* Records the negotiated version and suite from the first header line,
 * while the connection (and so its SSL*) certainly exists. */
static size_t on_header(char *ptr, size_t size, size_t n, void *userdata)
{
    (void)ptr;
    attempt *a = userdata;
    struct curl_tlssessioninfo *info = NULL;
    if (!a->version[0] &&
        curl_easy_getinfo(a->curl, CURLINFO_TLS_SSL_PTR, &info) == CURLE_OK && info &&
        info->backend == CURLSSLBACKEND_OPENSSL && info->internals) {
        SSL *ssl = info->internals;
        snprintf(a->version, sizeof a->version, "%s", SSL_get_version(ssl));
        const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
        snprintf(a->cipher, sizeof a->cipher, "%s", c ? SSL_CIPHER_get_name(c) : "");
    }
    return size * n;
}

static size_t discard(char *ptr, size_t size, size_t n, void *userdata)
{
    (void)ptr;
    (void)userdata;
    return size * n;
}

/* GET /api/v3/about with the given TLS version range (CURL_SSLVERSION_*)
 * and, if not NULL, TLS 1.2 cipher list / TLS 1.3 suites (OpenSSL
 * syntax). */
static attempt try_tls(long sslversion, const char *ciphers, const char *tls13_suites)
{
    attempt a = {0};
    char url[256], auth[16400];
    snprintf(url, sizeof url, "%s/api/v3/about", server.base);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", http_bearer());
    struct curl_slist *headers = curl_slist_append(NULL, auth);
    a.curl = curl_easy_init();
    ck_assert_ptr_nonnull(a.curl);
    curl_easy_setopt(a.curl, CURLOPT_URL, url);
    curl_easy_setopt(a.curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(a.curl, CURLOPT_CAINFO, ca_file);
    curl_easy_setopt(a.curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(a.curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(a.curl, CURLOPT_SSLVERSION, sslversion);
    if (ciphers)
        curl_easy_setopt(a.curl, CURLOPT_SSL_CIPHER_LIST, ciphers);
    if (tls13_suites)
        curl_easy_setopt(a.curl, CURLOPT_TLS13_CIPHERS, tls13_suites);
    curl_easy_setopt(a.curl, CURLOPT_ERRORBUFFER, a.error);
    curl_easy_setopt(a.curl, CURLOPT_VERBOSE, 1L); /* into on_debug, not stderr */
    curl_easy_setopt(a.curl, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(a.curl, CURLOPT_DEBUGDATA, &a);
    curl_easy_setopt(a.curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(a.curl, CURLOPT_HEADERDATA, &a);
    curl_easy_setopt(a.curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(a.curl, CURLOPT_TIMEOUT, 30L);
    a.rc = curl_easy_perform(a.curl);
    curl_easy_getinfo(a.curl, CURLINFO_RESPONSE_CODE, &a.status);
    curl_easy_cleanup(a.curl);
    a.curl = NULL;
    curl_slist_free_all(headers);
    return a;
}

/* The handshake failed after the client offered it (not because the client
 * had nothing to offer, nor because of the certificate): the server
 * declined the offer. */
static void assert_refused(const attempt *a, const char *what)
{
    ck_assert_msg(a->rc == CURLE_SSL_CONNECT_ERROR, "%s: expected a handshake failure, got %d: %s",
                  what, (int)a->rc, a->error);
    ck_assert_msg(a->client_hello, "%s: the client sent no hello: %s", what, a->error);
    ck_assert_msg(!a->server_hello, "%s: the server accepted the hello: %s", what, a->error);
}

static void assert_answered(const attempt *a, const char *what, const char *version,
                            const char *cipher)
{
    ck_assert_msg(a->rc == CURLE_OK, "%s: %s", what, a->error);
    ck_assert(a->client_hello && a->server_hello); /* the trace is read right */
    ck_assert_int_eq(a->status, 200);
    ck_assert_str_eq(a->version, version);
    if (cipher)
        ck_assert_str_eq(a->cipher, cipher);
}

/* ------------------------------------------------------------- tests */

START_TEST(tls_1_0_and_1_1_refused)
{
    attempt a = try_tls(CURL_SSLVERSION_TLSv1_0 | CURL_SSLVERSION_MAX_TLSv1_1,
                        "DEFAULT@SECLEVEL=0", NULL);
    assert_refused(&a, "TLS 1.0-1.1");
    a = try_tls(CURL_SSLVERSION_TLSv1_1 | CURL_SSLVERSION_MAX_TLSv1_1, "DEFAULT@SECLEVEL=0", NULL);
    assert_refused(&a, "TLS 1.1");
}
END_TEST

START_TEST(tls_1_2_static_rsa_refused)
{
    attempt a = try_tls(CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_2,
                        "AES128-SHA:AES256-SHA:AES128-GCM-SHA256:AES256-GCM-SHA384@SECLEVEL=0",
                        NULL);
    assert_refused(&a, "static RSA");
}
END_TEST

START_TEST(tls_1_2_cbc_refused)
{
    attempt a = try_tls(CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_2,
                        "ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:ECDHE-RSA-AES128-SHA256:"
                        "ECDHE-RSA-AES256-SHA384@SECLEVEL=0",
                        NULL);
    assert_refused(&a, "ECDHE with CBC");
}
END_TEST

START_TEST(tls_1_2_dhe_refused)
{
    attempt a = try_tls(CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_2,
                        "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384", NULL);
    assert_refused(&a, "finite-field DHE");
}
END_TEST

START_TEST(tls_1_2_ecdhe_aead_answered)
{
    long v12 = CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_2;
    attempt a = try_tls(v12, "ECDHE-RSA-AES128-GCM-SHA256", NULL);
    assert_answered(&a, "ECDHE-RSA-AES128-GCM-SHA256", "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256");
    a = try_tls(v12, "ECDHE-RSA-AES256-GCM-SHA384", NULL);
    assert_answered(&a, "ECDHE-RSA-AES256-GCM-SHA384", "TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384");
    a = try_tls(v12, "ECDHE-RSA-CHACHA20-POLY1305", NULL);
    assert_answered(&a, "ECDHE-RSA-CHACHA20-POLY1305", "TLSv1.2", "ECDHE-RSA-CHACHA20-POLY1305");
}
END_TEST

START_TEST(tls_1_3_answered)
{
    long v13 = CURL_SSLVERSION_TLSv1_3 | CURL_SSLVERSION_MAX_DEFAULT;
    attempt a = try_tls(v13, NULL, NULL);
    assert_answered(&a, "TLS 1.3", "TLSv1.3", NULL);
    static const char *const suites[] = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                                         "TLS_CHACHA20_POLY1305_SHA256"};
    for (size_t i = 0; i < sizeof suites / sizeof *suites; i++) {
        a = try_tls(v13, NULL, suites[i]);
        assert_answered(&a, suites[i], "TLSv1.3", suites[i]);
    }
}
END_TEST

START_TEST(default_client_gets_tls_1_3)
{
    /* a client that offers everything it has ends up on the best */
    attempt a = try_tls(CURL_SSLVERSION_DEFAULT, NULL, NULL);
    assert_answered(&a, "default", "TLSv1.3", NULL);
}
END_TEST

/* ------------------------------------------------------------- main */

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    if (!v->ssl_version || strncmp(v->ssl_version, "OpenSSL", 7) != 0) {
        /* the cipher names and SSL* below are OpenSSL's */
        fprintf(stderr, "test_http_tls: libcurl is not built on OpenSSL (%s); skipped\n",
                v->ssl_version ? v->ssl_version : "no TLS");
        return 77;
    }
    const char *args[] = {"--tls", "on", NULL};
    server_start(&server, args);
    snprintf(ca_file, sizeof ca_file, "%s/cert.pem", server.data_dir);

    Suite *s = suite_create("http_tls");
    TCase *tc = tcase_create("tls");
    tcase_add_test(tc, tls_1_0_and_1_1_refused);
    tcase_add_test(tc, tls_1_2_static_rsa_refused);
    tcase_add_test(tc, tls_1_2_cbc_refused);
    tcase_add_test(tc, tls_1_2_dhe_refused);
    tcase_add_test(tc, tls_1_2_ecdhe_aead_answered);
    tcase_add_test(tc, tls_1_3_answered);
    tcase_add_test(tc, default_client_gets_tls_1_3);
    suite_add_tcase(s, tc);
    int status = test_run_suite(s, CK_FORK);
    server_stop(&server);
    curl_global_cleanup();
    return status;
}
