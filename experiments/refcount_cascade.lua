-- refcount_cascade: dropping the last reference to a big structure frees
-- all of it at once, inside one Py_DECREF: a pause as long as the
-- structure.  Dropping it in parts spreads the same work over many short
-- pauses.

local py = require "python"

return experiment {
  name = "refcount_cascade",
  title = "Deallocation cascades: one long pause or many short ones",
  -- a clean slate: an empty heap, so that every block on the plots is the lesson's
  startup = false,
  options = {
    n = {100000, "nodes in the linked list", integer = true, min = 1},
    batch = {1000, "nodes per part when freeing in parts", integer = true, min = 1},
  },
  order = {"at_once", "in_parts"},
  runs = {
    -- head = build_chain(n); del head
    at_once = function(sim, opt, run)
      sim.gc.disable()                              -- only reference counting here
      local head = py.chain(sim, opt.n)
      sim:sample("built")
      local rows = {{dels = 0, live_bytes = sim:stats().live_bytes}}
      sim:decref(head)
      rows[2] = {dels = 1, live_bytes = sim:stats().live_bytes}
      run:table("teardown", {"dels", "live_bytes"}, rows)
    end,
    -- parts = [build_chain(batch) for _ in range(n // batch)]; then del parts[-1] ...
    in_parts = function(sim, opt, run)
      sim.gc.disable()
      local parts = {}
      for i = 1, opt.n // opt.batch do parts[i] = py.chain(sim, opt.batch) end
      sim:sample("built")
      local rows = {{dels = 0, live_bytes = sim:stats().live_bytes}}
      for i = #parts, 1, -1 do
        sim:decref(parts[i])
        rows[#rows + 1] = {dels = #rows, live_bytes = sim:stats().live_bytes}
      end
      run:table("teardown", {"dels", "live_bytes"}, rows)
    end,
  },
  plots = {
    {name = "live", kind = "series", y = "live_bytes",
     title = "Live heap: the same bytes go either way (the difference is in the pauses)"},
    {name = "teardown", kind = "table", table = "teardown", x = "dels", y = {"live_bytes"},
     unit = "bytes", title = "Live heap after each del: all at the first one, or a part at a time",
     xlabel = "del statements run", ylabel = "live heap"},
    {name = "pauses", kind = "latency", which = "dealloc", logy = true,
     title = "Pauses of the Py_DECREF calls that freed objects"},
    {name = "pause_vs_n", kind = "sweep", option = "n", y = "dealloc_max_ns", runs = {"at_once"},
     values = {10000, 100000, 1000000}, logx = true, logy = true,
     title = "The one long pause against the chain's length", xlabel = "n (nodes)",
     ylabel = "longest pause"},
    {name = "pause_vs_batch", kind = "sweep", option = "batch", y = "dealloc_max_ns", runs = {"in_parts"},
     values = {100, 1000, 10000}, logx = true, logy = true,
     title = "The longest pause against the size of each part", xlabel = "nodes per part",
     ylabel = "longest pause"},
  },
}
