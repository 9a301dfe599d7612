-- list_resize at work (wl_list_append.py)
local py = require "python"
local N = 100000
return {
  run = function(sim)
    local none = sim:new("None")
    local big = sim:new("list")
    py.for_range(sim, N, function() sim:append(big, none) end)
    local small = sim:new("list")
    py.for_range(sim, 2000, function(j)
      local l = sim:new("list")
      local m = sim:new("int", j % 200)             -- j % 200: a small int
      py.for_range(sim, j % 200, function() sim:append(l, none) end)
      sim:decref(m)
      sim:append(small, l)
      sim:decref(l)                                 -- l is rebound next round
    end)
    local t = sim:new("tuple", 2)                   -- return big, small
    sim:setitem(t, 0, big)
    sim:setitem(t, 1, small)
    sim:decref(big)
    sim:decref(small)
    return t
  end,
  sizes = function(sim, t)
    local big, small = sim:getitem(t, 0), sim:getitem(t, 1)
    local l = sim:getitem(small, 150)
    local s = {sim.sys.getsizeof(big), sim.sys.getsizeof(l)}
    sim:decref(big); sim:decref(small); sim:decref(l)
    return s
  end,
}
