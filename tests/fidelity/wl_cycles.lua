-- cycles only the collector frees (wl_cycles.py)
local py = require "python"
return {
  run = function(sim)
    py.for_range(sim, 1000, function()
      local l = sim:new("list")
      sim:append(l, l)
      sim:decref(l)                                 -- rebinding l drops it
    end)
    py.for_range(sim, 500, function()
      local a = sim:new("object", "Node")
      local b = sim:new("object", "Node")
      sim:setattr(a, "other", b)
      sim:setattr(b, "other", a)
      sim:decref(a)
      sim:decref(b)
    end)
    local n = sim.gc.collect()                      -- gc.collect(): 2000
    local r = sim:new("int", n)                     -- its result, dropped
    sim:decref(r)
  end,
}
