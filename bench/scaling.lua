-- scaling: wall time against simulated events, 10^4 to 10^8.  A benchmark,
-- not an experiment: the wall times it records differ from run to run.
--   memsim run bench/scaling.lua --out results/scaling
return experiment {
  name = "scaling",
  title = "memsim's wall time against simulated events",
  options = {events = {10000, "allocation and free events", integer = true, min = 1}},
  runs = {
    -- int churn: each step makes an int and frees the previous one (2 events)
    churn = function(sim, opt, run)
      local gen = sim:new("generator", 1)
      local t = os.clock()
      sim:slot_range(gen, 0, 1000, 1000 + opt.events // 2)
      run:record("wall_s", os.clock() - t)
      run:record("ns_per_event", (os.clock() - t) * 1e9 / opt.events)
      sim:decref(gen)
    end,
    -- objects that stay alive until the end (list of ints), then a cascade
    live = function(sim, opt, run)
      local t = os.clock()
      local l = sim:new("list")
      local last = sim:append_range(l, 1000, 1000 + opt.events // 2)
      if last then sim:decref(last) end
      sim:decref(l)
      run:record("wall_s", os.clock() - t)
      run:record("ns_per_event", (os.clock() - t) * 1e9 / opt.events)
    end,
  },
  plots = {
    {name = "wall", kind = "sweep", option = "events", y = "wall_s", logx = true, logy = true,
     values = {10000, 100000, 1000000, 10000000, 100000000},
     title = "Wall time is linear in simulated events", ylabel = "wall time (s)",
     xlabel = "simulated events (allocations + frees)"},
    {name = "per_event", kind = "sweep", option = "events", y = "ns_per_event", logx = true,
     values = {10000, 100000, 1000000, 10000000, 100000000},
     title = "Wall time per simulated event", ylabel = "ns per event",
     xlabel = "simulated events (allocations + frees)"},
  },
}
