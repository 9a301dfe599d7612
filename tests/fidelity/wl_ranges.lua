-- range iterators (wl_ranges.py).  A range's own ints (start, stop, step,
-- length) are not modelled by its type: range(1000)'s one new int, its
-- length, is made here by hand, and held as long as the range is.
local py = require "python"
return {
  run = function(sim)
    local length = sim:new("int", 1000)            -- range_new: compute_range_length
    local r = sim:new("range")                     -- r = range(1000)
    local keep = sim:new("list")                   -- keep = [r]
    sim:append(keep, r)
    py.for_range(sim, 2000, function()
      local it = sim:new("range_iterator")         -- iter(r)
      sim:append(keep, it)
      sim:decref(it)
    end)
    sim:decref(r)
    return keep
  end,
  sizes = {0, 1},
}
