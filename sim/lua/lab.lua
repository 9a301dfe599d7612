-- allocator_lab: a student's allocator, trace by trace, beside memsim's.
--
-- `memsim lab allocator MY_ALLOC.lua [--trace FILE ...]` runs this
-- experiment.  The allocator (a Lua module: init, malloc, free, realloc)
-- runs in a Lua state of its own over a simulated heap (sim/lua/llab.c);
-- each trace replays through a fresh one, every block it returns is
-- checked, and its utilisation and throughput are scored as the CS:APP
-- malloc lab scores them, beside the same trace through memsim's pymalloc
-- (CPython 3.11's) and its raw allocator (the C library's malloc).
--
--   utilisation  the trace's peak live payload / the heap's peak size
--                (yours: brk area + mmapped pages; memsim's: every byte
--                mapped, arenas and the C heap)
--   throughput   requests per microsecond of simulated time: the heap
--                words the allocator reads and writes, the bytes it
--                copies, its calls and system calls, each at a cost
--   score        0.6 x mean utilisation + 0.4 x min(1, throughput /
--                malloc's throughput), out of 100

local MAX_TRACES = 16          -- the heap plots below: one per trace
local said = {failures = {}}

local function split(list)
  local out = {}
  for piece in list:gmatch("[^,]+") do out[#out + 1] = piece end
  return out
end

local function basename(path) return path:match("([^/]+)$") or path end

local function pct(x) return string.format("%.1f%%", 100 * x) end

local plots = {
  {name = "utilisation", kind = "table", table = "utilisation", x = "trace", style = "bars",
   y = {"yours", "pymalloc", "malloc"}, ylabel = "peak live payload / peak heap",
   title = "Utilisation per trace: the payload at its peak over the heap at its peak"},
  {name = "throughput", kind = "table", table = "throughput", x = "trace", style = "bars",
   y = {"yours", "pymalloc", "malloc"}, ylabel = "requests per simulated microsecond", logy = true,
   title = "Throughput per trace, in simulated time"},
}
for i = 1, MAX_TRACES do
  plots[#plots + 1] = {name = "heap" .. i, kind = "table", table = "heap" .. i, x = "request",
                       y = {"live", "yours", "pymalloc", "malloc"}, unit = "bytes",
                       ylabel = "bytes", xlabel = "requests replayed"}
end

return experiment {
  name = "allocator_lab",
  title = "The allocator lab: your allocator, trace by trace, beside pymalloc and malloc",
  startup = false,
  summary = false,               -- the table above says what the runs' memory table would not
  parallel = false,              -- the verdict reads what the runs kept in this file's locals
  options = {
    alloc = {"", "the allocator: a Lua file returning {init, malloc, free, realloc}"},
    traces = {"", "the traces, a comma list (memsim lab allocator --trace FILE ...)", list = true},
    heap = {64, "the simulated heap's space, in MiB", integer = true, min = 1, max = 256},
  },
  runs = {
    lab = function(sim, opt, run)
      if opt.alloc == "" then error("the lab needs an allocator: memsim lab allocator FILE.lua", 0) end
      local paths = split(opt.traces)
      if #paths == 0 then error("no traces to replay (--trace FILE)", 0) end
      if #paths > MAX_TRACES then error(string.format("at most %d traces at once", MAX_TRACES), 0) end
      said.traces = #paths
      local util, speed = {}, {}
      local sum = {yours = {u = 0, ops = 0, ns = 0, n = 0}, pymalloc = {u = 0, ops = 0, ns = 0, n = 0},
                   malloc = {u = 0, ops = 0, ns = 0, n = 0}}
      print(string.format("%-24s %9s  %-17s%-17s%s", "", "", "      yours", "    pymalloc", "     malloc"))
      print(string.format("%-24s %9s  %7s %7s  %7s %7s  %7s %7s", "trace", "requests",
                          "util", "op/us", "util", "op/us", "util", "op/us"))
      for i, path in ipairs(paths) do
        local name = basename(path)
        local ok, trace = pcall(memsim.lab_trace, path)
        if not ok then error(tostring(trace), 0) end      -- the user's file: said as it is
        local res = {}
        local okr, r = pcall(memsim.lab_run, opt.alloc, trace, {limit = opt.heap << 20})
        if okr then
          res.yours = r
        else
          said.failures[#said.failures + 1] = name
          io.stdout:flush()
          io.stderr:write("memsim lab: ", name, ":", tostring(r), "\n")
        end
        res.pymalloc = memsim.lab_compare(trace, {allocator = "pymalloc"})
        res.malloc = memsim.lab_compare(trace, {allocator = "malloc"})
        local urow, srow = {trace = name}, {trace = name}
        local cells = {}
        for _, who in ipairs({"yours", "pymalloc", "malloc"}) do
          local x = res[who]
          if x then
            urow[who], srow[who] = x.utilisation, x.ops_per_us
            local s = sum[who]
            s.u, s.ops, s.ns, s.n = s.u + x.utilisation, s.ops + x.requests, s.ns + x.time_ns, s.n + 1
            cells[#cells + 1] = string.format("%7s %7.1f  ", pct(x.utilisation), x.ops_per_us)
          else
            cells[#cells + 1] = string.format("%7s %7s  ", "failed", "")
          end
        end
        util[#util + 1], speed[#speed + 1] = urow, srow
        print((string.format("%-24s %9d  %s%s%s", name, trace:info().requests,
                             cells[1], cells[2], cells[3]):gsub(" +$", "")))
        -- the heap over the trace: the three allocators sampled at the same requests
        local rows, base = {}, res.pymalloc.samples
        for k = 1, #base.op do
          rows[k] = {request = base.op[k], live = base.live[k], pymalloc = base.heap[k],
                     malloc = res.malloc.samples.heap[k], yours = res.yours and res.yours.samples.heap[k]}
        end
        run:table("heap" .. i, {"request", "live", "yours", "pymalloc", "malloc"}, rows,
                  "Heap size over " .. name .. ": live payload, and each allocator's heap")
      end
      run:table("utilisation", {"trace", "yours", "pymalloc", "malloc"}, util)
      run:table("throughput", {"trace", "yours", "pymalloc", "malloc"}, speed)
      local function tput(s) return s.ns > 0 and s.ops * 1000 / s.ns or 0 end
      for who, s in pairs(sum) do
        if s.n > 0 then
          run:record(who .. "_utilisation", s.u / s.n)
          run:record(who .. "_ops_per_us", tput(s))
        end
      end
      if sum.yours.n == #paths then
        local u, t = sum.yours.u / sum.yours.n, tput(sum.yours) / tput(sum.malloc)
        local score = 100 * (0.6 * u + 0.4 * math.min(1, t))
        run:record("score", score)
        said.score = string.format("score %.0f/100: utilisation %s (x 0.6), throughput %.2f of "
                                   .. "malloc's (x 0.4, at most 1)", score, pct(u), t)
      end
    end,
  },
  verdict = function()
    if #said.failures > 0 then
      return false, string.format("the allocator failed on %d of %d traces (%s): the errors are above",
                                  #said.failures, said.traces, table.concat(said.failures, ", "))
    end
    return true, said.score
  end,
  plots = plots,
}
