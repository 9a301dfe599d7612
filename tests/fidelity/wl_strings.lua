-- 30,000 ASCII strings of lengths 2 to 301 (wl_strings.py)
local py = require "python"
local N = 30000
return {
  run = function(sim)
    local keep = py.list_repeat(sim, N)
    py.for_range(sim, N, function(i)
      local r = sim:new("int", i % 300)           -- BINARY_OP %
      local n = sim:new("int", 2 + i % 300)       -- BINARY_OP +, then r is dropped
      sim:decref(r)
      local x = sim:new("str", 2 + i % 300)     -- BINARY_OP *, then n is dropped
      sim:decref(n)
      sim:setitem(keep, i, x)                       -- STORE_SUBSCR
      sim:decref(x)
    end)
    return keep
  end,
  sizes = {0, 299},  -- sys.getsizeof of these items of the kept list
}
