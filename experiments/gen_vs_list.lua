-- gen_vs_list: sum([i for i in range(n)]) against sum(i for i in range(n)).
--
-- The list comprehension builds every int and a list to hold them before
-- sum() sees the first one; the generator expression hands sum() one int
-- at a time and frees it before making the next.  Same answer, very
-- different memory: this experiment shows how different, and where the
-- bytes of the list version go.

local py = require "python"

return experiment {
  name = "gen_vs_list",
  title = "List comprehension vs generator expression",
  -- a clean slate: an empty heap, so that every block on the plots is the lesson's
  startup = false,
  description = [[
Python: sum([i for i in range(n)])   against   sum(i for i in range(n))
memsim runs each on a fresh CPython 3.11 heap and samples the heap as it goes.]],
  options = {
    n = {100000, "number of items summed", integer = true, min = 0},
  },
  order = {"list", "generator"},
  runs = {
    -- sum([i for i in range(n)])
    list = function(sim, opt, run)
      local result = py.sum_listcomp(sim, opt.n, run)
      sim:decref(result)
    end,
    -- sum(i for i in range(n))
    generator = function(sim, opt, run)
      local result = py.sum_genexpr(sim, opt.n, run)
      sim:decref(result)
    end,
  },
  plots = {
    {name = "live", kind = "series", y = "live_bytes",
     title = "Live heap while summing n items: the list holds them all at once"},
    {name = "arenas", kind = "series", y = "arena_bytes",
     title = "Memory pymalloc maps in 1 MiB arenas"},
    {name = "peak_vs_n", kind = "sweep", option = "n", y = "peak_live_bytes",
     values = {1000, 10000, 100000, 1000000}, logx = true, logy = true,
     title = "Peak live heap against n: the list grows with n, the generator does not",
     xlabel = "n (items summed)"},
    {name = "breakdown", kind = "breakdown",
     title = "Where the mapped bytes go at the peak"},
  },
}
