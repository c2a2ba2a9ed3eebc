/* tls.c — the server's TLS certificate and key (see tls.h).
 *
 * Creates a self-signed RSA 2048 / SHA-256 certificate for localhost with
 * OpenSSL 3, loads a user-supplied pair, or keeps a generated pair in the data
 * dir (cert.pem 0644, key.pem 0600). The files are read and written with
 * files.h: written to a temp file, synced and renamed into place, so a crash
 * never leaves half a file. Every pair handed out has been parsed as PEM and
 * its key checked against the certificate.
 */
#include "http/tls.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "base/files.h"
#include "crypto/x509.h"

#define TLS_RSA_BITS 2048
#define TLS_VALID_DAYS 3650            /* 10 years */
#define TLS_MAX_FILE ((size_t)1024 * 1024) /* refuse larger "PEM" files */
#define TLS_CERT_NAME "cert.pem"
#define TLS_KEY_NAME "key.pem"

/* ---------------------------------------------------------------- errors */

/* Writes a formatted one-line message into err (if there is room). */
__attribute__((format(printf, 3, 4)))
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Like set_err for a failed OpenSSL call: appends OpenSSL's reason for the
 * most recent error (if any) and empties this thread's error queue. */
static void set_ssl_err(char *err, size_t errlen, const char *what)
{
    unsigned long e = ERR_peek_last_error();
    const char *reason = e ? ERR_reason_error_string(e) : NULL;
    if (reason)
        set_err(err, errlen, "%s: %s", what, reason);
    else
        set_err(err, errlen, "%s", what);
    ERR_clear_error();
}

/* ------------------------------------------------------------- memory */


void tls_free(tls_material *m)
{
    if (!m)
        return;
    free(m->cert_pem);
    x509_free_secret(m->key_pem);
    m->cert_pem = NULL;
    m->key_pem = NULL;
}


/* ------------------------------------------------------ certificate */


/* Sets notBefore to now and notAfter to now + TLS_VALID_DAYS. */
static bool set_validity(X509 *x)
{
    time_t now = time(NULL);
    return X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &now) &&
           X509_time_adj_ex(X509_getm_notAfter(x), TLS_VALID_DAYS, 0, &now);
}

/* Sets subject and issuer to O=vspc-emulator, CN=localhost. */
static bool set_names(X509 *x)
{
    X509_NAME *n = X509_NAME_new();
    bool ok = n &&
        X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC,
            (const unsigned char *)"vspc-emulator", -1, -1, 0) == 1 &&
        X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
            (const unsigned char *)"localhost", -1, -1, 0) == 1 &&
        X509_set_subject_name(x, n) == 1 &&
        X509_set_issuer_name(x, n) == 1;
    X509_NAME_free(n);
    return ok;
}

