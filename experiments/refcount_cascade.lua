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
    at_once = function(sim, opt)
      sim.gc.disable()                              -- only reference counting here
      local head = py.chain(sim, opt.n)
      sim:sample("built")
      sim:decref(head)
    end,
    -- parts = [build_chain(batch) for _ in range(n // batch)]; then del parts[-1] ...
    in_parts = function(sim, opt)
      sim.gc.disable()
      local parts = {}
      for i = 1, opt.n // opt.batch do parts[i] = py.chain(sim, opt.batch) end
      sim:sample("built")
      for i = #parts, 1, -1 do sim:decref(parts[i]) end
    end,
  },
  plots = {
    {name = "live", kind = "series", y = "live_bytes",
     title = "Live heap: the same bytes go either way (the difference is in the pauses)"},
    {name = "pauses", kind = "latency", which = "dealloc", logy = true,
     title = "Pauses of the Py_DECREF calls that freed objects"},
  },
}
