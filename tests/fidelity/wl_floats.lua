-- 100,000 floats kept in a preallocated list (wl_floats.py)
local py = require "python"
local N = 100000
return {
  run = function(sim)
    local keep = py.list_repeat(sim, N)             -- keep = [None] * N
    py.for_range(sim, N, function(i)                -- for i in range(N):
      local f = sim:new("float")                    --   i + 0.5
      sim:setitem(keep, i, f)                       --   keep[i] = ...
      sim:decref(f)
    end)
    return keep
  end,
  sizes = {0, "self"},  -- sys.getsizeof of these items of the kept list
}
