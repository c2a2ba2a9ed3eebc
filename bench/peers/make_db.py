#!/usr/bin/env python3
"""bench/peers/make_db.py BASE TOKEN OUT: json-server's db.json from a running
emulator: every company of GET /organizations/companies (paged), each given
an `id` equal to its instanceUid, as {"companies": [...]}."""
import json, sys, urllib.request

base, token, out = sys.argv[1:4]
companies, offset, total = [], 0, None
while total is None or offset < total:
    req = urllib.request.Request(f"{base}/api/v3/organizations/companies?limit=500&offset={offset}",
                                 headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req) as r:
        page = json.load(r)
    total = page["meta"]["pagingInfo"]["total"]
    if not page["data"]:
        break
    companies += [{"id": c["instanceUid"], **c} for c in page["data"]]
    offset += len(page["data"])
if len(companies) != total:
    sys.exit(f"make_db.py: fetched {len(companies)} companies, the emulator says {total}")
with open(out, "w") as f:
    json.dump({"companies": companies}, f)
print(len(companies))
