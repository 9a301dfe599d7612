-- dict growth (wl_dicts.py)
local py = require "python"
return {
  setup = function(sim)                             -- KEYS: made at import
    local keys = sim:new("list")
    for _ = 1, 12 do
      local k = sim:new("str", 3)
      sim:append(keys, k)
      sim:decref(k)
    end
    return keys
  end,
  run = function(sim, KEYS)
    local none = sim:new("None")
    local keep = sim:new("list")
    py.for_range(sim, 2000, function()
      local d = sim:new("dict")                     -- d = {}
      local it = sim:iter(KEYS)                     -- for k in KEYS:
      for i = 0, 11 do
        local k = sim:getitem(KEYS, i)
        sim:setitem(d, k, none)                     --   d[k] = None
        sim:decref(k)
      end
      sim:exhaust(it)
      sim:decref(it)
      sim:append(keep, d)
      sim:decref(d)
    end)
    local big = sim:new("dict")
    py.for_range(sim, 20000, function(i, iobj) sim:setitem(big, iobj, none) end)
    sim:append(keep, big)
    sim:decref(big)
    return keep
  end,
  sizes = {0, -1},  -- sys.getsizeof of these items of the kept list
}
