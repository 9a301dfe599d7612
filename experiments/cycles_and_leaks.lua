-- cycles_and_leaks: objects in a reference cycle never reach refcount 0;
-- only the cycle collector frees them.  With it disabled, a program that
-- makes cycles in a loop leaks.

local py = require "python"

return experiment {
  name = "cycles_and_leaks",
  title = "Cycles and leaks: what the cycle collector is for",
  -- a clean slate: an empty heap, so that every block on the plots is the lesson's
  startup = false,
  options = {
    n = {50000, "loop iterations, each leaving a 2-node cycle", integer = true, min = 0},
  },
  order = {"gc_on", "gc_off"},
  runs = {
    -- for i in range(n): a = Node(); b = Node(); a.peer = b; b.peer = a
    gc_on = function(sim, opt)
      for _ = 1, opt.n do sim:decref(py.ring(sim, 2)) end
    end,
    gc_off = function(sim, opt)
      sim.gc.disable()
      for _ = 1, opt.n do sim:decref(py.ring(sim, 2)) end
    end,
  },
  plots = {
    {name = "live", kind = "series", y = "live_bytes",
     title = "Live heap: collected cycles against leaked ones"},
    {name = "live_gc_on", kind = "series", y = "live_bytes", runs = {"gc_on"},
     title = "Live heap with the collector on: each collection frees the cycles made since"},
    {name = "objects", kind = "series", y = "objects", title = "Live objects"},
    {name = "final", kind = "bars", metrics = {"final_live_bytes"},
     title = "What is still allocated at the end"},
    {name = "final_vs_n", kind = "sweep", option = "n", y = "final_live_bytes",
     values = {25000, 50000, 100000, 200000},
     title = "Left allocated at the end against cycles made: leaks grow with n",
     xlabel = "n (cycles made)"},
  },
}
