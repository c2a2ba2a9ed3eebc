#!/usr/bin/env bash
# bench/peers.sh — the emulator next to two other mock servers, in one run:
# Stoplight Prism (mock mode, the same 3.6.1 contract) and json-server (a
# db.json of the very 1,000 companies the emulator serves, fetched from it).
# Cases (a) one company by UID, (b) a page of 100, (c) a filter and a two-key
# sort; wrk on loopback, keep-alive, 2 threads, the same settings for all.
# Then each server's start-up time (start to first 2xx, curl every 10 ms)
# and its RSS after the load.
#
#   bench/peers.sh                                   # 16 and 64 connections, 10 s, 3 rounds
#   CONNS=16 DURATION=3s ROUNDS=1 STARTS=1 bench/peers.sh   # a quick look
#
# The peers come from npm into bench/peers/node_modules (versions pinned in
# bench/peers/package.json). Ports PORT..PORT+2 (default 18280). EMULATOR
# picks the binary (default build/vspc-emulator, built if missing).
# Other knobs: STARTS (start-ups per server, 3), WRK_TIMEOUT (10s).
set -euo pipefail
cd "$(dirname "$0")/.."
CONNS=${CONNS:-"16 64"}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
STARTS=${STARTS:-3}
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}
PORT=${PORT:-18280}
EMULATOR=${EMULATOR:-build/vspc-emulator}
COMPANIES=1000
SPEC=schema/vspc-rest-3.6.1.json
[ -f "$SPEC" ] || SPEC=../shared/contract/vspc-rest-3.6.1.json
[ -f "$SPEC" ] || { echo "peers.sh: no vspc-rest-3.6.1.json in schema/ or ../shared/contract/" >&2; exit 1; }

die() { echo "peers.sh: $*" >&2; exit 1; }
command -v wrk >/dev/null || { sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo;
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk curl; }
command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed (node >= 18.20)"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>18||(a==18&&b>=20)?0:1)' ||
    die "node $(node --version) is too old for prism-cli 5.14 (needs >= 18.20)"
if [ "$EMULATOR" = build/vspc-emulator ] && [ ! -x "$EMULATOR" ]; then ./dev.sh build >/dev/null; fi
[ -x "$EMULATOR" ] || die "no emulator binary at $EMULATOR"
if ! npm ls --prefix bench/peers >/dev/null 2>&1; then
    echo "peers.sh: installing the peers into bench/peers/node_modules" >&2
    npm install --prefix bench/peers --no-audit --no-fund --no-package-lock --loglevel=error >&2 ||
        die "npm install in bench/peers failed (is the npm registry reachable?)"
fi
PRISM=bench/peers/node_modules/.bin/prism
JSONSERVER=bench/peers/node_modules/.bin/json-server
[ -x "$PRISM" ] && [ -x "$JSONSERVER" ] || die "prism or json-server missing from bench/peers/node_modules"
prism_version=$(node -p 'require("./bench/peers/node_modules/@stoplight/prism-cli/package.json").version')
js_version=$(node -p 'require("./bench/peers/node_modules/json-server/package.json").version')

tmp=$(mktemp -d)
pids=()
cleanup() {
    local p
    for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]+"${pids[@]}"}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap "exit 143" INT TERM

emu_port=$PORT js_port=$((PORT + 1)) prism_port=$((PORT + 2))
emu="http://127.0.0.1:$emu_port" js="http://127.0.0.1:$js_port" prism="http://127.0.0.1:$prism_port"
python3 bench/peers/prism_spec.py "$SPEC" "$tmp/prism-spec.json"

