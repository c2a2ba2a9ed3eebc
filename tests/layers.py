#!/usr/bin/env python3
"""tests/layers.py — the server's folders form layers: a file includes
headers of its own folder or of folders below it, never above.

LAYERS lists the folders from the bottom up (the README's Layout table says
what each holds). Fails, naming the file and the include, when an include
goes up or sideways to a folder not below, or when a folder is missing from
the list."""
import os, re, sys

LAYERS = ["base", "crypto", "contract", "answer", "faults", "store", "world", "auth", "tenancy", "throttle", "app", "request", "async",
          "journal", "metrics", "sim", "handlers", "proxy", "admin", "swagger", "pipeline", "http", "start"]

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "server")
rank = {name: i for i, name in enumerate(LAYERS)}
include = re.compile(r'^#include "([a-z_]+)/[A-Za-z0-9_]+\.h"', re.M)
problems = []
for folder in sorted(os.listdir(root)):
    path = os.path.join(root, folder)
    if not os.path.isdir(path):
        continue
    if folder not in rank:
        problems.append(f"server/{folder}/ is not in LAYERS")
        continue
    for name in sorted(os.listdir(path)):
        if not name.endswith((".c", ".h")):
            continue
        text = open(os.path.join(path, name), encoding="utf-8").read()
        for target in include.findall(text):
            if target not in rank:
                problems.append(f"server/{folder}/{name} includes from unknown folder {target}/")
            elif rank[target] > rank[folder]:
                problems.append(f"server/{folder}/{name} includes {target}/ (above {folder}/)")
for p in problems:
    print(p)
print(f"layers: {len(problems)} problems")
sys.exit(1 if problems else 0)
