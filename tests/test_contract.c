/* test_contract.c — loading the contract documents: versions, operations,
 * parameters, bodies and responses as the server sees them; bad documents;
 * the binding of the special-case handlers. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "contract/contract.h"
#include "handlers/handlers.h"
#include "testutil.h"

START_TEST(loads_every_version_newest_first)
{
    contract_set set;
    char err[256];
    ck_assert_msg(contract_set_load(&set, test_schema_dir(), err, sizeof err), "%s", err);
    ck_assert_uint_eq(set.count, 3);
    ck_assert_str_eq(set.items[0]->version, "3.6.1");
    ck_assert_str_eq(set.items[1]->version, "3.6");
    ck_assert_str_eq(set.items[2]->version, "3.5.1");
    ck_assert_ptr_eq(set.latest, set.items[0]);
    ck_assert_uint_eq(set.items[0]->nops, 942);
    ck_assert_uint_eq(set.items[1]->nops, 939);
    ck_assert_uint_eq(set.items[2]->nops, 910);
    ck_assert_ptr_eq(contract_set_find(&set, NULL), set.items[0]);
    ck_assert_ptr_eq(contract_set_find(&set, ""), set.items[0]);
    ck_assert_ptr_eq(contract_set_find(&set, "3.6"), set.items[1]);
    ck_assert_ptr_eq(contract_set_find(&set, "3.5"), set.items[2]);
    ck_assert_ptr_eq(contract_set_find(&set, "3.5.1"), set.items[2]);
    ck_assert_ptr_null(contract_set_find(&set, "3.4"));
    ck_assert_ptr_null(contract_set_find(&set, "3"));
    /* 3.6.1 marks nullables; the older documents get implicit ones */
    ck_assert(!set.items[0]->schemas.implicit_nullable);
    ck_assert(set.items[1]->schemas.implicit_nullable);

    size_t specials = 0;
    ck_assert_msg(handlers_bind(&set, &specials, err, sizeof err), "%s", err);
    ck_assert_uint_eq(specials, 3 * 28); /* the 28 rows of the special table, in each version */
    for (size_t i = 0; i < set.items[0]->nops; i++)
        ck_assert_ptr_nonnull(set.items[0]->ops[i].handler);
    contract_set_free(&set);
}
END_TEST

START_TEST(operations_carry_the_contract)
{
    contract_set set;
    char err[256];
    ck_assert(contract_set_load(&set, test_schema_dir(), err, sizeof err));
    const contract *c = set.items[0];
    const operation *op = contract_find_op(c, "GetCompanies");
    ck_assert_ptr_nonnull(op);
    ck_assert_int_eq(op->method, HTTP_GET);
    ck_assert_str_eq(op->path, "/organizations/companies");
    ck_assert_str_eq(op->tag, "Companies");
    ck_assert(op->paginated);
    ck_assert_int_eq(op->body, BODY_NONE);
    ck_assert_str_eq(schema_ref_name(op->response_schema), "GetCompaniesResponse200");
    ck_assert_ptr_nonnull(operation_param(op, PARAM_QUERY, "LIMIT"));
    ck_assert_ptr_nonnull(operation_param(op, PARAM_HEADER, "x-client-version"));
    ck_assert_ptr_null(operation_param(op, PARAM_PATH, "limit"));

    op = contract_find_op(c, "OAuth2IssueToken");
    ck_assert_int_eq(op->body, BODY_FORM);
    ck_assert(op->body_required);
    op = contract_find_op(c, "CreateCompany");
    ck_assert_int_eq(op->body, BODY_JSON);
    ck_assert_str_eq(schema_ref_name(op->body_schema), "CompanyInput");

    size_t binary = 0, multipart = 0, octet_in = 0, path_params_required = 1;
    for (size_t i = 0; i < c->nops; i++) {
        binary += c->ops[i].response_binary;
        multipart += c->ops[i].body == BODY_MULTIPART;
        octet_in += c->ops[i].body == BODY_BINARY;
        for (size_t p = 0; p < c->ops[i].nparams; p++)
            if (c->ops[i].params[p].in == PARAM_PATH)
                path_params_required &= c->ops[i].params[p].required;
    }
    ck_assert_uint_eq(binary, 8);
    ck_assert_uint_eq(multipart, 5);
    ck_assert_uint_eq(octet_in, 4);
    ck_assert(path_params_required);
    ck_assert_ptr_null(contract_find_op(c, "NoSuchOperation"));
    contract_set_free(&set);
}
END_TEST

START_TEST(version_order)
{
    ck_assert_int_lt(contract_version_cmp("3.6", "3.6.1"), 0);
    ck_assert_int_gt(contract_version_cmp("3.6.1", "3.6"), 0);
    ck_assert_int_gt(contract_version_cmp("3.10", "3.9"), 0);
    ck_assert_int_eq(contract_version_cmp("3.5.1", "3.5.1"), 0);
    ck_assert_int_lt(contract_version_cmp("3.5.1", "3.6"), 0);
    ck_assert_int_ne(contract_version_cmp("3.x", "3.y"), 0);
}
END_TEST

/* Writes text into dir/name. */
static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(bad_documents)
{
    char dir[] = "/tmp/vspc-contract-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    contract_set set;
    char err[256];
    ck_assert(!contract_set_load(&set, dir, err, sizeof err)); /* empty folder */
    ck_assert_ptr_nonnull(strstr(err, "no vspc-rest"));
    ck_assert(!contract_set_load(&set, "/nonexistent/folder", err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "cannot open"));

    write_file(dir, "vspc-rest-1.0.json", "{\"openapi\": ");
    ck_assert(!contract_set_load(&set, dir, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "vspc-rest-1.0.json"));
    write_file(dir, "vspc-rest-1.0.json", "{\"paths\": {}}");
    ck_assert(!contract_set_load(&set, dir, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "info.version"));
    write_file(dir, "vspc-rest-1.0.json", "{\"info\": {\"version\": \"1.0\"}}");
    ck_assert(!contract_set_load(&set, dir, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "paths"));
    write_file(dir, "vspc-rest-1.0.json",
               "{\"info\": {\"version\": \"1.0\"}, \"paths\": {\"/x\": {\"get\": "
               "{\"parameters\": [{\"in\": \"query\"}]}}}}");
    ck_assert(!contract_set_load(&set, dir, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "parameter"));
    write_file(dir, "vspc-rest-1.0.json",
               "{\"info\": {\"version\": \"1.0\"}, \"paths\": {\"/a{b}\": {\"get\": {}}}}");
    ck_assert(!contract_set_load(&set, dir, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "cannot index"));

    /* a valid document without POST /token: the special table refuses it */
    write_file(dir, "vspc-rest-1.0.json",
               "{\"info\": {\"version\": \"1.0\"}, \"components\": {\"schemas\": {}}, \"paths\": "
               "{\"/x\": {\"get\": {\"operationId\": \"X\", \"responses\": {}}}}}");
    ck_assert_msg(contract_set_load(&set, dir, err, sizeof err), "%s", err);
    ck_assert_uint_eq(set.items[0]->nops, 1);
    ck_assert(!handlers_bind(&set, NULL, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "OAuth2IssueToken"));
    contract_set_free(&set);
    test_rm_rf(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("contract");
    TCase *tc = tcase_create("contract");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, loads_every_version_newest_first);
    tcase_add_test(tc, operations_carry_the_contract);
    tcase_add_test(tc, version_order);
    tcase_add_test(tc, bad_documents);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK);
}
