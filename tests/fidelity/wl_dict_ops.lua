-- the dict methods (wl_dict_ops.py), call for call
local py = require "python"
local N = 2000
return {
  setup = function(sim)                             -- K6 = tuple(range(1000, 1006)) at import
    local k6 = sim:new("tuple", 6)
    for i = 0, 5 do
      local k = sim:new("int", 1000 + i)
      sim:setitem(k6, i, k)
      sim:decref(k)
    end
    return k6
  end,
  run = function(sim, K6)
    local none = sim:new("None")
    local keep = sim:new("list")
    local x                                         -- the previous round's popitem() tuple
    py.for_range(sim, N, function()
      local d = sim:new("dict")                     -- d = {}
      local it = sim:iter(K6)                       -- for k in K6: d[k] = None
      for i = 0, 5 do
        local k = sim:getitem(K6, i)
        sim:setitem(d, k, none)
        sim:decref(k)
      end
      sim:exhaust(it)
      sim:decref(it)
      local e = sim:copy(d)                         -- e = d.copy()
      local k0 = sim:getitem(K6, 0)                 -- K6[0]
      sim:decref(sim:pop(d, k0))                    -- v = d.pop(K6[0])   (None)
      sim:decref(k0)
      k0 = sim:getitem(K6, 0)
      sim:decref(sim:setdefault(d, k0, none))       -- d.setdefault(K6[0], None)
      sim:decref(k0)
      local t = sim:popitem(d)                      -- x = d.popitem()
      if x then sim:decref(x) end
      x = t
      local f = sim:new("dict")                     -- f = {}; f.update(d)
      sim:update(f, d)
      sim:clear(e)                                  -- e.clear()
      for _, o in ipairs({d, e, f}) do sim:append(keep, o) end
      for _, o in ipairs({d, e, f}) do sim:decref(o) end
    end)
    if x then sim:decref(x) end                     -- the frame ends: x goes
    return keep
  end,
  sizes = function(sim, keep)
    local s = {}
    for i = 0, 2 do
      local o = sim:getitem(keep, i)
      s[#s + 1] = sim.sys.getsizeof(o)
      sim:decref(o)
    end
    return s
  end,
}
