# bench/lib.sh — what the benchmark scripts share: a token, and waiting for a
# server they started to be ready. Sourced, not run: `. bench/lib.sh`.
#
#   bench_token LOGIN PASSWORD BASE  -> prints an access token (password grant)
#   wait_ready LOG [TRIES] [PAUSE]   -> returns once LOG says "ready in", or
#                                       after TRIES x PAUSE s (600 x 0.5 s);
#                                       the caller's next request shows whether
#                                       it came up

bench_token() {
    curl -s -d grant_type=password -d "username=$1" --data-urlencode "password=$2" \
        "$3/api/v3/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

wait_ready() {
    local _
    for _ in $(seq "${2:-600}"); do
        grep -q "ready in" "$1" 2>/dev/null && return 0
        sleep "${3:-0.5}"
    done
    return 0
}
