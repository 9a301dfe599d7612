-- 100,000 medium ints (i + 100000), kept (wl_medium_ints.py)
local py = require "python"
local N = 100000
return {
  run = function(sim)
    local keep = py.list_repeat(sim, N)
    py.for_range(sim, N, function(i)
      local x = sim:new("int", i + 100000)          -- BINARY_OP +
      sim:setitem(keep, i, x)
      sim:decref(x)
    end)
    return keep
  end,
  sizes = {5},  -- sys.getsizeof of these items of the kept list
}
