#!/usr/bin/env bash
# bench/writes.sh — create throughput as the world grows (issue 9): parallel
# POST /api/v3/organizations/companies, each with a CompanyInput body of a
# name never used before, measured early (the default world of 10
# companies) and late (after the world has grown by creates to GROW
# companies), on the same server in the same run. Prints creates/s of each
# and the ratio late/early (target >= 0.8: a larger world must not halve the
# rate of writes).
#
#   bench/writes.sh                                   # 10 -> 5,000 companies, 8 connections, 3 s each
#   GROW=2000 DURATION=2s bench/writes.sh              # a quick look
#   BIN=build-x/vspc-emulator bench/writes.sh           # another build
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
GROW=${GROW:-5000}
CONNS=${CONNS:-8}
DURATION=${DURATION:-3s}
PORT=${PORT:-18181}
BIN=${BIN:-build/vspc-emulator}

command -v wrk >/dev/null || { sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo;
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk curl; }
[ -x "$BIN" ] || ./dev.sh build >/dev/null

base="http://127.0.0.1:$PORT"
pid=""
data=$(mktemp -d)
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$data" "$data.log" "$data.lua"; }
trap cleanup EXIT

# Each request a new company: the name carries the phase, the wrk thread
# and a counter, so no two requests of the run clash (a clash is a 409,
# counted as an error). STOP_AFTER ends a thread after that many creates
# (the growing phase); 0 runs for the duration.
cat >"$data.lua" <<'LUA'
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
end
function init(args)
  n = 0
  phase = os.getenv("PHASE") or "x"
  stop_after = tonumber(os.getenv("STOP_AFTER") or "0")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("VSPC_BENCH_TOKEN") or "bench")
end
function request()
  n = n + 1
  local name = string.format("Bench %s %d-%d", phase, id, n)
  local body = string.format('{"organizationInput":{"name":"%s","email":"it@example.com"},'
    .. '"ownerCredentials":{"userName":"%s","password":"Secret123!"}}', name, name:gsub(" ", "."))
  return wrk.format(nil, nil, nil, body)
end
function response(status, headers, body)
  if stop_after > 0 and n >= stop_after then wrk.thread:stop() end
end
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
               + summary.errors.timeout + summary.errors.status
  io.write(string.format("RESULT %.1f %.3f %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000, errors))
end
LUA

# throttling on, its limits above any load here (bench/appsettings.json)
"$BIN" --tls off --bind 127.0.0.1 --port "$PORT" --data-dir "$data" \
    --appsettings bench/appsettings.json --log-level warn >"$data.log" 2>&1 &
pid=$!
wait_ready "$data.log"
VSPC_BENCH_TOKEN=$(bench_token administrator Password1 "$base")
export VSPC_BENCH_TOKEN
url="$base/api/v3/organizations/companies"
companies() { curl -s -H "Authorization: Bearer $VSPC_BENCH_TOKEN" "$url?limit=1" |
              python3 -c 'import json,sys; print(json.load(sys.stdin)["meta"]["pagingInfo"]["total"])'; }

# phase NAME [STOP_AFTER] -> "creates/s p99 errors"
phase() { PHASE=$1 STOP_AFTER=${2:-0} wrk -t2 -c"$CONNS" -d"${3:-$DURATION}" --latency \
              -s "$data.lua" "$url" | sed -n 's/^RESULT //p'; }

before=$(companies)
read -r early early_p99 early_errs <<<"$(phase early)"
at_early=$(companies)
# grow to GROW companies by creates, in rounds of 2 s (a wrk thread that
# stops early still waits out the duration); the 2 threads share the rest
at_late=$at_early
for round in $(seq 1000); do
    [ "$at_late" -ge "$GROW" ] && break
    phase "grow$round" $(((GROW - at_late + 1) / 2)) 2s >/dev/null
    at_late=$(companies)
done
read -r late late_p99 late_errs <<<"$(phase late)"
after=$(companies)
ratio=$(python3 -c "print(f'{$late / $early:.2f}')")

printf '| phase | companies | creates/s | p99 ms | errors |\n|---|---|---|---|---|\n'
printf '| early | %s -> %s | %s | %s | %s |\n' "$before" "$at_early" "$early" "$early_p99" "$early_errs"
printf '| late | %s -> %s | %s | %s | %s |\n' "$at_late" "$after" "$late" "$late_p99" "$late_errs"
printf 'ratio late/early: %s (target >= 0.8), %s connections, %s per phase\n' "$ratio" "$CONNS" "$DURATION"
