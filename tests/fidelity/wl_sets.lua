-- set tables growing (wl_sets.py)
local py = require "python"
return {
  run = function(sim)
    local keep = sim:new("list")
    py.for_range(sim, 2000, function()
      local s = sim:new("set")                      -- s = set()
      py.for_range(sim, 5, function(k, kobj) sim:add(s, kobj) end)
      sim:append(keep, s)
      sim:decref(s)
    end)
    local big = sim:new("set")
    py.for_range(sim, 20000, function(i, iobj) sim:add(big, iobj) end)
    sim:append(keep, big)
    sim:decref(big)
    return keep
  end,
  sizes = {0, -1},  -- sys.getsizeof of these items of the kept list
}
