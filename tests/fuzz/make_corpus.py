#!/usr/bin/env python3
"""make_corpus.py — writes the seed corpus of every fuzz target into
tests/fuzz/corpus/<target>/, one small file per seed.

Seeds come from the 3.6.1 contract (paths, operations, request-body schemas)
and from the shapes of the REST overview's filter, sort, select and JSON
Patch examples, restated as data. libFuzzer only reads the files; run this
again after changing the seeds below (it replaces the seeds it wrote and
leaves files it did not write alone).

Usage: tests/fuzz/make_corpus.py [schema/vspc-rest-3.6.1.json]
"""
import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
UUID = "eb866e8f-a0f5-41f4-9dd9-8cc59266ff25"
METHODS = ["get", "post", "put", "patch", "delete"]


def write(target, seeds):
    """Each seed (bytes or str) becomes corpus/<target>/seed-<digest>."""
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if name.startswith("seed-"):
            os.remove(os.path.join(folder, name))
    for seed in seeds:
        data = seed.encode() if isinstance(seed, str) else seed
        digest = hashlib.sha1(data).hexdigest()[:12]
        with open(os.path.join(folder, "seed-" + digest), "wb") as f:
            f.write(data)


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


# ---- from the contract ------------------------------------------------------

def router_seeds(doc):
    """A sample of the contract's paths, parameters filled, under each
    method byte; plus spellings the router must tolerate or refuse."""
    seeds = []
    paths = sorted(doc["paths"])
    for i, path in enumerate(paths):
        if i % 12 and not path.endswith("/"):
            continue
        concrete = re.sub(r"\{[^}]+\}", UUID, path)
        for m, method in enumerate(METHODS):
            if method in doc["paths"][path]:
                seeds.append(bytes([m]) + concrete.encode())
    seeds += [b"\x00/ORGANIZATIONS/companies", b"\x00/organizations/companies/",
              b"\x05/about", b"\x01/about", b"\x00/", b"\x00", b"\x00//",
              b"\x00/organizations/companies/" + UUID.upper().encode(),
              b"\x00/plugins", b"\x00/a" * 40]
    return seeds


def skeleton(doc, schema, depth=0):
    """A small value of schema: required members only, first enum member."""
    schemas = doc["components"]["schemas"]
    while "$ref" in schema:
        schema = schemas[schema["$ref"].split("/")[-1]]
    if "allOf" in schema:
        return skeleton(doc, schema["allOf"][0], depth)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if kind == "object":
        if depth > 4:
            return {}
        props = schema.get("properties", {})
        return {name: skeleton(doc, props[name], depth + 1)
                for name in schema.get("required", []) if name in props}
    if kind == "array":
        return [skeleton(doc, schema.get("items", {}), depth + 1)]
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return True
    fmt = schema.get("format")
    return UUID if fmt == "uuid" else "2026-01-02T03:04:05Z" if fmt == "date-time" else "x"


def schema_seeds(doc):
    seeds = [compact(skeleton(doc, {"$ref": "#/components/schemas/" + name}))
             for name in ["CompanyInput", "UserInput", "ResellerInput", "Company"]]
    seeds += [
        compact({"organizationInput": {"name": "Gamma"},
                 "ownerCredentials": {"userName": "gammauser", "password": "Gamma#2026"},
                 "resellerUid": None, "isRestAccessEnabled": "true",
                 "companyServices": {"backupAgentsQuota": {"serverAgentsQuota": -1}}}),
        compact([{"op": "replace", "path": "/name", "value": "x"}, {"op": "remove"}]),
        "null", "[]", "{}", '"text"', "1e999",
    ]
    return seeds


def params_seeds():
    """Byte 0 picks the harness's operation (see fuzz_params.c)."""
    return [
        b"\x00limit=10\noffset=5\nexpand=[\"Organization\"]\n:X-Request-id=" + UUID.encode(),
        b"\x00limit=-1", b"\x00limit=501", b"\x00offset=1e3\nexpand=Organization\nexpand=x",
        b"\x01from=2026-01-02T03:04:05Z\nto=2026-13-01\norganizationUid=" + UUID.encode(),
        b"\x01activityLogKind=user\ndateSortingDirection=DESCENDING",
        b"\x02siteFilter=[\"" + UUID.encode() + b"\"]\norganizationFilter=nope",
        b"\x03/" + UUID.encode() + b"\n/" + UUID.upper().encode() + b"\nremoveRestorePoints=TRUE",
        b"\x03/nope\nremoveRestorePoints=maybe",
        b"\x04/2026-02-29", b"\x04/2024-02-29", b"\x05/42", b"\x05/4x2",
        b"\x06/" + UUID.encode() + b"\ndateTime=2026-01-02\ntest=false",
        b"\x07/" + UUID.encode() + b"\n/" + UUID.encode() + b"\nnameSortingDirection=asc",
        # messages quoting text that is not UTF-8, or cut inside a character
        b"\x00limit=1\xff", b"\x00limit=" + "\u00e9".encode() * 300,
        b"\x02siteFilter=[{\"note\":\"" + b"0" * 300 + b"\"}]",
    ]


