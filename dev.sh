#!/usr/bin/env bash
# dev.sh — one entry point for setting up, building, running and testing
# vspc-emulator on Debian 12. Every command first installs the Debian
# packages that are missing (skipped when all are present) and builds.
#
#   ./dev.sh run [server flags]   build and start the emulator (https://localhost:1280)
#   ./dev.sh test                 build and run the whole test suite
#   ./dev.sh sanitize             the suite again, built with -fsanitize=address,undefined
#   ./dev.sh build                build only (build/vspc-emulator)
#   ./dev.sh deps                 install the Debian packages only
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(build-essential meson ninja-build pkg-config python3
          libmicrohttpd-dev libjansson-dev libsqlite3-dev libjwt-dev libssl-dev
          check libcurl4-openssl-dev)

deps() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
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

cmd=${1:-run}
[ $# -gt 0 ] && shift
case "$cmd" in
deps) deps ;;
build) deps && build build ;;
run) deps && build build && exec ./build/vspc-emulator "$@" ;;
test) deps && build build && suite build ;;
sanitize)
    deps
    build build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 suite build-asan
    ;;
*)
    sed -n '2,12p' "$0" >&2
    exit 2
    ;;
esac
