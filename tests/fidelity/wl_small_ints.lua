-- 50,000 small ints (i % 200), kept (wl_small_ints.py)
local py = require "python"
local N = 50000
return {
  run = function(sim)
    local keep = py.list_repeat(sim, N)
    py.for_range(sim, N, function(i)
      local x = sim:new("int", i % 200)             -- cached: no allocation
      sim:setitem(keep, i, x)
      sim:decref(x)
    end)
    return keep
  end,
}
