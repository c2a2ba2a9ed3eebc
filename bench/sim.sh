#!/usr/bin/env bash
# bench/sim.sh — what the simulation costs an idle server (issue 14 item 5):
# CPU of a server with --clock fast:60 against the same world on
# --clock manual (nothing moves), over SECONDS (default 30) of no requests,
# from utime+stime of /proc/PID/stat. Target: fast:60 below 5 % of a core.
#   bench/sim.sh                         # 10,000 companies
#   COMPANIES=1000 SECONDS_IDLE=60 bench/sim.sh
set -euo pipefail
cd "$(dirname "$0")/.."
COMPANIES=${COMPANIES:-10000}
SECONDS_IDLE=${SECONDS_IDLE:-30}
[ -x build/vspc-emulator ] || ./dev.sh build >/dev/null
tick=$(getconf CLK_TCK)
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

# cpu_of CLOCK -> "percent-of-a-core" of an idle server on that clock
cpu_of() {
    local clock=$1 dir="$data/$1" log pid
    mkdir -p "$dir"
    log="$dir/log"
    ./build/vspc-emulator --tls off --port 0 --bind 127.0.0.1 --data-dir "$dir" \
        --scale "companies=$COMPANIES" --clock "$clock" >"$log" 2>&1 &
    pid=$!
    for _ in $(seq 1200); do grep -q "ready in" "$log" && break; sleep 0.1; done
    grep -q "ready in" "$log" || { echo "server on $clock did not start" >&2; cat "$log" >&2; exit 1; }
    sleep 3 # what start-up left running (the signing key) ends first
    # and so does a moving clock's first usage count (a step of its own,
    # two ticks after the start: simulation.json "usage"), whose cost is
    # the log's "usage of N organizations counted ... in X ms"
    if [ "$clock" != manual ]; then
        for _ in $(seq 600); do grep -q "organizations counted" "$log" && break; sleep 0.1; done
        sed -n 's/.*\(usage of .* ms\).*/'"$clock"': \1/p' "$log" >&2
        sleep 1
    fi
    # fields 14 and 15 of /proc/PID/stat (after the command in parentheses)
    local a b
    a=$(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')
    sleep "$SECONDS_IDLE"
    b=$(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')
    kill "$pid"; wait "$pid" || true
    awk -v d=$((b - a)) -v t="$tick" -v s="$SECONDS_IDLE" 'BEGIN {printf "%.2f", 100 * d / t / s}'
}

manual=$(cpu_of manual)
fast=$(cpu_of fast:60)
echo "idle CPU over ${SECONDS_IDLE} s, ${COMPANIES} companies: manual ${manual} %, fast:60 ${fast} % of a core"
awk -v m="$manual" -v f="$fast" 'BEGIN {
    printf "simulation adds %.2f points; fast:60 is %s the 5 %% target\n", f - m, (f < 5 ? "below" : "ABOVE") }'
