-- 20,000 large ints (BIG + i), kept (wl_large_ints.py).  BIG has 3 digits;
-- x_add allocates 3 + 1 digits and normalizes to 3 without shrinking:
-- a 40-byte request.
local py = require "python"
local N = 20000
return {
  run = function(sim)
    local keep = py.list_repeat(sim, N)
    py.for_range(sim, N, function(i)
      local x = sim:new("int", {digits = 4})
      sim:setitem(keep, i, x)
      sim:decref(x)
    end)
    return keep
  end,
}
