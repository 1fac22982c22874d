-- wrk script for `make bench`: POSTs pre-signed Zalo OA events to /zalo/oa,
-- each event once (a distinct msg_id and sender each), read from a file
-- written by bench.py before the run: one event a line, "MAC<TAB>BODY".
--
--   wrk -t2 -c64 -d10s -s oa_events.lua URL -- EVENTS_FILE THREADS
--
-- Thread k of THREADS takes lines k, k+THREADS, ... The requests are built
-- once in init(), so the client does no work per request beyond sending.
-- Should a thread run out it starts its list again and says so ("wrapped"):
-- those repeats are duplicates to tinbaod (answered 200, admitted once).
-- done() prints one line that bench.py reads.

local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

function init(args)
   local file, nthreads = args[1], tonumber(args[2])
   reqs = {}
   local i = 0
   for line in io.lines(file) do
      if i % nthreads == id then
         local tab = line:find("\t", 1, true)
         reqs[#reqs + 1] = wrk.format("POST", "/zalo/oa",
            { ["Content-Type"] = "application/json",
              ["X-ZEvent-Signature"] = "mac=" .. line:sub(1, tab - 1) },
            line:sub(tab + 1))
      end
      i = i + 1
   end
   nreq = #reqs
   pos = 0
   wrapped = 0
end

function request()
   pos = pos + 1
   if pos > nreq then
      pos = 1
      wrapped = wrapped + 1
   end
   return reqs[pos]
end

function done(summary, latency, requests)
   local wrapped = 0
   for _, t in ipairs(threads) do
      wrapped = wrapped + (t:get("wrapped") or 0)
   end
   local e = summary.errors
   io.write(string.format("BENCH requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d "
      .. "max_us=%d status_errors=%d connect=%d read=%d write=%d timeout=%d wrapped=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, e.status, e.connect, e.read, e.write, e.timeout,
      wrapped))
end
