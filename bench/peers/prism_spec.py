#!/usr/bin/env python3
"""bench/peers/prism_spec.py IN OUT: the contract with its relative server URL
(/api/v3) moved into the paths, since Prism mocks every path at the root and
ignores a relative server: so Prism answers the emulator's own URLs."""
import json, sys

src, out = sys.argv[1:3]
with open(src) as f:
    doc = json.load(f)
servers = doc.pop("servers", None) or [{"url": ""}]
prefix = servers[0]["url"].rstrip("/")
if prefix.startswith(("http://", "https://")):
    sys.exit(f"prism_spec.py: expected a relative server URL, found {prefix}")
doc["paths"] = {prefix + p: v for p, v in doc["paths"].items()}
with open(out, "w") as f:
    json.dump(doc, f)
