-- gc.get_objects() (wl_get_objects.py)
local py = require "python"

return {
  run = function(sim)
    local keep = sim:new("list")
    py.for_range(sim, 300, function(i, iobj)
      local l = sim:new("list", 1)                    -- [i]
      sim:setitem(l, 0, iobj)
      sim:append(keep, l)
      sim:decref(l)
    end)
    local everything = sim.gc.get_objects()
    local young = sim.gc.get_objects(0)
    local out = sim:new("list", 3)                    -- [keep, len(everything) > 300, young]
    sim:setitem(out, 0, keep)
    local t = sim:new("None")                         -- True: a static singleton, as None is
    sim:setitem(out, 1, t)
    sim:setitem(out, 2, young)
    sim:decref(t); sim:decref(keep); sim:decref(young)
    sim:decref(everything)
    return out
  end,
  sizes = function(sim, kept)
    local y = sim:getitem(kept, 2)
    local n = sim.sys.getsizeof(y)
    sim:decref(y)
    return {n}
  end,
}
