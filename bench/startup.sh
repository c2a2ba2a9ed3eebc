#!/usr/bin/env bash
# bench/startup.sh — how long the emulator takes to load and index the
# contract and to be ready to serve, over RUNS starts (default 10).
# Budget (issue 2): contract load + index under 300 ms.
#   bench/startup.sh            # builds if needed, plain HTTP on a free port
#   RUNS=20 bench/startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-10}
[ -x build/vspc-emulator ] || ./dev.sh build >/dev/null
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
load=() ready=()
for _ in $(seq "$RUNS"); do
    log=$(mktemp)
    ./build/vspc-emulator --tls off --port 0 --bind 127.0.0.1 --data-dir "$data" >"$log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do grep -q "ready in" "$log" && break; sleep 0.05; done
    kill "$pid"; wait "$pid" || true
    load+=("$(sed -n 's/.*indexed in \([0-9.]*\) ms.*/\1/p' "$log")")
    ready+=("$(sed -n 's/.*ready in \([0-9]*\) ms.*/\1/p' "$log")")
    rm -f "$log"
done
python3 - "${load[*]}" "${ready[*]}" <<'PY'
import statistics, sys
load = [float(x) for x in sys.argv[1].split()]
ready = [float(x) for x in sys.argv[2].split()]
budget = 300.0
print(f"runs: {len(load)}")
print(f"contract load + index (3 documents, 2791 operations): median {statistics.median(load):.1f} ms, "
      f"max {max(load):.1f} ms = {max(load) / budget:.2f} of the 300 ms budget")
print(f"process start to ready: median {statistics.median(ready):.0f} ms, max {max(ready):.0f} ms")
PY
