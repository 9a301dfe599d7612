-- gc_generations: how often each generation is collected while a program
-- builds long-lived containers, what the pauses cost, and what
-- gc.freeze(), gc.disable() and a higher threshold change.

local function build(sim, n)                       -- L = [[i] for i in range(n)]
  local outer = sim:new("list")
  for i = 1, n do
    local inner = sim:new("list", 1)
    sim:append(outer, inner)
    sim:decref(inner)
  end
  return outer
end

return experiment {
  name = "gc_generations",
  title = "Generational GC: collections and pauses while building long-lived lists",
  -- a clean slate: an empty heap, so that every block on the plots is the lesson's
  startup = false,
  options = {
    n = {200000, "one-item lists built", integer = true, min = 0},
    setup = {100000, "objects made at start-up (frozen in the freeze run)", integer = true, min = 0},
  },
  order = {"default", "freeze", "disabled", "threshold_2000"},
  runs = {
    default = function(sim, opt)
      local s = build(sim, opt.setup)
      local l = build(sim, opt.n)
      sim:decref(l); sim:decref(s)
    end,
    -- start-up objects moved to the permanent generation: never examined again
    freeze = function(sim, opt)
      local s = build(sim, opt.setup)
      sim.gc.freeze()
      local l = build(sim, opt.n)
      sim:decref(l); sim:decref(s)
    end,
    disabled = function(sim, opt)
      sim.gc.disable()
      local s = build(sim, opt.setup)
      local l = build(sim, opt.n)
      sim:decref(l); sim:decref(s)
    end,
    -- the first threshold of CPython 3.13
    threshold_2000 = function(sim, opt)
      sim.gc.set_threshold(2000, 10, 10)
      local s = build(sim, opt.setup)
      local l = build(sim, opt.n)
      sim:decref(l); sim:decref(s)
    end,
  },
  plots = {
    {name = "collections", kind = "bars", metrics = {"gc0", "gc1", "gc2"}, logy = true,
     title = "Collections of each generation", ylabel = "collections"},
    {name = "pauses", kind = "latency", which = "gc", logy = true,
     title = "Collection pauses (simulated)"},
    {name = "young_vs_n", kind = "sweep", option = "n", y = "gc0",
     values = {50000, 100000, 200000, 500000, 1000000},
     title = "Young collections against lists built: one per threshold's worth of allocations",
     xlabel = "n (one-item lists built)", ylabel = "generation-0 collections"},
    {name = "total_pause", kind = "bars", metrics = {"gc_pause_max_ns", "gc_pause_p99_ns"},
     title = "The longest collection pauses"},
  },
}