# start NAME -> starts one server in the background, its pid in $started
# (the emulator on a fresh data dir each time: it builds its 1,000 companies
# as the peers load theirs)
start() {
    case $1 in
    emulator) rm -rf "$tmp/data"
              "$EMULATOR" --tls off --bind 127.0.0.1 --port "$emu_port" --data-dir "$tmp/data" \
                  --scale "companies=$COMPANIES" --appsettings bench/appsettings.json \
                  --log-level warn >"$tmp/emulator.log" 2>&1 & ;;
    json-server) "$JSONSERVER" --watch "$tmp/db.json" --host 127.0.0.1 --port "$js_port" --quiet \
                  >"$tmp/json-server.log" 2>&1 & ;;
    prism)    "$PRISM" mock -h 127.0.0.1 -p "$prism_port" -v warn "$tmp/prism-spec.json" \
                  >"$tmp/prism.log" 2>&1 & ;;
    esac
    started=$!
    pids+=("$started")
}
# probe NAME -> one request that the server answers 2xx once it is serving
probe() {
    case $1 in
    emulator) curl -sf -o /dev/null -d grant_type=password -d username=administrator -d password=Password1 \
                  "$emu/api/v3/token" ;;
    json-server) curl -sf -o /dev/null "$js/companies?_limit=1" ;;
    prism)    curl -sf -o /dev/null -H "Authorization: Bearer x" "$prism/api/v3/about" ;;
    esac
}
# up NAME -> starts it, waits for its first 2xx (curl every 10 ms, 120 s at
# most) and prints the milliseconds from the start
up() {
    local t0
    t0=$(date +%s%N)
    start "$1"
    for _ in $(seq 12000); do
        probe "$1" && { echo $((($(date +%s%N) - t0) / 1000000)); return; }
        kill -0 "$started" 2>/dev/null || break
        sleep 0.01
    done
    echo "peers.sh: $1 did not answer; its log:" >&2; cat "$tmp/$1.log" >&2; exit 1
}
# down PID -> stops one server started here and forgets it
down() {
    local p keep=()
    kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true
    for p in "${pids[@]+"${pids[@]}"}"; do [ "$p" = "$1" ] || keep+=("$p"); done
    pids=("${keep[@]+"${keep[@]}"}")
}
# rss PID -> MiB resident of the process and all its descendants
rss_kib() {
    local kib c
    kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || true)
    kib=${kib:-0}
    for c in $(pgrep -P "$1" || true); do kib=$((kib + $(rss_kib "$c"))); done
    echo "$kib"
}
rss() { awk -v k="$(rss_kib "$1")" 'BEGIN { printf "%.1f", k / 1024 }'; }

