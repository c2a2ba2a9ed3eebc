-- bench/soak_mix.lua: the soak's load (bench/soak.sh). With SOAK_WRITES=1
-- a mix of reads and writes (one company by UID, a page of 20 companies,
-- and 1 in 10 requests a create of a company with a unique name); without
-- it reads only. One RESULT line: requests/s, p99 ms, socket errors,
-- answers neither 2xx nor 429, answers 429.
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("VSPC_BENCH_TOKEN") or "bench")
local uid = os.getenv("SOAK_UID") or ""
local writes = os.getenv("SOAK_WRITES") == "1"
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  bad, throttled, n = 0, 0, 0
  local pid = tostring(os.time())
  stamp = pid .. "-" .. tostring(id)
end

function request()
  n = n + 1
  local k = n % 10
  if writes and k == 0 then
    local name = "Soak " .. stamp .. "-" .. n
    local body = '{"organizationInput":{"name":"' .. name .. '"},' ..
                 '"ownerCredentials":{"userName":"soak-' .. stamp .. "-" .. n .. '","password":"Soak#2026pw"}}'
    return wrk.format("POST", "/api/v3/organizations/companies",
                      {["Content-Type"] = "application/json",
                       ["Authorization"] = wrk.headers["Authorization"]}, body)
  elseif k < 4 then
    return wrk.format("GET", "/api/v3/organizations/companies?limit=20")
  end
  return wrk.format("GET", "/api/v3/organizations/companies/" .. uid)
end

function response(status, headers, body)
  if status == 429 then
    throttled = throttled + 1
  elseif status < 200 or status > 299 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local b, t = 0, 0
  for _, th in ipairs(threads) do
    b = b + th:get("bad")
    t = t + th:get("throttled")
  end
  local sock = summary.errors.connect + summary.errors.read + summary.errors.write
             + summary.errors.timeout
  io.write(string.format("RESULT %.1f %.3f %d %d %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000, sock, b, t))
end
