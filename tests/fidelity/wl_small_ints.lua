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
  -- sys.getsizeof(0), of 1 (keep[1]) and of 0 (keep[0])
  sizes = function(sim, keep)
    local zero = sim:new("int", 0)
    local out = {sim.sys.getsizeof(zero)}
    sim:decref(zero)
    for _, i in ipairs({1, 0}) do
      local x = sim:getitem(keep, i)
      out[#out + 1] = sim.sys.getsizeof(x)
      sim:decref(x)
    end
    return out
  end,
}
