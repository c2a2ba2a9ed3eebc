-- bench/wrk.lua: the bearer token every VSPC client sends, and one RESULT
-- line per run: requests/s, p99 latency (ms), errors (socket + non-2xx).
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("VSPC_BENCH_TOKEN") or "bench")

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
               + summary.errors.timeout + summary.errors.status
  io.write(string.format("RESULT %.1f %.3f %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000, errors))
end