/* Adds the v3 extensions of a localhost server certificate. */
static bool add_extensions(X509 *x)
{
    static const x509_ext exts[] = {
        { NID_basic_constraints, "critical,CA:FALSE" },
        { NID_key_usage, "critical,digitalSignature,keyEncipherment" },
        { NID_ext_key_usage, "serverAuth" },
        { NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1" },
    };
    return x509_add_extensions(x, exts, sizeof exts / sizeof exts[0]);
}

/* Builds and signs a self-signed certificate for pkey; NULL on error. */
static X509 *build_cert(EVP_PKEY *pkey, char *err, size_t errlen)
{
    X509 *x = X509_new();
    const char *step = "cannot allocate certificate";
    if (!x)
        goto fail;
    step = "cannot set certificate version";
    if (X509_set_version(x, X509_VERSION_3) != 1)
        goto fail;
    step = "cannot set certificate serial number";
    if (!x509_random_serial(x))
        goto fail;
    step = "cannot set certificate validity";
    if (!set_validity(x))
        goto fail;
    step = "cannot set certificate names";
    if (!set_names(x))
        goto fail;
    step = "cannot set certificate public key";
    if (X509_set_pubkey(x, pkey) != 1)
        goto fail;
    step = "cannot add certificate extensions";
    if (!add_extensions(x))
        goto fail;
    step = "cannot sign certificate";
    if (X509_sign(x, pkey, EVP_sha256()) <= 0)
        goto fail;
    return x;
fail:
    set_ssl_err(err, errlen, step);
    X509_free(x);
    return NULL;
}

/* Encodes x and pkey as PEM strings into out (key as unencrypted PKCS#8). */
static bool encode_pem(X509 *x, EVP_PKEY *pkey, tls_material *out,
                       char *err, size_t errlen)
{
    BIO *cb = BIO_new(BIO_s_mem());
    BIO *kb = BIO_new(BIO_s_secmem()); /* wiped when freed */
    bool ok = cb && kb && PEM_write_bio_X509(cb, x) == 1 &&
              PEM_write_bio_PrivateKey(kb, pkey, NULL, NULL, 0, NULL,
                                       NULL) == 1;
    if (ok) {
        out->cert_pem = x509_bio_text(cb);
        out->key_pem = x509_bio_text(kb);
        ok = out->cert_pem && out->key_pem;
    }
    if (!ok) {
        set_ssl_err(err, errlen, "cannot encode certificate and key as PEM");
        tls_free(out);
    }
    BIO_free(cb);
    BIO_free(kb);
    return ok;
}

bool tls_create_self_signed(tls_material *out, char *err, size_t errlen)
{
    if (!out) {
        set_err(err, errlen, "tls_create_self_signed: no output given");
        return false;
    }
    memset(out, 0, sizeof *out);
    EVP_PKEY *pkey = EVP_RSA_gen(TLS_RSA_BITS);
    if (!pkey) {
        set_ssl_err(err, errlen, "cannot generate RSA key");
        return false;
    }
    X509 *x = build_cert(pkey, err, errlen);
    bool ok = x && encode_pem(x, pkey, out, err, errlen);
    X509_free(x);
    EVP_PKEY_free(pkey);
    return ok;
}

/* ------------------------------------------------------------ checks */

/* PEM password callback that refuses: encrypted keys are not supported and
 * OpenSSL must never prompt on the terminal. */
static int no_password(char *buf, int size, int rwflag, void *u)
{
    (void)buf; (void)size; (void)rwflag; (void)u;
    return -1;
}

/* Guesses why key_pem did not decode; OpenSSL's own reasons for keys
 * ("unsupported", "bad password read") say little. */
static const char *key_problem(const char *key_pem)
{
    if (!strstr(key_pem, "-----BEGIN "))
        return "no PEM block found";
    if (strstr(key_pem, "ENCRYPTED"))
        return "passphrase-protected keys are not supported";
    if (!strstr(key_pem, "PRIVATE KEY-----"))
        return "no PRIVATE KEY block found";
    return "malformed key";
}

/* Checks that cert_pem and key_pem parse as PEM and belong together; the
 * names are only for messages. */
static bool check_pair(const char *cert_pem, const char *key_pem,
                       const char *cert_name, const char *key_name,
                       char *err, size_t errlen)
{
    char what[512];
    bool ok = false;
    X509 *x = NULL;
    EVP_PKEY *pkey = NULL;
    BIO *b = BIO_new_mem_buf(cert_pem, -1);
    if (!b || !(x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
        snprintf(what, sizeof what, "%s is not a PEM certificate", cert_name);
        set_ssl_err(err, errlen, what);
        goto done;
    }
    BIO_free(b);
    b = BIO_new_mem_buf(key_pem, -1);
    if (!b || !(pkey = PEM_read_bio_PrivateKey(b, NULL, no_password, NULL))) {
        set_err(err, errlen, "%s is not an unencrypted PEM private key: %s",
                key_name, key_problem(key_pem));
        ERR_clear_error();
        goto done;
    }
    if (X509_check_private_key(x, pkey) != 1) {
        snprintf(what, sizeof what,
                 "key %s does not match certificate %s", key_name, cert_name);
        set_ssl_err(err, errlen, what);
        goto done;
    }
    ok = true;
done:
    BIO_free(b);
    X509_free(x);
    EVP_PKEY_free(pkey);
    return ok;
}

/* -------------------------------------------------------- pair files */

/* Loads and checks the pair cert_path/key_path into out. */
static bool load_pair(const char *cert_path, const char *key_path,
                      tls_material *out, char *err, size_t errlen)
{
    char *cert = files_read_text(cert_path, "certificate file", "PEM",
                                 TLS_MAX_FILE, err, errlen);
    if (!cert)
        return false;
    char *key = files_read_text(key_path, "key file", "PEM", TLS_MAX_FILE,
                                err, errlen);
    if (!key || !check_pair(cert, key, cert_path, key_path, err, errlen)) {
        free(cert);
        x509_free_secret(key);
        return false;
    }
    out->cert_pem = cert;
    out->key_pem = key;
    return true;
}

/* Creates a new pair and writes it as dir's key.pem (first) and cert.pem. */
static bool create_in_dir(const char *dir, const char *cert_path,
                          const char *key_path, tls_material *out,
                          char *err, size_t errlen)
{
    if (!tls_create_self_signed(out, err, errlen))
        return false;
    if (!files_write_atomic(key_path, out->key_pem, 0600, err, errlen) ||
        !files_write_atomic(cert_path, out->cert_pem, 0644, err, errlen)) {
        tls_free(out);
        return false;
    }
    (void)files_sync_dir(dir, NULL, 0); /* best effort */
    return true;
}

/* Loads dir/cert.pem and dir/key.pem, creating a new pair if either is
 * missing. */
static bool load_or_create_in_dir(const char *dir, tls_material *out,
                                  bool *created, char *err, size_t errlen)
{
    bool ok = false;
    char *cert_path = files_path_join(dir, TLS_CERT_NAME);
    char *key_path = files_path_join(dir, TLS_KEY_NAME);
    if (!cert_path || !key_path) {
        set_err(err, errlen, "out of memory");
        goto done;
    }
    if (!files_make_dir(dir, "data dir", err, errlen))
        goto done;
    int have_cert = files_exists(cert_path, err, errlen);
    int have_key = have_cert < 0 ? -1 : files_exists(key_path, err, errlen);
    if (have_cert < 0 || have_key < 0)
        goto done;
    if (have_cert && have_key) {
        ok = load_pair(cert_path, key_path, out, err, errlen);
        if (!ok && err && errlen > 0) {
            size_t n = strlen(err);
            snprintf(err + n, errlen - n,
                     " (delete both files to create a new pair)");
        }
    } else {
        ok = create_in_dir(dir, cert_path, key_path, out, err, errlen);
        if (ok && created)
            *created = true;
    }
done:
    free(cert_path);
    free(key_path);
    return ok;
}

bool tls_load_or_create(const char *data_dir, const char *cert_file,
                        const char *key_file, tls_material *out, bool *created,
                        char *err, size_t errlen)
{
    if (created)
        *created = false;
    if (!out) {
        set_err(err, errlen, "tls_load_or_create: no output given");
        return false;
    }
    memset(out, 0, sizeof *out);
    bool have_cert = cert_file && *cert_file;
    bool have_key = key_file && *key_file;
    if (have_cert != have_key) {
        set_err(err, errlen,
                "a certificate file and a key file must be given together "
                "(only the %s was given)", have_cert ? "certificate" : "key");
        return false;
    }
    if (have_cert)
        return load_pair(cert_file, key_file, out, err, errlen);
    if (!data_dir || !*data_dir) {
        set_err(err, errlen, "no data dir and no certificate/key files given");
        return false;
    }
    return load_or_create_in_dir(data_dir, out, created, err, errlen);
}
