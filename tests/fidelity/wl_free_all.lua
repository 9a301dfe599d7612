-- everything freed (wl_free_all.py)
local py = require "python"
return {
  run = function(sim)
    local keep = sim:new("list")
    py.for_range(sim, 100000, function()
      local f = sim:new("float")
      sim:append(keep, f)
      sim:decref(f)
    end)
    py.for_range(sim, 50000, function(i)
      local x = sim:new("int", i + 100000)
      sim:append(keep, x)
      sim:decref(x)
    end)
    sim:decref(keep)
  end,
}
