#!/usr/bin/env bash
# bench/cost.sh — what one request costs the server, counted rather than
# timed: instructions executed (valgrind's callgrind) per request of the
# companies page as the administrator (b), as a reseller administrator (bR)
# and as a company owner (bC), each ratio against (b) of the same run.
#
# Throughput on a shared 2-core machine moves by a third from one run to
# the next (bench/queries.sh reports the spread); an instruction count does
# not, so this is where a difference of a few percent between two callers
# of the same route shows. Only list requests are counted, after a warm-up
# batch of the same size (see count), with --throttling off so that nothing
# but the request is measured.
#
#   bench/cost.sh                         # 1,000 companies, 300 requests per case
#   COMPANIES=100000 REQUESTS=100 bench/cost.sh
#   BIN=build-x/vspc-emulator bench/cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
COMPANIES=${COMPANIES:-1000}
REQUESTS=${REQUESTS:-300}
PORT=${PORT:-18182}
BIN=${BIN:-build/vspc-emulator}
[ -x "$BIN" ] || ./dev.sh build >/dev/null
command -v valgrind >/dev/null || { sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo;
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq valgrind curl; }

base="http://127.0.0.1:$PORT"
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

token() { bench_token "$1" "$2" "$base"; }

# serve DIR [valgrind...]: starts the server on DIR (pid in $pid), waits for ready
serve() {
    local dir=$1
    shift
    "$@" "$BIN" --tls off --bind 127.0.0.1 --port "$PORT" --data-dir "$dir" \
        --scale "companies=$COMPANIES" --throttling off --log-level warn >"$dir.log" 2>&1 &
    pid=$!
    wait_ready "$dir.log" 1200
}

# count CASE LOGIN PASSWORD -> instructions per request. The token is taken
# from the same data directory served without valgrind first (its signing
# key and sessions are in the directory), so that what valgrind counts —
# everything inside on_request — is list requests and nothing else. A first
# batch of REQUESTS warms the server (statements prepared, pages cached, a
# scoped total counted once and kept) and is dumped apart; the second batch
# is what is reported.
count() {
    local dir="$work/data.$1" out="$work/callgrind.$1" tok codes
    mkdir -p "$dir"
    serve "$dir"
    tok=$(token "$2" "$3")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    serve "$dir" valgrind --tool=callgrind --toggle-collect=on_request --callgrind-out-file="$out"
    for _ in $(seq "$REQUESTS"); do
        printf 'url = "%s/api/v3/organizations/companies"\noutput = /dev/null\n' "$base"
    done >"$work/urls"
    codes=$(curl -s -H "Authorization: Bearer $tok" -K "$work/urls" -w '%{http_code}\n')
    # the dump is taken when the server next runs: at the second batch's start
    callgrind_control -d "$pid" >/dev/null 2>&1
    codes=$(printf '%s\n' "$codes" \
        "$(curl -s -H "Authorization: Bearer $tok" -K "$work/urls" -w '%{http_code}\n')" |
        sort -u | tr '\n' ' ')
    kill "$pid"; wait "$pid" 2>/dev/null || true
    pid=""
    [ "$codes" = "200 " ] || { echo "$1: answers were $codes" >&2; exit 1; }
    # "$out".1 holds the first batch; "$out", written at exit, the second
    [ -f "$out.1" ] || { echo "$1: no dump of the first batch" >&2; exit 1; }
    callgrind_annotate "$out" 2>/dev/null |
        awk -v n="$REQUESTS" '/PROGRAM TOTALS/ { gsub(",", "", $1); printf "%.0f\n", $1 / n }'
}

b=$(count b administrator Password1)
bR=$(count bR nimbus.admin 'NimbusAdmin#2026')
bC=$(count bC alphauser 'Alphauser#2026')
printf '| case | companies | instructions per request | ratio to (b) |\n|---|---|---|---|\n'
for c in b bR bC; do
    printf '| %s | %s | %s | %s |\n' "$c" "$COMPANIES" "${!c}" "$(python3 -c "print(f'{${!c}/$b:.2f}')")"
done
