-- generator objects (wl_generators.py): the frame lives inside the object
local py = require "python"
return {
  run = function(sim)
    local keep = sim:new("list")
    py.for_range(sim, 5000, function()
      local gen = sim:new("generator", 2)           -- g(): 1 local + stack depth 1
      sim:append(keep, gen)
      sim:decref(gen)
    end)
    return keep
  end,
}
