-- replay_compare: one real program's requests under three allocators.
--
-- memsim record PROG.py writes what a real CPython asked of its
-- allocators; here the same requests, in the same order, are replayed
-- three times: through pymalloc as the recorded version has it, through
-- the C library's malloc alone (PYTHONMALLOC=malloc), and through the
-- pymalloc of CPython 3.9 (4 KiB pools in 256 KiB arenas).  Same
-- program, same requests: the differences are the allocators'.
--
--   memsim record tests/replay/programs/json_roundtrip.py
--   memsim run experiments/replay_compare.lua --trace=json_roundtrip.trace --profile cpython-3.11

local function replay(sim, opt, run)
  if opt.trace == "" then
    error("replay_compare needs a trace: --trace=FILE (memsim record PROG.py writes one)", 0)
  end
  local info = memsim.trace_info(opt.trace)
  local peak = -1
  local ok, r = pcall(sim.replay, sim, opt.trace, {step = math.max(1, info.items // 200),
    every = function()
      local live = sim:stats().live_bytes
      if live > peak then
        peak = live
        run:snapshot("peak")
        run:arena_map("peak")
      end
    end})
  if not ok then error((tostring(r):gsub("^[^:]*:%d+: ", "")), 0) end
  run:record("trace_items", r.items)
  run:record("mapped_final_bytes", sim:stats().bytes.mapped)
end

return experiment {
  name = "replay_compare",
  title = "One recorded program, three allocators",
  startup = false,             -- the trace holds every request from the first
  on_failure = "stop",
  description = [[
The requests of a real run, recorded by memsim record, replayed through
pymalloc (--profile, default cpython-3.11: give the recorded version),
through malloc alone, and through 3.9's pymalloc with 4 KiB pools.]],
  options = {
    trace = {"", "the trace memsim record wrote"},
  },
  order = {"pymalloc", "malloc", "pools_4k"},
  runs = {pymalloc = replay, malloc = replay, pools_4k = replay},
  configs = {malloc = {allocator = "malloc"}, pools_4k = {profile = "cpython-3.9"}},
  plots = {
    {name = "mapped", kind = "series", y = "mapped_bytes", x = "events",
     title = "Memory mapped while the program runs, by allocator"},
    {name = "rss", kind = "series", y = "rss_bytes", x = "events",
     title = "Resident set while the program runs, by allocator"},
    {name = "peaks", kind = "bars", metrics = {"peak_rss_bytes", "mapped_final_bytes"},
     title = "Peak resident set, and memory still mapped at the end"},
    {name = "breakdown", kind = "breakdown",
     title = "Where the mapped bytes go at the peak of live data"},
    {name = "map_peak", kind = "heatmap", map = "peak",
     title = "Arenas by pools at the peak of live data"},
  },
}
