-- the set methods (wl_set_ops.py), call for call; keys are the tuples' ints
local py = require "python"
local N = 1000
return {
  setup = function(sim)                             -- K10, K20 = K10 + (...), K5 at import
    local function tup(first, n, from)
      local t = sim:new("tuple", n)
      for i = 0, n - 1 do
        local k = from and i < 10 and sim:getitem(from, i) or sim:new("int", first + i)
        sim:setitem(t, i, k)
        sim:decref(k)
      end
      return t
    end
    local k10 = tup(1000, 10)
    return {k10 = k10, k20 = tup(1000, 20, k10), k5 = tup(1100, 5)}
  end,
  run = function(sim, K)
    local keep = sim:new("list")
    local x                                         -- the last round's popped key
    py.for_range(sim, N, function()
      local a = sim:set(K.k10)                      -- a = set(K10)
      local b = sim:set(K.k20)
      local c = sim:union(a, b)                     -- c = a | b
      local d = sim:intersection(b, a)              -- d = b & a
      local e = sim:difference(b, a)                -- e = b - a
      local f = sim:copy(a)                         -- f = a.copy()
      sim:update(f, K.k5)
      local k0, k1 = sim:getitem(K.k10, 0), sim:getitem(K.k10, 1)
      sim:discard(f, k0)
      sim:remove(f, k1)
      sim:decref(k0); sim:decref(k1)
      local p = sim:pop(f)                          -- x = f.pop()
      if x then sim:decref(x) end
      x = p
      local g = sim:copy(b)                         -- g = b.copy(); g.clear()
      sim:clear(g)
      local all = {a, b, c, d, e, f, g}
      for _, o in ipairs(all) do sim:append(keep, o) end
      for _, o in ipairs(all) do sim:decref(o) end
    end)
    if x then sim:decref(x) end
    return keep
  end,
  sizes = function(sim, keep)
    local s = {}
    for i = 0, 6 do
      local o = sim:getitem(keep, i)
      s[#s + 1] = sim.sys.getsizeof(o)
      sim:decref(o)
    end
    return s
  end,
}
