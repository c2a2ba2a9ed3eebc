#!/usr/bin/env bash
# bench/soak.sh — the server under a long mixed load while one address
# attacks it (issue 9). wrk puts DURATION of reads and writes on it over
# CONNS connections from 127.0.0.1; meanwhile bench/soak_attack.py holds
# HOLD idle connections and a trickling client from 127.0.0.2 and sends one
# request every 0.5 s from 127.0.0.3. RSS is sampled every 5 s. A read-only
# run without the attack first gives the baseline read p99.
#
# Reports (targets): answers neither 2xx nor 429 (0), socket errors of the
# load (0), RSS growth from the 10th to the last second (< 5 %), probe
# requests answered during the attack (all), read p99 under attack next to
# the unloaded run.
#
#   bench/soak.sh                          # 60 s, 64 connections, 1,000 held
#   DURATION=20 bench/soak.sh              # a quick look
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
DURATION=${DURATION:-60}
CONNS=${CONNS:-64}
HOLD=${HOLD:-1000}
PORT=${PORT:-18280}
export HOLD

command -v wrk >/dev/null || { sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo;
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk curl; }
[ -x build/vspc-emulator ] || ./dev.sh build >/dev/null

base="http://127.0.0.1:$PORT"
pid=""
data=$(mktemp -d)
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$data" "$data.log" "$data.rss"; }
trap cleanup EXIT

# throttling on, its limits above the load (bench/appsettings.json)
./build/vspc-emulator --tls off --bind 127.0.0.1 --port "$PORT" --data-dir "$data" \
    --scale companies=1000 --appsettings bench/appsettings.json --log-level warn >"$data.log" 2>&1 &
pid=$!
wait_ready "$data.log"
VSPC_BENCH_TOKEN=$(bench_token administrator Password1 "$base")
SOAK_UID=$(curl -s -H "Authorization: Bearer $VSPC_BENCH_TOKEN" "$base/api/v3/organizations/companies?limit=1" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["instanceUid"])')
export VSPC_BENCH_TOKEN SOAK_UID

half=$((CONNS / 2))
# baseline: reads only, no attack
read -r _ base_p99 _ <<<"$(wrk -t1 -c"$half" -d10s --latency -s bench/soak_mix.lua "$base" | sed -n 's/^RESULT //p')"

rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
( for i in $(seq 0 5 "$DURATION"); do echo "$i $(rss)"; sleep 5; done ) >"$data.rss" &
sampler=$!
python3 bench/soak_attack.py "$PORT" "$DURATION" "$VSPC_BENCH_TOKEN" >"$data.attack" &
attacker=$!
SOAK_WRITES=1 wrk -t1 -c"$half" -d"${DURATION}s" --latency -s bench/soak_mix.lua "$base" \
    | sed -n 's/^RESULT //p' >"$data.mix" &
mixer=$!
read -r rps p99 sock bad thr <<<"$(wrk -t1 -c"$half" -d"${DURATION}s" --latency -s bench/soak_mix.lua "$base" | sed -n 's/^RESULT //p')"
wait "$mixer"
read -r mrps mp99 msock mbad mthr <"$data.mix"
wait "$attacker"
wait "$sampler" || true

rss10=$(awk '$1 == 10 {print $2}' "$data.rss")
rssend=$(awk 'END {print $2}' "$data.rss")
growth=$(python3 -c "print(f'{($rssend - $rss10) * 100 / $rss10:.1f}')")
echo "soak: ${DURATION} s, $CONNS connections from 127.0.0.1 ($half reads, $half reads+writes), $HOLD held + 1 trickling from 127.0.0.2"
printf '| figure | value | target |\n|---|---|---|\n'
printf '| answers neither 2xx nor 429 | %d | 0 |\n' $((bad + mbad))
printf '| answers 429 | %d | |\n' $((thr + mthr))
printf '| socket errors of the load | %d | 0 |\n' $((sock + msock))
printf '| requests/s (reads / mix) | %s / %s | |\n' "$rps" "$mrps"
printf '| RSS at 10 s -> end (KiB) | %s -> %s (%s %%) | < 5 %% |\n' "$rss10" "$rssend" "$growth"
printf '| probe from 127.0.0.3 | %s | all |\n' "$(sed 's/^PROBE //' "$data.attack")"
printf '| read p99 ms under attack / unloaded | %s / %s | |\n' "$p99" "$base_p99"
printf '| mix p99 ms under attack | %s | |\n' "$mp99"
rm -f "$data.attack" "$data.mix"
