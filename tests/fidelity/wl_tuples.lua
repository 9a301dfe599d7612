-- tuples of 1 to 25 items, 100 of each, made twice (wl_tuples.py)
local py = require "python"

local function batch(sim)
  local keep = sim:new("list")                      -- keep = []
  py.for_range(sim, 24, function(kk)                -- for k in range(2, 26): (small ints)
    local k = kk + 2
    py.for_range(sim, 100, function()
      local t = sim:new("tuple", k)                 -- T1 * k
      sim:append(keep, t)
      sim:decref(t)
    end)
  end)
  py.for_range(sim, 100, function()
    local t = sim:new("tuple", 1)                   -- (v,)
    sim:append(keep, t)
    sim:decref(t)
  end)
  return keep
end

return {
  run = function(sim)
    local first = batch(sim)
    sim:decref(first)                               -- del first
    return batch(sim)
  end,
  sizes = {0, -1},  -- sys.getsizeof of these items of the kept list
}
