-- the list methods (wl_list_ops.py), call for call
local py = require "python"
local N = 1990
return {
  setup = function(sim)                             -- at import: T5 and L3
    local none = sim:new("None")
    local t5 = sim:new("tuple", 5)
    for i = 0, 4 do sim:setitem(t5, i, none) end
    local l3 = sim:new("list", 3)                   -- [None, None, None]
    return {t5 = t5, l3 = l3}
  end,
  run = function(sim, g)
    local none = sim:new("None")
    local keep = sim:new("list")
    py.for_range(sim, N, function()
      local a = sim:list(g.t5)                      -- a = list(T5)
      sim:insert(a, 0, none)
      sim:append(a, none)
      sim:extend(a, g.l3)
      local b = sim:slice(a, 2, 9)                  -- b = a[2:9]
      local c = sim:concat(a, b)                    -- c = a + b
      sim:imultiply(c, 2)                           -- c *= 2
      local d = sim:multiply(b, 3)                  -- d = b * 3
      sim:delslice(c, 3, 20)                        -- del c[3:20]
      sim:setslice(c, 1, 2, g.l3)                   -- c[1:2] = L3
      sim:decref(sim:pop(c))                        -- x = c.pop()   (None)
      sim:decref(sim:pop(c, 0))                     -- y = c.pop(0)  (None)
      sim:remove(c, none)
      sim:reverse(d)
      local e = sim:copy(d)                         -- e = d.copy()
      sim:clear(e)
      for _, x in ipairs({a, b, c, d, e}) do        -- keep.append(...), then the locals rebound
        sim:append(keep, x)
      end
      for _, x in ipairs({a, b, c, d, e}) do sim:decref(x) end
    end)
    return keep
  end,
  sizes = function(sim, keep)
    local s = {}
    for i = 0, 4 do
      local x = sim:getitem(keep, i)
      s[#s + 1] = sim.sys.getsizeof(x)
      sim:decref(x)
    end
    return s
  end,
}