# ---- restated from the REST overview's examples ----------------------------

def leaf(prop, operation, value, collation=None, **extra):
    e = {"property": prop, "operation": operation, "value": value}
    if collation:
        e["collation"] = collation
    e.update(extra)
    return e


FILTERS = [
    [leaf("lastActivation.status", "equals", "error", "ignorecase")],
    [{"operation": "or", "items": [leaf("role", "equals", "PortalAdministrator"),
                                   leaf("role", "equals", "PortalOperator")]}],
    # what the PHP clients send: every leaf carries "items": null
    [leaf("name", "equals", "Alpha", "ordinal", items=None)],
    [{"operation": "and", "items": [leaf("status", "equals", "Active", items=None),
                                    leaf("name", "contains", "a", "ignorecase", items=None)]}],
    [leaf("name", "in", ["Alpha", "Beta"])],
    [leaf("scopes", "subset", ["integration", "rest"])],
    [leaf("scopes", "superset", ["rest"])],
    [leaf("scopes", "contains", "rest")],
    [leaf("repeatCount", "greaterThanOrEqual", 2)],
    [leaf("repeatCount", "lessThan", "10")],
    [leaf("isRestAccessEnabled", "notEquals", True)],
    [leaf("creationTime", "greaterThan", "2020-01-01T00:00:00+02:00")],
    [leaf("instanceUid", "equals", UUID.upper())],
    [leaf("name", "lessThanOrEqual", "Item 10", "lexicographic")],
    [leaf("subscriptionPlanUid", "equals", None)],
    [{"operation": "not", "items": [leaf("status", "equals", "Disabled")]}],
    [{"operation": "exclusiveOr", "items": [leaf("name", "equals", "Alpha"),
                                            {"operation": "not", "items": [
                                                leaf("status", "equals", "Active")]}]}],
    {"property": "name", "operation": "equals", "value": "Alpha"},
    [], [{"operation": "and", "items": []}], [{"operation": "xor"}],
    # found by fuzz_filter: number text out of json_int_t's range
    [leaf("repeatCount", "equals", "1e300")], [leaf("repeatCount", "lessThan", "nan")],
    # found by fuzz_filter: a 999-deep AND chain that SQLite refuses
    [leaf("scopes", "superset", ["rest"] * 999)],
    # a message quoting a long name, cut inside a character
    [leaf("\u00e9" * 300, "equals", 1)],
]

SORTS = [
    [{"property": "usedStorageQuota", "direction": "descending", "collation": "lexicographic"}],
    [{"property": "type", "direction": "ascending"}, {"property": "currency", "direction": "ascending"}],
    [{"property": "name", "direction": "descending", "collation": "ignorecase"},
     {"property": "status"}],
    {"property": "lastActivation.time", "direction": "ascending"},
    [{"property": "repeatCount", "collation": "ordinal"}],
    [{"property": "scopes"}], [{"direction": "sideways", "property": "name"}], [],
    [{"property": "\u00e9" * 300}],
]

SELECTS = [
    [{"propertyPath": "instanceUid"}, {"propertyPath": "name"}, {"propertyPath": "status"}],
    [{"propertyPath": "lastActivation.status"}, {"propertyPath": "object.computerName"}],
    [{"propertyPath": "companyServices.remoteServices.backupAgentsManagement"}],
    {"propertyPath": "userName"}, ["name"], [{"propertyPath": "a..b"}], [{}], [],
    [{"propertyPath": "\u00e9" * 300}],
]

