-- generator objects (wl_generators.py): from 3.11 the frame lives inside the object
local py = require "python"
return {
  -- Before 3.11 the harness calls g() once before the snapshots (its
  -- frame then stays with the code object, as in a running program): the
  -- same here, where frames are objects of their own.
  setup = function(sim)
    local profile = tostring(sim):match("%((cpython%-[%d.]+)%)")
    if profile == "cpython-3.9" or profile == "cpython-3.10" then
      sim:decref(sim:new("generator", 2))
    end
  end,
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
