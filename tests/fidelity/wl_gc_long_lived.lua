-- generations at work (wl_gc_long_lived.py)
local py = require "python"
return {
  gc = true,
  run = function(sim)
    local keep = sim:new("list")
    py.for_range(sim, 200000, function(i, iobj)
      local l = sim:new("list", 1)                  -- [i]: BUILD_LIST 1
      sim:setitem(l, 0, iobj)
      sim:append(keep, l)
      sim:decref(l)
    end)
    return keep
  end,
}
