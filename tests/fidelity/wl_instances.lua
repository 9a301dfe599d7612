-- instances with attributes (wl_instances.py)
local py = require "python"
return {
  setup = function(sim)
    local keep = sim:new("list")                    -- KEEP = [] at import
    local none = sim:new("None")
    local o = sim:new("object", "C")                -- warm(): one instance, dropped
    sim:setattr(o, "a", none)
    sim:setattr(o, "b", none)
    sim:setattr(o, "c", none)
    sim:decref(o)
    -- then the harness's gc.collect(), which empties the free lists: before
    -- 3.11 the warm instance's __dict__ went there, and does not stay
    local profile = tostring(sim):match("%((cpython%-[%d.]+)%)")
    if profile == "cpython-3.9" or profile == "cpython-3.10" then sim.gc.collect() end
    return keep
  end,
  run = function(sim, keep)
    local none = sim:new("None")
    py.for_range(sim, 2000, function()
      local o = sim:new("object", "C")              -- o = C()
      sim:setattr(o, "a", none)
      sim:setattr(o, "b", none)
      sim:setattr(o, "c", none)
      sim:append(keep, o)                           -- KEEP.append(o)
      sim:decref(o)
    end)
    return keep
  end,
  sizes = {0},  -- sys.getsizeof of these items of the kept list
}
