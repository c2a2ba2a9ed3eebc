/* test_jsonpatch.c — JSON Patch (RFC 6902): every operation, every failure
 * mode, atomicity, the RFC's Appendix A examples, JSON Pointer escaping and
 * bounds (a path must be a pointer: "" or starting with '/'), and VSPC's
 * leniencies (string values coerced by the real 3.6.1 schemas, a bare
 * operation object). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract/contract.h"
#include "request/jsonpatch.h"
#include "testutil.h"

static contract *c;

static void load(void) { c = test_load_contract("3.6.1"); }
static void unload(void) { contract_free(c); }

static const json_t *company(void) { return schema_by_name(&c->schemas, "Company"); }
static const json_t *reseller(void) { return schema_by_name(&c->schemas, "Reseller"); }

/* Parses JSON written with ' for " (test texts stay readable). */
static json_t *J(const char *text)
{
    char *copy = strdup(text);
    for (char *p = copy; *p; p++)
        if (*p == '\'')
            *p = '"';
    json_error_t jerr;
    json_t *v = json_loads(copy, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    ck_assert_msg(v != NULL, "bad test JSON %s: %s", text, jerr.text);
    free(copy);
    return v;
}

/* Applies patch to doc (with schema, when not NULL, from the 3.6.1
 * contract); checks that doc itself never changes. */
static json_t *apply(const json_t *schema, const char *doc_text, const char *patch_text,
                     jsonpatch_error *err)
{
    json_t *doc = J(doc_text), *patch = J(patch_text), *before = json_deep_copy(doc);
    json_t *out = jsonpatch_apply(schema ? &c->schemas : NULL, schema, doc, patch, err);
    ck_assert_msg(json_equal(doc, before), "the document was modified");
    ck_assert_ptr_ne(out, doc);
    json_decref(before);
    json_decref(patch);
    json_decref(doc);
    return out;
}

/* Asserts the patch succeeds and yields `expected`. */
static void expect_result(const json_t *schema, const char *doc, const char *patch,
                          const char *expected)
{
    jsonpatch_error err;
    json_t *out = apply(schema, doc, patch, &err);
    ck_assert_msg(out != NULL, "patch %s failed: op %ld '%s': %s", patch, err.index, err.path,
                  err.message);
    json_t *want = J(expected);
    char *got = json_dumps(out, JSON_ENCODE_ANY | JSON_SORT_KEYS | JSON_COMPACT);
    ck_assert_msg(json_equal(out, want), "patch %s gave %s, not %s", patch, got, expected);
    free(got);
    json_decref(want);
    json_decref(out);
}

/* Asserts the patch fails at operation `index` (path as sent) with a
 * message containing `part`: one valid UTF-8 sentence. */
static void expect_error(const json_t *schema, const char *doc, const char *patch, long index,
                         const char *path, const char *part)
{
    jsonpatch_error err;
    json_t *out = apply(schema, doc, patch, &err);
    ck_assert_msg(out == NULL, "patch %s should fail", patch);
    ck_assert_int_eq(err.index, index);
    ck_assert_str_eq(err.path, path);
    ck_assert_msg(strstr(err.message, part), "'%s' lacks '%s'", err.message, part);
    size_t len = strlen(err.message);
    ck_assert_msg(len > 0 && err.message[len - 1] == '.', "'%s' is no sentence", err.message);
    json_t *utf8 = json_string(err.message);
    ck_assert_msg(utf8 != NULL, "message is not UTF-8");
    json_decref(utf8);
}

/* ---- the six operations -------------------------------------------------- */

START_TEST(add_members_and_elements)
{
    expect_result(NULL, "{'a':1}", "[{'op':'add','path':'/b','value':2}]", "{'a':1,'b':2}");
    expect_result(NULL, "{'a':1}", "[{'op':'add','path':'/a','value':3}]", "{'a':3}");
    expect_result(NULL, "{'a':[1,2]}", "[{'op':'add','path':'/a/0','value':0}]",
                  "{'a':[0,1,2]}");
    expect_result(NULL, "{'a':[1,2]}", "[{'op':'add','path':'/a/2','value':3}]",
                  "{'a':[1,2,3]}");
    expect_result(NULL, "{'a':[1,2]}", "[{'op':'add','path':'/a/-','value':3}]",
                  "{'a':[1,2,3]}");
    expect_result(NULL, "{'a':1}", "[{'op':'add','path':'','value':[5]}]", "[5]");
    expect_result(NULL, "{'a':1}", "[{'op':'add','path':'/n','value':null}]",
                  "{'a':1,'n':null}");
    expect_result(NULL, "{'':{}}", "[{'op':'add','path':'//x','value':1}]", "{'':{'x':1}}");
}
END_TEST

START_TEST(remove_members_and_elements)
{
    expect_result(NULL, "{'a':1,'b':2}", "[{'op':'remove','path':'/a'}]", "{'b':2}");
    expect_result(NULL, "{'a':[1,2,3]}", "[{'op':'remove','path':'/a/1'}]", "{'a':[1,3]}");
    expect_result(NULL, "{'a':{'b':{'c':1}}}", "[{'op':'remove','path':'/a/b/c'}]",
                  "{'a':{'b':{}}}");
}
END_TEST

START_TEST(replace_values)
{
    expect_result(NULL, "{'a':1,'b':2}", "[{'op':'replace','path':'/a','value':'x'}]",
                  "{'a':'x','b':2}");
    expect_result(NULL, "{'a':[1,2]}", "[{'op':'replace','path':'/a/1','value':{'k':[]}}]",
                  "{'a':[1,{'k':[]}]}");
    expect_result(NULL, "{'a':1}", "[{'op':'replace','path':'','value':{'b':2}}]", "{'b':2}");
    expect_result(NULL, "{'a':1}", "[{'op':'replace','path':'/a','value':null}]", "{'a':null}");
}
END_TEST

START_TEST(move_values)
{
    expect_result(NULL, "{'a':{'x':1},'b':{}}", "[{'op':'move','from':'/a/x','path':'/b/y'}]",
                  "{'a':{},'b':{'y':1}}");
    expect_result(NULL, "{'a':[1,2,3]}", "[{'op':'move','from':'/a/0','path':'/a/-'}]",
                  "{'a':[2,3,1]}");
    expect_result(NULL, "{'a':1}", "[{'op':'move','from':'/a','path':'/a'}]", "{'a':1}");
    /* a child moved up over its parent */
    expect_result(NULL, "{'a':{'b':{'c':1}}}", "[{'op':'move','from':'/a/b','path':'/a'}]",
                  "{'a':{'c':1}}");
    expect_result(NULL, "{'a':{'b':2}}", "[{'op':'move','from':'/a','path':''}]", "{'b':2}");
}
END_TEST

START_TEST(copy_values)
{
    expect_result(NULL, "{'a':{'x':[1]}}", "[{'op':'copy','from':'/a','path':'/b'}]",
                  "{'a':{'x':[1]},'b':{'x':[1]}}");
    expect_result(NULL, "{'a':[1,2]}", "[{'op':'copy','from':'/a/1','path':'/a/0'}]",
                  "{'a':[2,1,2]}");
    /* a copy into itself is fine: it is a copy */
    expect_result(NULL, "{'a':{'x':1}}", "[{'op':'copy','from':'/a','path':'/a/y'}]",
                  "{'a':{'x':1,'y':{'x':1}}}");
    /* the copy is independent of its source */
    expect_result(NULL, "{'a':{'x':1}}",
                  "[{'op':'copy','from':'/a','path':'/b'},{'op':'replace','path':'/b/x','value':2}]",
                  "{'a':{'x':1},'b':{'x':2}}");
}
END_TEST

START_TEST(test_values)
{
    expect_result(NULL, "{'a':{'x':[1,'s',null,true]}}",
                  "[{'op':'test','path':'/a','value':{'x':[1,'s',null,true]}}]",
                  "{'a':{'x':[1,'s',null,true]}}");
    /* numbers compare by value, members regardless of order */
    expect_result(NULL, "{'n':1,'o':{'p':1,'q':2}}",
                  "[{'op':'test','path':'/n','value':1.0},"
                  "{'op':'test','path':'/o','value':{'q':2,'p':1}}]",
                  "{'n':1,'o':{'p':1,'q':2}}");
    expect_result(NULL, "{'a':null}", "[{'op':'test','path':'/a','value':null}]", "{'a':null}");
    expect_result(NULL, "[1]", "[{'op':'test','path':'','value':[1]}]", "[1]");
    expect_error(NULL, "{'status':'Active'}",
                 "[{'op':'test','path':'/status','value':'Disabled'}]", 0, "/status",
                 "The test operation failed: '/status' is 'Active', not 'Disabled'.");
    expect_error(NULL, "{'n':1}", "[{'op':'test','path':'/n','value':2}]", 0, "/n",
                 "'/n' is 1, not 2.");
    expect_error(NULL, "{'o':{'a':1}}", "[{'op':'test','path':'/o','value':{'a':1,'b':2}}]", 0,
                 "/o", "is {\"a\":1}, not {\"a\":1,\"b\":2}.");
    expect_error(NULL, "{'a':[1]}", "[{'op':'test','path':'/a','value':[1,2]}]", 0, "/a",
                 "test operation failed");
    expect_error(NULL, "{'a':true}", "[{'op':'test','path':'/a','value':false}]", 0, "/a",
                 "test operation failed");
}
END_TEST

START_TEST(operation_names_ignore_case)
{
    expect_result(NULL, "{'a':1}", "[{'op':'Replace','path':'/a','value':2}]", "{'a':2}");
    expect_result(NULL, "{'a':1}", "[{'op':'REMOVE','path':'/a'}]", "{}");
}
END_TEST

/* ---- failures --------------------------------------------------------- */

START_TEST(missing_paths)
{
    expect_error(NULL, "{'name':'x'}", "[{'op':'replace','path':'/nme','value':'y'}]", 0, "/nme",
                 "The path '/nme' does not exist.");
    expect_error(NULL, "{'name':'x'}", "[{'op':'remove','path':'/nme'}]", 0, "/nme",
                 "The path '/nme' does not exist.");
    expect_error(NULL, "{'name':'x'}", "[{'op':'test','path':'/nme','value':'x'}]", 0, "/nme",
                 "The path '/nme' does not exist.");
    expect_error(NULL, "{'a':{}}", "[{'op':'add','path':'/a/b/c','value':1}]", 0, "/a/b/c",
                 "The path '/a/b/c' does not exist: '/a/b' is missing.");
    expect_error(NULL, "{'a':5}", "[{'op':'add','path':'/a/b','value':1}]", 0, "/a/b",
                 "The path '/a/b' does not exist: '/a' is not an object or array.");
    expect_error(NULL, "{'a':5}", "[{'op':'remove','path':'/a/b/c'}]", 0, "/a/b/c",
                 "'/a' is not an object or array.");
    expect_error(NULL, "{'a':1}", "[{'op':'remove','path':''}]", 0, "",
                 "The whole document cannot be removed.");
}
END_TEST

START_TEST(bad_array_indexes)
{
    const char *doc = "{'a':[1,2,3]}";
    expect_error(NULL, doc, "[{'op':'replace','path':'/a/01','value':0}]", 0, "/a/01",
                 "invalid array index '01'");
    expect_error(NULL, doc, "[{'op':'add','path':'/a/00','value':0}]", 0, "/a/00",
                 "invalid array index '00'");
    expect_error(NULL, doc, "[{'op':'remove','path':'/a/x'}]", 0, "/a/x",
                 "invalid array index 'x'");
    expect_error(NULL, doc, "[{'op':'remove','path':'/a/-1'}]", 0, "/a/-1",
                 "invalid array index '-1'");
    expect_error(NULL, doc, "[{'op':'remove','path':'/a/'}]", 0, "/a/",
                 "invalid array index ''");
    expect_error(NULL, doc, "[{'op':'remove','path':'/a/3'}]", 0, "/a/3",
                 "The path '/a/3' is out of range: the array has 3 elements.");
    expect_error(NULL, doc, "[{'op':'replace','path':'/a/3','value':0}]", 0, "/a/3",
                 "out of range");
    expect_error(NULL, doc, "[{'op':'add','path':'/a/4','value':0}]", 0, "/a/4", "out of range");
    expect_error(NULL, doc, "[{'op':'test','path':'/a/99999999999999999999999','value':0}]", 0,
                 "/a/99999999999999999999999", "out of range");
    expect_error(NULL, "[]", "[{'op':'remove','path':'/0'}]", 0, "/0",
                 "the array has 0 elements.");
    expect_error(NULL, "[1]", "[{'op':'remove','path':'/1'}]", 0, "/1",
                 "the array has 1 element.");
}
END_TEST

START_TEST(dash_only_for_add)
{
    const char *doc = "{'a':[1,2,3]}";
    const char *why = "uses '-', which names no existing element";
    expect_error(NULL, doc, "[{'op':'remove','path':'/a/-'}]", 0, "/a/-", why);
    expect_error(NULL, doc, "[{'op':'replace','path':'/a/-','value':1}]", 0, "/a/-", why);
    expect_error(NULL, doc, "[{'op':'test','path':'/a/-','value':1}]", 0, "/a/-", why);
    expect_error(NULL, doc, "[{'op':'move','from':'/a/-','path':'/b'}]", 0, "/b",
                 "The from path '/a/-' uses '-'");
    expect_error(NULL, doc, "[{'op':'copy','from':'/a/-','path':'/b'}]", 0, "/b",
                 "The from path '/a/-' uses '-'");
    expect_error(NULL, doc, "[{'op':'add','path':'/a/-/x','value':1}]", 0, "/a/-/x", why);
    /* '-' on an object is an ordinary member name */
    expect_result(NULL, "{}", "[{'op':'add','path':'/-','value':1}]", "{'-':1}");
}
END_TEST

START_TEST(move_and_copy_sources)
{
    expect_error(NULL, "{'a':1}", "[{'op':'move','path':'/b'}]", 0, "/b",
                 "The 'move' operation has no 'from' member.");
    expect_error(NULL, "{'a':1}", "[{'op':'copy','path':'/b'}]", 0, "/b",
                 "The 'copy' operation has no 'from' member.");
    expect_error(NULL, "{'a':1}", "[{'op':'copy','path':'/b','from':null}]", 0, "/b",
                 "The 'from' member of the 'copy' operation must be a string.");
    expect_error(NULL, "{'a':1}", "[{'op':'move','from':'/x','path':'/b'}]", 0, "/b",
                 "The from path '/x' does not exist.");
    expect_error(NULL, "{'a':1}", "[{'op':'copy','from':'/x','path':'/b'}]", 0, "/b",
                 "The from path '/x' does not exist.");
    expect_error(NULL, "{'a':1}", "[{'op':'copy','from':'/a','path':'/x/y'}]", 0, "/x/y",
                 "The path '/x/y' does not exist: '/x' is missing.");
    expect_error(NULL, "{'a':[1,2]}", "[{'op':'move','from':'/a/0','path':'/a/2'}]", 0, "/a/2",
                 "out of range: the array has 1 element.");
}
END_TEST

START_TEST(move_into_own_child)
{
    expect_error(NULL, "{'a':{'b':{}}}", "[{'op':'move','from':'/a','path':'/a/b/c'}]", 0,
                 "/a/b/c", "A value cannot be moved into itself: '/a/b/c' lies inside '/a'.");
    expect_error(NULL, "{'a':{}}", "[{'op':'move','from':'','path':'/a'}]", 0, "/a",
                 "cannot be moved into itself");
    /* a sibling with a longer name is not a child */
    expect_result(NULL, "{'a':1,'ab':{}}", "[{'op':'move','from':'/a','path':'/ab/x'}]",
                  "{'ab':{'x':1}}");
}
END_TEST

START_TEST(malformed_operations)
{
    expect_error(NULL, "{}", "[{'op':'jump','path':'/a'}]", 0, "", "Unknown operation 'jump'.");
    expect_error(NULL, "{}", "[{'path':'/a','value':1}]", 0, "",
                 "The operation has no 'op' member.");
    expect_error(NULL, "{}", "[{'op':1,'path':'/a'}]", 0, "", "The 'op' member must be a string.");
    expect_error(NULL, "{}", "[{'op':'add','value':1}]", 0, "",
                 "The 'add' operation has no 'path' member.");
    expect_error(NULL, "{}", "[{'op':'remove','path':7}]", 0, "",
                 "The 'path' member of the 'remove' operation must be a string.");
    expect_error(NULL, "{}", "[{'op':'add','path':'/a'}]", 0, "/a",
                 "The 'add' operation has no 'value' member.");
    expect_error(NULL, "{'a':1}", "[{'op':'replace','path':'/a'}]", 0, "/a",
                 "The 'replace' operation has no 'value' member.");
    expect_error(NULL, "{'a':1}", "[{'op':'test','path':'/a'}]", 0, "/a",
                 "The 'test' operation has no 'value' member.");
    expect_error(NULL, "{}", "['add']", 0, "", "An operation must be a JSON object.");
    expect_error(NULL, "{}", "'add'", -1, "", "The patch must be an array of operations.");
    expect_error(NULL, "{}", "[{'op':'add','path':'/a~2b','value':1}]", 0, "/a~2b",
                 "is not a valid JSON Pointer: '~' must be followed by '0' or '1'.");
    expect_error(NULL, "{}", "[{'op':'add','path':'/a~','value':1}]", 0, "/a~",
                 "not a valid JSON Pointer");
    expect_error(NULL, "{}", "[{'op':'add','path':'/a\\u0000b','value':1}]", 0, "/a",
                 "The path contains a NUL character.");
    /* members the RFC does not know are ignored; so is 'from' on add */
    expect_result(NULL, "{}", "[{'op':'add','path':'/a','value':1,'from':'/zz','x':2}]",
                  "{'a':1}");
    /* an empty patch changes nothing */
    expect_result(NULL, "{'a':1}", "[]", "{'a':1}");
}
END_TEST

START_TEST(failing_third_operation_changes_nothing)
{
    json_t *doc = J("{'a':1,'list':[1,2],'o':{'k':'v'}}");
    json_t *before = json_deep_copy(doc);
    json_t *patch = J("[{'op':'replace','path':'/a','value':2},"
                      "{'op':'remove','path':'/list/0'},"
                      "{'op':'remove','path':'/missing'},"
                      "{'op':'add','path':'/o/n','value':3}]");
    jsonpatch_error err;
    ck_assert_ptr_null(jsonpatch_apply(NULL, NULL, doc, patch, &err));
    ck_assert(json_equal(doc, before));
    ck_assert_int_eq(err.index, 2);
    ck_assert_str_eq(err.path, "/missing");
    ck_assert_str_eq(err.message, "The path '/missing' does not exist.");
    /* the same patch without the bad operation applies, still to a copy */
    json_array_remove(patch, 2);
    json_t *out = jsonpatch_apply(NULL, NULL, doc, patch, &err);
    ck_assert(json_equal(doc, before));
    json_t *want = J("{'a':2,'list':[2],'o':{'k':'v','n':3}}");
    ck_assert(json_equal(out, want));
    ck_assert_int_eq(err.index, -1);
    ck_assert_str_eq(err.message, "");
    json_decref(want);
    json_decref(out);
    json_decref(patch);
    json_decref(before);
    json_decref(doc);
}
END_TEST

START_TEST(error_may_be_null)
{
    json_t *doc = J("{}"), *bad = J("[{'op':'remove','path':'/x'}]");
    ck_assert_ptr_null(jsonpatch_apply(NULL, NULL, doc, bad, NULL));
    ck_assert_ptr_null(jsonpatch_apply(NULL, NULL, NULL, bad, NULL));
    ck_assert_ptr_null(jsonpatch_apply(NULL, NULL, doc, NULL, NULL));
    json_decref(bad);
    json_decref(doc);
}
END_TEST

/* ---- RFC 6902 Appendix A ------------------------------------------------- */

START_TEST(rfc6902_appendix_a)
{
    /* A.1 adding an object member */
    expect_result(NULL, "{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux'}]",
                  "{'baz':'qux','foo':'bar'}");
    /* A.2 adding an array element */
    expect_result(NULL, "{'foo':['bar','baz']}", "[{'op':'add','path':'/foo/1','value':'qux'}]",
                  "{'foo':['bar','qux','baz']}");
    /* A.3 removing an object member */
    expect_result(NULL, "{'baz':'qux','foo':'bar'}", "[{'op':'remove','path':'/baz'}]",
                  "{'foo':'bar'}");
    /* A.4 removing an array element */
    expect_result(NULL, "{'foo':['bar','qux','baz']}", "[{'op':'remove','path':'/foo/1'}]",
                  "{'foo':['bar','baz']}");
    /* A.5 replacing a value */
    expect_result(NULL, "{'baz':'qux','foo':'bar'}",
                  "[{'op':'replace','path':'/baz','value':'boo'}]", "{'baz':'boo','foo':'bar'}");
    /* A.6 moving a value */
    expect_result(NULL, "{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}",
                  "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]",
                  "{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}");
    /* A.7 moving an array element */
    expect_result(NULL, "{'foo':['all','grass','cows','eat']}",
                  "[{'op':'move','from':'/foo/1','path':'/foo/3'}]",
                  "{'foo':['all','cows','eat','grass']}");
    /* A.8 testing a value: success */
    expect_result(NULL, "{'baz':'qux','foo':['a',2,'c']}",
                  "[{'op':'test','path':'/baz','value':'qux'},"
                  "{'op':'test','path':'/foo/1','value':2}]",
                  "{'baz':'qux','foo':['a',2,'c']}");
    /* A.9 testing a value: error */
    expect_error(NULL, "{'baz':'qux'}", "[{'op':'test','path':'/baz','value':'bar'}]", 0, "/baz",
                 "The test operation failed: '/baz' is 'qux', not 'bar'.");
    /* A.10 adding a nested member object */
    expect_result(NULL, "{'foo':'bar'}", "[{'op':'add','path':'/child','value':{'grandchild':{}}}]",
                  "{'foo':'bar','child':{'grandchild':{}}}");
    /* A.11 ignoring unrecognized elements */
    expect_result(NULL, "{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux','xyz':123}]",
                  "{'foo':'bar','baz':'qux'}");
    /* A.12 adding to a nonexistent target */
    expect_error(NULL, "{'foo':'bar'}", "[{'op':'add','path':'/baz/bat','value':'qux'}]", 0,
                 "/baz/bat", "The path '/baz/bat' does not exist");
    /* A.14 ~ escape ordering: "~01" is "~1", not "~/" */
    expect_result(NULL, "{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':10}]",
                  "{'/':9,'~1':10}");
    /* A.15 comparing strings and numbers (no schema: no coercion) */
    expect_error(NULL, "{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':'10'}]", 0, "/~01",
                 "The test operation failed: '/~01' is 10, not '10'.");
    /* A.16 adding an array value */
    expect_result(NULL, "{'foo':['bar']}", "[{'op':'add','path':'/foo/-','value':['abc','def']}]",
                  "{'foo':['bar',['abc','def']]}");
}
END_TEST

/* A.13: duplicate "op" members make the patch invalid JSON for a strict
 * parser; jansson keeps the last one, so the operation is never an add. */
START_TEST(rfc6902_a13_duplicate_members)
{
    const char *text = "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\",\"op\":\"remove\"}]";
    ck_assert_ptr_null(json_loads(text, JSON_REJECT_DUPLICATES, NULL));
    json_t *patch = json_loads(text, 0, NULL), *doc = J("{'foo':'bar'}");
    jsonpatch_error err;
    ck_assert_ptr_null(jsonpatch_apply(NULL, NULL, doc, patch, &err));
    ck_assert_str_eq(err.message, "The path '/baz' does not exist.");
    json_decref(doc);
    json_decref(patch);
}
END_TEST

/* ---- JSON Pointer --------------------------------------------------------- */

START_TEST(pointer_escapes)
{
    expect_result(NULL, "{'a/b':1,'m~n':2}",
                  "[{'op':'replace','path':'/a~1b','value':10},"
                  "{'op':'replace','path':'/m~0n','value':20}]",
                  "{'a/b':10,'m~n':20}");
    expect_result(NULL, "{}", "[{'op':'add','path':'/~0~1~10','value':1}]", "{'~//0':1}");
    expect_result(NULL, "{'x':{'a/b':{'c~':1}}}", "[{'op':'move','from':'/x/a~1b/c~0','path':'/y'}]",
                  "{'x':{'a/b':{}},'y':1}");
    expect_result(NULL, "{' ':1,'':2}", "[{'op':'remove','path':'/ '},{'op':'remove','path':'/'}]",
                  "{}");
}
END_TEST

/* path and from are JSON Pointers (RFC 6901): "" or starting with '/'.
 * A name alone ("mfaPolicyStatus") fails like every bad operation. */
START_TEST(paths_must_be_json_pointers)
{
    expect_error(NULL, "{'mfaPolicyStatus':'Disabled'}",
                 "[{'op':'replace','path':'mfaPolicyStatus','value':'Enabled'}]", 0,
                 "mfaPolicyStatus",
                 "The path 'mfaPolicyStatus' is not a valid JSON Pointer: it must be empty or "
                 "start with '/'.");
    expect_error(NULL, "{'a':{'b':[1]}}", "[{'op':'add','path':'a/b/-','value':2}]", 0, "a/b/-",
                 "not a valid JSON Pointer");
    expect_error(NULL, "{'a':{'b':1}}", "[{'op':'move','from':'a/b','path':'/c'}]", 0, "/c",
                 "The from path 'a/b' is not a valid JSON Pointer");
    expect_error(NULL, "{'a':{'b':1}}", "[{'op':'copy','from':'/a/b','path':'c'}]", 0, "c",
                 "The path 'c' is not a valid JSON Pointer");
    /* atomic: the first operation is undone with the failing second */
    expect_error(NULL, "{'a':1}",
                 "[{'op':'replace','path':'/a','value':2},{'op':'remove','path':'a'}]", 1, "a",
                 "not a valid JSON Pointer");
    expect_error(NULL, "{'a':1}", "[{'op':'test','path':' /a','value':1}]", 0, " /a",
                 "not a valid JSON Pointer");
    /* "" is still the whole document */
    expect_result(NULL, "{'a':1}", "[{'op':'replace','path':'','value':{'b':2}}]", "{'b':2}");
    expect_error(NULL, "{'a':{'b':{}}}", "[{'op':'move','from':'/a','path':'/a/b/c'}]", 0,
                 "/a/b/c", "cannot be moved into itself");
}
END_TEST

START_TEST(single_operation_object)
{
    expect_result(NULL, "{'a':1}", "{'op':'replace','path':'/a','value':2}", "{'a':2}");
    expect_error(NULL, "{'a':1}", "{'op':'remove','path':'/b'}", 0, "/b",
                 "The path '/b' does not exist.");
}
END_TEST

/* ---- bounds -------------------------------------------------------------- */

/* n nested arrays around 0: "[[[0]]]" for n = 3. */
static char *nested(int n)
{
    char *s = malloc((size_t)n * 2 + 2), *p = s;
    for (int i = 0; i < n; i++)
        *p++ = '[';
    *p++ = '0';
    for (int i = 0; i < n; i++)
        *p++ = ']';
    *p = '\0';
    return s;
}

START_TEST(too_many_operations)
{
    json_t *doc = J("{'a':0}"), *patch = json_array();
    for (int i = 0; i < JSONPATCH_MAX_OPS; i++)
        json_array_append_new(patch, J("{'op':'test','path':'/a','value':0}"));
    jsonpatch_error err;
    json_t *out = jsonpatch_apply(NULL, NULL, doc, patch, &err);
    ck_assert_ptr_nonnull(out);
    json_decref(out);
    json_array_append_new(patch, J("{'op':'test','path':'/a','value':0}"));
    ck_assert_ptr_null(jsonpatch_apply(NULL, NULL, doc, patch, &err));
    ck_assert_int_eq(err.index, -1);
    ck_assert_str_eq(err.message, "The patch has 1001 operations: at most 1000 are allowed.");
    json_decref(patch);
    json_decref(doc);
}
END_TEST

START_TEST(depth_is_bounded)
{
    jsonpatch_error err;
    /* a pointer longer than any document may be deep */
    char path[2 * JSONPATCH_MAX_DEPTH + 8] = "";
    for (int i = 0; i <= JSONPATCH_MAX_DEPTH; i++)
        strcat(path, "/a");
    char patch[sizeof path + 64];
    snprintf(patch, sizeof patch, "[{'op':'remove','path':'%s'}]", path);
    ck_assert_ptr_null(apply(NULL, "{}", patch, &err));
    ck_assert_int_eq(err.index, 0);
    ck_assert_str_eq(err.path + strlen(err.path) - 3, "..."); /* 258 bytes, cut */
    ck_assert_ptr_nonnull(strstr(err.message, "is nested too deeply: at most 128 levels"));

    /* a value that would make the document too deep: 128 levels itself */
    char *deep = nested(JSONPATCH_MAX_DEPTH - 1);
    char *text = malloc(strlen(deep) + 96);
    sprintf(text, "[{'op':'add','path':'/v','value':%s}]", deep);
    expect_error(NULL, "{}", text, 0, "/v", "The value for '/v' is nested too deeply");
    sprintf(text, "[{'op':'add','path':'','value':%s}]", deep);
    expect_result(NULL, "{}", text, deep); /* exactly the limit */

    /* moves and copies that would deepen the document are measured too */
    char *inner = nested(JSONPATCH_MAX_DEPTH - 2); /* 127 levels, at /a: 128 */
    char *doc = malloc(strlen(inner) + 32);
    sprintf(doc, "{'a':%s,'b':{}}", inner);
    sprintf(text, "[{'op':'move','from':'/a','path':'/b/x'}]");
    expect_error(NULL, doc, text, 0, "/b/x", "The value for '/b/x' is nested too deeply");
    sprintf(text, "[{'op':'copy','from':'/a','path':'/b/x'}]");
    expect_error(NULL, doc, text, 0, "/b/x", "The value for '/b/x' is nested too deeply");
    sprintf(text, "[{'op':'move','from':'/a','path':'/b'}]"); /* as deep as before */
    json_t *moved = apply(NULL, doc, text, &err);
    ck_assert_msg(moved != NULL, "%s", err.message);
    json_decref(moved);
    free(doc);
    free(inner);
    free(text);

    /* a document that is already too deep */
    json_t *outer = json_array();
    json_array_append_new(outer, json_loads(deep, 0, NULL));
    json_t *ops = J("[]");
    ck_assert_ptr_null(jsonpatch_apply(NULL, NULL, outer, ops, &err));
    ck_assert_int_eq(err.index, -1);
    ck_assert_ptr_nonnull(strstr(err.message, "nested too deeply"));
    json_decref(ops);
    json_decref(outer);
    free(deep);
}
END_TEST

START_TEST(inserted_size_is_bounded)
{
    /* each copy doubles /a: the node budget stops it long before memory */
    json_t *doc = J("{'a':{'x':[1,2,3,4,5,6,7,8]}}"), *patch = json_array();
    for (int i = 0; i < 100; i++) {
        char op[96];
        snprintf(op, sizeof op, "{'op':'copy','from':'/a','path':'/a/k%d'}", i);
        json_array_append_new(patch, J(op));
    }
    jsonpatch_error err;
    ck_assert_ptr_null(jsonpatch_apply(NULL, NULL, doc, patch, &err));
    ck_assert_int_gt(err.index, 5);
    ck_assert_int_lt(err.index, 20);
    ck_assert_str_eq(err.message, "The patch inserts too much: at most 100000 JSON values in all.");
    json_decref(patch);
    json_decref(doc);
}
END_TEST

START_TEST(long_texts_are_cut_in_messages)
{
    /* 200 two-byte characters: the cut keeps whole characters */
    char key[401] = "";
    for (int i = 0; i < 200; i++)
        strcat(key, "\xc3\xa9");
    char patch[600];
    snprintf(patch, sizeof patch, "[{'op':'remove','path':'/%s'}]", key);
    jsonpatch_error err;
    json_t *out = apply(NULL, "{}", patch, &err);
    ck_assert_ptr_null(out);
    size_t n = strlen(err.path);
    ck_assert_uint_lt(n, sizeof err.path);
    ck_assert_str_eq(err.path + n - 3, "...");
    json_t *ok = json_string(err.path);
    ck_assert_ptr_nonnull(ok);
    json_decref(ok);
    ok = json_string(err.message);
    ck_assert_ptr_nonnull(ok);
    json_decref(ok);
    ck_assert_ptr_nonnull(strstr(err.message, "...' does not exist."));
}
END_TEST

/* ---- VSPC: coercion by the 3.6.1 contract --------------------------------- */

#define RESELLER \
    "{'name':'R','resellerServices':{'remoteServices':{'backupAgentsManagement':" \
    "{'workstationAgentsQuota':10}}}}"
#define QUOTA "/resellerServices/remoteServices/backupAgentsManagement/workstationAgentsQuota"
#define COMPANY \
    "{'name':'Acme','status':'Active','isRestAccessEnabled':false," \
    "'ownerCredentials':{'userName':'acme'}}"

START_TEST(integer_from_text)
{
    expect_result(reseller(), RESELLER, "[{'op':'replace','path':'" QUOTA "','value':'450'}]",
                  "{'name':'R','resellerServices':{'remoteServices':{'backupAgentsManagement':"
                  "{'workstationAgentsQuota':450}}}}");
    /* a real integer is taken as it is */
    expect_result(reseller(), RESELLER, "[{'op':'replace','path':'" QUOTA "','value':451}]",
                  "{'name':'R','resellerServices':{'remoteServices':{'backupAgentsManagement':"
                  "{'workstationAgentsQuota':451}}}}");
    /* add of a property that is not there yet, and test, coerce alike */
    expect_result(reseller(), RESELLER,
                  "[{'op':'add','path':'/resellerServices/remoteServices/backupAgentsManagement/"
                  "serverAgentsQuota','value':'12'},"
                  "{'op':'test','path':'" QUOTA "','value':'10'}]",
                  "{'name':'R','resellerServices':{'remoteServices':{'backupAgentsManagement':"
                  "{'workstationAgentsQuota':10,'serverAgentsQuota':12}}}}");
    expect_error(reseller(), RESELLER, "[{'op':'replace','path':'" QUOTA "','value':'abc'}]", 0,
                 QUOTA, "The value 'abc' is not valid for '" QUOTA "': an integer is expected.");
    expect_error(reseller(), RESELLER, "[{'op':'replace','path':'" QUOTA "','value':'4.5'}]", 0,
                 QUOTA, "an integer is expected.");
}
END_TEST

START_TEST(enum_from_text_any_case)
{
    expect_result(company(), COMPANY, "[{'op':'replace','path':'/status','value':'disabled'}]",
                  "{'name':'Acme','status':'Disabled','isRestAccessEnabled':false,"
                  "'ownerCredentials':{'userName':'acme'}}");
    expect_result(company(), COMPANY,
                  "[{'op':'test','path':'/status','value':'ACTIVE'},"
                  "{'op':'remove','path':'/status'}]",
                  "{'name':'Acme','isRestAccessEnabled':false,'ownerCredentials':{'userName':'acme'}}");
    expect_error(company(), COMPANY, "[{'op':'replace','path':'/status','value':'Sleeping'}]", 0,
                 "/status",
                 "The value 'Sleeping' is not valid for '/status': it must be one of: Active, Disabled");
    expect_error(company(), COMPANY, "[{'op':'test','path':'/status','value':'disabled'}]", 0,
                 "/status", "'/status' is 'Active', not 'Disabled'.");
}
END_TEST

START_TEST(boolean_and_object_from_text)
{
    expect_result(company(), COMPANY,
                  "[{'op':'replace','path':'/isRestAccessEnabled','value':'true'},"
                  "{'op':'add','path':'/isAlarmDetectEnabled','value':'False'}]",
                  "{'name':'Acme','status':'Active','isRestAccessEnabled':true,"
                  "'isAlarmDetectEnabled':false,'ownerCredentials':{'userName':'acme'}}");
    expect_error(company(), COMPANY,
                 "[{'op':'replace','path':'/isRestAccessEnabled','value':'yes'}]", 0,
                 "/isRestAccessEnabled", "true or false is expected.");
    expect_result(company(), COMPANY,
                  "[{'op':'replace','path':'/ownerCredentials',"
                  "'value':'{\\'userName\\':\\'boss\\'}'}]",
                  "{'name':'Acme','status':'Active','isRestAccessEnabled':false,"
                  "'ownerCredentials':{'userName':'boss'}}");
    expect_error(company(), COMPANY,
                 "[{'op':'replace','path':'/ownerCredentials','value':'boss'}]", 0,
                 "/ownerCredentials", "a JSON object is expected.");
}
END_TEST

START_TEST(text_stays_text_where_the_schema_says_nothing)
{
    /* name is a string; custom is an additional property of unknown type */
    expect_result(company(), COMPANY,
                  "[{'op':'replace','path':'/name','value':'450'},"
                  "{'op':'add','path':'/custom','value':'450'}]",
                  "{'name':'450','status':'Active','isRestAccessEnabled':false,"
                  "'ownerCredentials':{'userName':'acme'},'custom':'450'}");
    /* without a schema nothing is coerced */
    expect_result(NULL, RESELLER, "[{'op':'replace','path':'" QUOTA "','value':'450'}]",
                  "{'name':'R','resellerServices':{'remoteServices':{'backupAgentsManagement':"
                  "{'workstationAgentsQuota':'450'}}}}");
}
END_TEST

START_TEST(result_must_match_the_schema)
{
    expect_error(company(), COMPANY, "[{'op':'replace','path':'/name','value':5}]", -1, "",
                 "The patched document is not valid at 'name': Value must be of type string.");
    expect_error(company(), COMPANY, "[{'op':'remove','path':'/ownerCredentials'}]", -1, "",
                 "The patched document is not valid at 'ownerCredentials': The property is "
                 "required.");
    expect_error(company(), COMPANY, "[{'op':'replace','path':'','value':[]}]", -1, "",
                 "The patched document is not valid: Value must be of type object.");
    expect_error(company(), COMPANY,
                 "[{'op':'add','path':'/instanceUid','value':'not-a-uuid'}]", -1, "",
                 "at 'instanceUid': Value is not a valid UUID.");
    /* an invalid intermediate state is fine when the end result is valid */
    expect_result(company(), COMPANY,
                  "[{'op':'remove','path':'/ownerCredentials'},"
                  "{'op':'add','path':'/ownerCredentials','value':{'userName':'x'}}]",
                  "{'name':'Acme','status':'Active','isRestAccessEnabled':false,"
                  "'ownerCredentials':{'userName':'x'}}");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("jsonpatch");
    TCase *ops = tcase_create("operations");
    tcase_add_test(ops, add_members_and_elements);
    tcase_add_test(ops, remove_members_and_elements);
    tcase_add_test(ops, replace_values);
    tcase_add_test(ops, move_values);
    tcase_add_test(ops, copy_values);
    tcase_add_test(ops, test_values);
    tcase_add_test(ops, operation_names_ignore_case);
    tcase_add_test(ops, missing_paths);
    tcase_add_test(ops, bad_array_indexes);
    tcase_add_test(ops, dash_only_for_add);
    tcase_add_test(ops, move_and_copy_sources);
    tcase_add_test(ops, move_into_own_child);
    tcase_add_test(ops, malformed_operations);
    tcase_add_test(ops, failing_third_operation_changes_nothing);
    tcase_add_test(ops, error_may_be_null);
    tcase_add_test(ops, rfc6902_appendix_a);
    tcase_add_test(ops, rfc6902_a13_duplicate_members);
    tcase_add_test(ops, pointer_escapes);
    tcase_add_test(ops, paths_must_be_json_pointers);
    tcase_add_test(ops, single_operation_object);
    tcase_add_test(ops, too_many_operations);
    tcase_add_test(ops, depth_is_bounded);
    tcase_add_test(ops, inserted_size_is_bounded);
    tcase_add_test(ops, long_texts_are_cut_in_messages);
    suite_add_tcase(s, ops);
    TCase *vspc = tcase_create("contract");
    tcase_add_unchecked_fixture(vspc, load, unload);
    tcase_set_timeout(vspc, 60);
    tcase_add_test(vspc, integer_from_text);
    tcase_add_test(vspc, enum_from_text_any_case);
    tcase_add_test(vspc, boolean_and_object_from_text);
    tcase_add_test(vspc, text_stays_text_where_the_schema_says_nothing);
    tcase_add_test(vspc, result_must_match_the_schema);
    suite_add_tcase(s, vspc);
    return test_run_suite(s, CK_FORK);
}