PATCHES = [
    {"op": "replace", "path": "/quota/workstationsQuota", "value": "450"},
    {"op": "replace", "path": "/status", "value": "Running"},
    [{"op": "replace", "path": "mfaPolicyStatus", "value": "enabled"}],
    [{"op": "replace", "path": "/mfaPolicyStatus", "value": "disabled"}],
    [{"op": "test", "path": "/name", "value": "Alpha"},
     {"op": "replace", "path": "/name", "value": "Alpha Ltd"}],
    [{"op": "add", "path": "/loginUrl", "value": "https://portal.example.com"},
     {"op": "copy", "from": "/loginUrl", "path": "/ownerCredentials/userName"},
     {"op": "move", "from": "/ownerCredentials/userName", "path": "/name"}],
    [{"op": "remove", "path": "/subscriptionPlanUid"}],
    [{"op": "REPLACE", "path": "/isRestAccessEnabled", "value": "true"}],
    [{"op": "add", "path": "/scopes/-", "value": "rest"}],
    [{"op": "add", "path": "/a~1b/~0c", "value": {"d": [1, 2]}}],
    [{"op": "replace", "path": "", "value": {}}],
    [{"op": "replace", "path": "/companyServices", "value": "{\"remoteServices\":null}"}],
    [{"op": "move", "from": "/name", "path": "/name/x"}], [], {},
]

FORMS = [
    "grant_type=password&username=vspc%5Cadministrator&password=Password1",
    "grant_type=refresh_token&refresh_token=eyJ0eXAiOiJKV1QifQ.e30.c2ln",
    "grant_type=as&refresh_token=a.b.c&userUid=" + UUID,
    "grant_type=mfa&mfa_token=a.b.c&mfa_code=123456",
    "grant_type=password&username=operator&password=Operator%232026&readOnly=true",
    "password=Password1%00anything", "a+b=c+d&&e=&f", "=x", "a=%zz", "a=%ff%fe",
]


def multipart(boundary, parts, quoted=False):
    ct = "multipart/form-data; boundary=" + ('"%s"' % boundary if quoted else boundary)
    body = b""
    for headers, content in parts:
        body += b"--" + boundary.encode() + b"\r\n" + headers + b"\r\n\r\n" + content + b"\r\n"
    return ct.encode() + b"\n" + body + b"--" + boundary.encode() + b"--\r\n"


MULTIPARTS = [
    multipart("XyZ", [(b'Content-Disposition: form-data; name="licenseKey"', b"ABC"),
                      (b'Content-Disposition: form-data; name="file"; filename="v.lic"\r\n'
                       b"Content-Type: application/octet-stream", b"bin\0ary")]),
    multipart("q", [(b'Content-Disposition: form-data; name="a"', b"1")], quoted=True),
    multipart("B", [(b'Content-Disposition: form-data; name="pass\0word"', b"x")]),
    multipart("B", [(b"Content-Disposition: form-data", b"1")]),
    b"multipart/form-data; boundary=B\n--Bxx",
]

TOKENS = [
    b"\x00eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
    b"\x00eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", b"\x00a.b.c", b"\x00...", b"\x00",
    b"\x01" + compact({"sub": UUID, "jti": UUID, "iat": 1, "exp": 4102444800, "name": "admin",
                       "role": "PortalAdministrator", "lid": 3, "ro": False,
                       "kind": "access"}).encode(),
    b"\x01" + compact({"sub": UUID, "jti": UUID, "iat": 1, "exp": 4102444800, "name": "a",
                       "role": "r", "lid": "3", "ro": "no", "kind": "refresh",
                       "act": UUID}).encode(),
    b"\x01" + compact({"sub": 7, "jti": None, "exp": 1e300, "kind": ["mfa"]}).encode(),
]

AUTHS = [b"\x00Bearer TOKEN", b"\x01Bearer TOKEN", b"\x00bearer    TOKEN   ",
         b"\x00  BEARER TOKEN", b"\x00Bearer TOKENx", b"\x00Bearer abc.def.ghi",
         b"\x00Bearer 4baccb809a3578f4xZGp74ik1k54wD03Y25fJ7KRIR7oVJsfgyFuQj4yaCFkhQ",
         b"\x00Basic YWRtaW46cGFzcw==", b"\x00Bearer ", b"\x00Bearer\tTOKEN", b"\x00"]

VERSIONS = ["3.6.1", "3.6", "3.5.1", "3.5", "3", "", "3.6.1.0", "4.0", "03.6", "3.6.", ".", "3..5"]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "schema", "vspc-rest-3.6.1.json")
    with open(path) as f:
        doc = json.load(f)
    write("router", router_seeds(doc))
    write("schema", schema_seeds(doc))
    write("params", params_seeds())
    write("filter", [compact(f) for f in FILTERS])
    write("sort", [compact(s) for s in SORTS])
    write("select", [compact(s) for s in SELECTS])
    write("jsonpatch", [compact(p) for p in PATCHES])
    write("form_urlencoded", FORMS)
    write("form_multipart", MULTIPARTS)
    write("token", TOKENS)
    write("auth", AUTHS)
    write("version", VERSIONS)


if __name__ == "__main__":
    main()
