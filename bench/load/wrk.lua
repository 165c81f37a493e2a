-- wrk script: replays a fixed corpus of deliveries round-robin (one list per thread, each
-- thread starting at a different offset) and counts the answers by status code.
--   wrk -t1 -c8 -d5s --latency -s wrk.lua http://127.0.0.1:PORT/sdk?token=T -- CORPUS.wrk
-- CORPUS.wrk: one delivery per line, "<content-type>\t<body>" (bodies hold no tab or newline:
-- form bodies are percent-encoded, JSON bodies are written compact with \t and \n escaped).
-- done() prints one JSON line: {"requests","duration_s","rps","p50_ms","p99_ms","errors",
-- "status": {code: count}}.

local corpus = {}
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local path = args[1]
  local f = assert(io.open(path, "r"))
  for line in f:lines() do
    local tab = line:find("\t", 1, true)
    if tab then
      local ct = line:sub(1, tab - 1)
      local body = line:sub(tab + 1)
      corpus[#corpus + 1] = wrk.format("POST", nil, { ["Content-Type"] = ct }, body)
    end
  end
  f:close()
  assert(#corpus > 0, "empty corpus")
  idx = (id * 7919) % #corpus
  status = {}
end

function request()
  idx = idx % #corpus + 1
  return corpus[idx]
end

function response(code, headers, body)
  status[code] = (status[code] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, t in ipairs(threads) do
    local s = t:get("status")
    for code, n in pairs(s) do
      merged[code] = (merged[code] or 0) + n
    end
  end
  local parts = {}
  for code, n in pairs(merged) do
    parts[#parts + 1] = string.format('"%d": %d', code, n)
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_s": %.3f, "rps": %.1f, "p50_ms": %.3f, "p99_ms": %.3f, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, "status": {%s}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ", ")))
end