# the emulator first: its token, a UID, and the db.json of all its companies
up emulator >/dev/null; emu_pid=$started
VSPC_BENCH_TOKEN=$(curl -s -d grant_type=password -d username=administrator -d password=Password1 \
    "$emu/api/v3/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
export VSPC_BENCH_TOKEN
auth="Authorization: Bearer $VSPC_BENCH_TOKEN"
uid=$(curl -s -H "$auth" "$emu/api/v3/organizations/companies?limit=1" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["instanceUid"])')
n=$(python3 bench/peers/make_db.py "$emu" "$VSPC_BENCH_TOKEN" "$tmp/db.json")
[ "$n" = "$COMPANIES" ] || die "db.json holds $n companies, not $COMPANIES"
up json-server >/dev/null; js_pid=$started
up prism >/dev/null; prism_pid=$started

enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
FILTER=$(enc '[{"property":"status","operation":"equals","value":"Active"}]')
SORT=$(enc '[{"property":"name","direction":"ascending"},{"property":"resellerUid","direction":"descending"}]')

# url CASE SERVER -> the URL of that case on that server ("" = skipped)
url() {
    case $1:$2 in
    a:emulator)    echo "$emu/api/v3/organizations/companies/$uid" ;;
    a:json-server) echo "$js/companies/$uid" ;;
    a:prism)       echo "$prism/api/v3/organizations/companies/$uid" ;;
    b:emulator)    echo "$emu/api/v3/organizations/companies?limit=100" ;;
    b:json-server) echo "$js/companies?_limit=100" ;;
    b:prism)       echo "$prism/api/v3/organizations/companies" ;;
    c:emulator)    echo "$emu/api/v3/organizations/companies?filter=$FILTER&sort=$SORT" ;;
    c:json-server) echo "$js/companies?status=Active&_sort=name,resellerUid&_order=asc,desc&_limit=100" ;;
    c:prism)       echo "" ;;
    esac
}
# every URL answers 2xx before any load, with its size
declare -A bytes
for case in a b c; do
    for s in emulator json-server prism; do
        u=$(url "$case" "$s"); [ -n "$u" ] || continue
        out=$(curl -s -o "$tmp/body" -w '%{http_code} %{size_download}' -H "$auth" "$u" || true)
        [ "${out%% *}" -ge 200 ] && [ "${out%% *}" -lt 300 ] ||
            die "$s answers ${out%% *} to case $case ($u): $(head -c 300 "$tmp/body")"
        bytes[$case:$s]=${out##* }
    done
done

# run URL CONNS -> "req/s p99 errors" (errors: socket errors, timeouts and
# status >= 400). The peers' tails pass wrk's 2 s default timeout, which would
# drop their slowest requests from the p99, hence WRK_TIMEOUT for all three.
run() { wrk -t2 -c"$2" -d"$DURATION" --timeout "$WRK_TIMEOUT" --latency -s bench/wrk.lua "$1" | sed -n 's/^RESULT //p'; }

echo "peers: Prism $prism_version (mock, static examples), json-server $js_version; $COMPANIES companies;" \
     "wrk -t2 -d$DURATION --timeout $WRK_TIMEOUT, $ROUNDS round(s) alternating the emulator and the peer"
echo
printf '| case | conns | emulator req/s | peer | peer req/s | ratio emulator/peer (spread) | emulator p99 ms | peer p99 ms | errors (emulator/peer) | bytes (emulator/peer) |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
for case in a b c; do
    for c in $CONNS; do
        for s in json-server prism; do
            u=$(url "$case" "$s")
            if [ -z "$u" ]; then
                printf '| %s | %s | | %s | skipped | | | | | |\n' "$case" "$c" "$s"
                continue
            fi
            # the emulator and the peer alternate ROUNDS times, so that a
            # noisy moment of the machine weighs on both
            rounds=""
            for _ in $(seq "$ROUNDS"); do
                read -r rps p99 errs <<<"$(run "$(url "$case" emulator)" "$c")"
                read -r prps pp99 perrs <<<"$(run "$u" "$c")"
                rounds="$rounds $rps:$prps:$p99:$pp99:$errs:$perrs"
            done
            python3 - "$case" "$c" "$s" "${bytes[$case:emulator]}/${bytes[$case:$s]}" $rounds <<'PY'
import statistics, sys
case, c, peer, size = sys.argv[1:5]
runs = [tuple(float(x) for x in r.split(":")) for r in sys.argv[5:]]
ratios = sorted(r[0] / r[1] if r[1] else float("inf") for r in runs)
med = lambda i: statistics.median(r[i] for r in runs)
print(f"| {case} | {c} | {med(0):.0f} | {peer} | {med(1):.0f} | {statistics.median(ratios):.2f} "
      f"({ratios[0]:.2f}-{ratios[-1]:.2f}) | {med(2):.1f} | {med(3):.1f} | "
      f"{int(sum(r[4] for r in runs))}/{int(sum(r[5] for r in runs))} | {size} |")
PY
        done
    done
done
echo
echo "(a) /api/v3/organizations/companies/{uid} | json-server /companies/{id};" \
     "(b) ?limit=100 | json-server ?_limit=100 | Prism the same path, its example answer;" \
     "(c) filter status=Active, sort name asc, resellerUid desc | json-server ?status=Active&_sort=name,resellerUid&_order=asc,desc&_limit=100;" \
     "Prism skipped in (c): a mock applies no filter or sort, so it would repeat (b)."
echo "json-server answers the same companies pretty-printed (hence more bytes); Prism answers the contract's" \
     "example (one company a page). Errors: socket errors, timeouts (> $WRK_TIMEOUT) and statuses >= 400."

# resident memory after the load, then the start-ups, each server alone
declare -A mem
mem[emulator]=$(rss "$emu_pid"); mem[json-server]=$(rss "$js_pid"); mem[prism]=$(rss "$prism_pid")
down "$emu_pid"; down "$js_pid"; down "$prism_pid"
declare -A ups
for s in emulator json-server prism; do
    ups[$s]=""
    for _ in $(seq "$STARTS"); do
        up "$s" >"$tmp/ms"; down "$started"
        ups[$s]="${ups[$s]} $(cat "$tmp/ms")"
    done
done
echo
printf '| server | start-up ms (median of %s; all) | RSS MiB after the load |\n|---|---|---|\n' "$STARTS"
for s in emulator json-server prism; do
    med=$(python3 -c 'import statistics,sys; print(round(statistics.median(float(x) for x in sys.argv[1:])))' ${ups[$s]})
    printf '| %s | %s (%s) | %s |\n' "$s" "$med" "$(echo ${ups[$s]} | tr ' ' ',')" "${mem[$s]}"
done
echo
echo "start-up: from the start command to the first 2xx (emulator: POST /api/v3/token on a fresh data dir," \
     "building $COMPANIES companies; json-server: GET /companies?_limit=1 loading db.json; Prism: GET /api/v3/about" \
     "loading the 3.6.1 contract), polled with curl every 10 ms."
