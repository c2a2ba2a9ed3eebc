#!/usr/bin/env bash
# dev.sh — one entry point for setting up, building, running and testing
# vspc-emulator on Debian 12. Every command first installs the Debian
# packages that are missing (skipped when all are present) and builds.
#
#   ./dev.sh run [server flags]   build and start the emulator (https://localhost:1280)
#   ./dev.sh test                 build and run the whole test suite
#   ./dev.sh sanitize             the suite again, built with -fsanitize=address,undefined
#   ./dev.sh build                build only (build/vspc-emulator)
#   ./dev.sh fuzz [SECONDS]       build the libFuzzer targets with clang (build-fuzz) and
#                                 run each for SECONDS (default 60), two at a time; fails
#                                 on any crash, leak or UndefinedBehaviorSanitizer report
#   ./dev.sh deps                 install the Debian packages only
#   ./dev.sh web                  install Swagger UI's files (npm ci in web/; node and npm
#                                 from Debian when missing); build, run and test do it too
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(build-essential meson ninja-build pkg-config python3
          libmicrohttpd-dev libjansson-dev libsqlite3-dev libjwt-dev libssl-dev
          check libcurl4-openssl-dev)

# The test command's browser: the Swagger UI check runs headless Chromium.
TEST_PACKAGES=(chromium)

# The fuzz command's compiler and its libFuzzer/sanitizer runtimes.
FUZZ_PACKAGES=(clang libclang-rt-14-dev)

# install PACKAGE...: installs those that are missing.
install_missing() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "dev.sh: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

deps() { install_missing "${PACKAGES[@]}"; }

# web: swagger-ui-dist, pinned by web/package-lock.json, into
# web/node_modules (never committed; the server's default --swagger-dir).
# npm ci only when the lock file is newer than what is installed. Install
# scripts are not run (the dist is plain files; one dependency's script
# only reports usage). A machine with node but no npm gets Debian's npm.
web() {
    local dist=web/node_modules/swagger-ui-dist/swagger-ui-bundle.js
    [ -f "$dist" ] && [ "$dist" -nt web/package-lock.json ] && return 0
    if ! command -v npm >/dev/null; then
        command -v node >/dev/null && install_missing npm || install_missing nodejs npm
    fi
    (cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    touch "$dist"
}

# build DIR [meson options...]
build() {
    local dir=$1
    shift
    [ -f "$dir/build.ninja" ] || meson setup "$dir" "$@"
    meson compile -C "$dir"
}

# Prints the closing line from meson's test log: "tests: N passed, M failed".
summary() {
    python3 - "$1/meson-logs/testlog.json" <<'PY'
import json, sys
passed = failed = 0
for line in open(sys.argv[1]):
    result = json.loads(line).get("result")
    if result in ("OK", "EXPECTEDFAIL"):
        passed += 1
    elif result != "SKIP":
        failed += 1
print(f"tests: {passed} passed, {failed} failed")
PY
}

# suite DIR: runs the suite of a build dir and prints its summary.
suite() {
    local status=0
    meson test -C "$1" --print-errorlogs --num-processes 2 || status=$?
    summary "$1"
    return $status
}

# fuzz_one NAME SECONDS OUT: runs target NAME on a scratch copy of its
# corpus (the committed one stays as it is); its log and exit status land
# in OUT/NAME.log and OUT/NAME.status, crash inputs in OUT/NAME-crash-*.
fuzz_one() {
    local name=$1 seconds=$2 out=$3 status=0 dict=() words
    local scratch="$out/corpus-$name"
    rm -rf "$scratch"
    mkdir -p "$scratch"
    cp -R "tests/fuzz/corpus/$name/." "$scratch/"
    case $name in # the dictionary of tokens a target shares with others
    filter | sort | select) words=query ;;
    form_*) words=form ;;
    *) words=$name ;;
    esac
    [ -f "tests/fuzz/$words.dict" ] && dict=(-dict="tests/fuzz/$words.dict")
    "build-fuzz/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$out/$name-" "${dict[@]}" "$scratch" \
        >"$out/$name.log" 2>&1 || status=$?
    echo "$status" >"$out/$name.status"
}

# fuzz SECONDS: every target for SECONDS, two at a time (the CI machine
# has 2 cores); prints executions per target, fails if any target failed.
fuzz() {
    local seconds=${1:-60} out=build-fuzz/fuzz-runs failed=0 name runs
    install_missing "${PACKAGES[@]}" "${FUZZ_PACKAGES[@]}"
    [ -f build-fuzz/build.ninja ] ||
        CC=clang meson setup build-fuzz -Dfuzz=true -Db_lundef=false
    meson compile -C build-fuzz fuzz-targets
    local targets # one corpus folder per target
    targets=$(cd tests/fuzz/corpus && ls -d -- */ | tr -d /)
    rm -rf "$out"
    mkdir -p "$out"
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
    export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
    for name in $targets; do
        while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n || true; done
        fuzz_one "$name" "$seconds" "$out" &
    done
    wait
    for name in $targets; do
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log" | tail -1)
        if [ "$(cat "$out/$name.status")" != 0 ]; then
            failed=1
            echo "fuzz_$name: FAILED after ${runs:-?} executions (log: $out/$name.log)"
            grep -m 8 -E 'ERROR:|runtime error|broken invariant|SUMMARY|Test unit written' \
                "$out/$name.log" | sed 's/^/    /'
        else
            echo "fuzz_$name: ${runs:-?} executions in ${seconds}s, no findings"
        fi
    done
    return $failed
}

cmd=${1:-run}
[ $# -gt 0 ] && shift
case "$cmd" in
deps) deps ;;
web) web ;;
build) deps && web && build build ;;
run) deps && web && build build && exec ./build/vspc-emulator "$@" ;;
test) deps && install_missing "${TEST_PACKAGES[@]}" && web && build build && suite build ;;
sanitize)
    deps
    install_missing "${TEST_PACKAGES[@]}"
    web
    build build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 suite build-asan
    ;;
fuzz) fuzz "${1:-60}" ;;
*)
    sed -n '2,15p' "$0" >&2
    exit 2
    ;;
esac
