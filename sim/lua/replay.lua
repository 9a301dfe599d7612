-- replay: a real program's allocations, replayed through pymalloc.
--
-- `memsim record prog.py` ran a program under a real CPython and wrote
-- every request its allocators saw, from the interpreter's first; this is
-- the experiment `memsim replay TRACE` runs.  It replays the requests on
-- a fresh, empty simulator of the recorded version (or --profile), takes
-- a labelled sample at each memsim_mark("phase") of the program, arena
-- maps along the way, the byte breakdown at the peak and at the end, and
-- with --verify compares the end state with the real interpreter's own
-- sys._debugmallocstats() taken when the program ended.

local MAPS = 4                 -- arena maps along the run, besides the end

local said = {}                -- what the run found, for the verdict

return experiment {
  name = "replay",
  title = "A recorded program, replayed through memsim's allocator",
  -- the trace holds every request from the interpreter's first: start empty
  startup = false,
  parallel = false,              -- the verdict reads what the runs kept in this file's locals
  -- a trace that cannot be read through leaves no results behind
  on_failure = "stop",
  options = {
    trace = {"", "the trace memsim record wrote"},
    verify = {0, "1: compare the end state with the real run's", integer = true, min = 0, max = 1},
  },
  runs = {
    replay = function(sim, opt, run)
      if opt.trace == "" then error("replay needs a trace: memsim replay TRACE", 0) end
      local info = memsim.trace_info(opt.trace)
      local step = math.max(1, info.items // 200)        -- 200 looks for the peak
      local every_map = math.max(1, info.items // (MAPS + 1))
      local peak, maps = -1, 0
      local ok, r = pcall(sim.replay, sim, opt.trace, {step = step, every = function(ev)
        if ev.kind ~= "step" then return end
        local live = sim:stats().live_bytes
        if live > peak then
          peak = live
          run:snapshot("peak")
        end
        if ev.seq >= every_map * (maps + 1) and maps < MAPS then
          maps = maps + 1
          run:arena_map("at" .. maps)
        end
      end})
      -- a bad trace is the user's file, not this script: say it without our line
      if not ok then error((tostring(r):gsub("^[^:]*:%d+: ", "")), 0) end
      run:arena_map("end")
      run:record("trace_items", r.items)
      run:record("requests_replayed", r.applied)
      run:record("unknown_frees", r.unknown_frees)
      run:record("real_collections", r.collections)
      if r.program_ns then run:record("recorded_program_ns", r.program_ns) end
      said.python, said.items = r.python, r.items
      if opt.verify == 1 then
        said.verify, said.ok = r.verify or "verify: the trace has no end record", r.verify_ok == true
      end
    end,
  },
  verdict = function()
    if said.verify == nil then return true, nil end
    return said.ok, said.verify
  end,
  plots = {
    {name = "live", kind = "series", y = "live_bytes", x = "events",
     title = "Bytes the program's live blocks asked for"},
    {name = "arenas", kind = "series", y = "arena_bytes", x = "events",
     title = "Memory pymalloc holds in arenas"},
    {name = "mapped", kind = "series", y = "mapped_bytes", x = "events",
     title = "Memory mapped: arenas, the C heap and large blocks"},
    {name = "rss", kind = "series", y = "rss_bytes", x = "events",
     title = "Resident set: the pages written so far"},
    {name = "pools", kind = "series", y = {"pools_full", "pools_used", "pools_empty"}, x = "events",
     title = "pymalloc's pools by state: full, in use with room, empty in an arena"},
    {name = "breakdown", kind = "breakdown", at = {"peak", "end"},
     title = "Where the mapped bytes go, at the peak and at the end"},
    {name = "map_at1", kind = "heatmap", map = "at1", title = "Arenas by pools, a fifth of the way in"},
    {name = "map_at2", kind = "heatmap", map = "at2", title = "Arenas by pools, two fifths of the way in"},
    {name = "map_at3", kind = "heatmap", map = "at3", title = "Arenas by pools, three fifths of the way in"},
    {name = "map_at4", kind = "heatmap", map = "at4", title = "Arenas by pools, four fifths of the way in"},
    {name = "map_end", kind = "heatmap", map = "end", title = "Arenas by pools, when the program ended"},
    {name = "gc_pauses", kind = "latency", which = "gc", clock = "real", logy = true,
     title = "The real run's collection pauses, as the recorder timed them"},
    {name = "alloc_latency", kind = "latency", which = "alloc",
     title = "Allocation latency, as memsim's cost model charges it"},
  },
}
