-- displays, dict.fromkeys, True and False as keys (wl_displays.py)
local py = require "python"

return {
  run = function(sim)
    local keep = sim:new("list")
    local function put(o) sim:append(keep, o); sim:decref(o) end
    local function int(v) return sim:new("int", v) end
    local a, b, c                                     -- the loop's locals
    py.for_range(sim, 100, function(i, iobj)
      local na, nb, nc = int(i * 1000), int(i * 1000 + 1), int(i * 1000 + 2)   -- a, b, c = ...
      if a then sim:decref(a); sim:decref(b); sim:decref(c) end
      a, b, c = na, nb, nc
      put(sim:display("list", a, b, c))
      put(sim:display("set", a, b, c))
      local k = {}
      for _, v in ipairs{0, 1, 2, 3} do k[v] = sim:literal(v) end
      put(sim:display("dict", a, b, b, c, c, a, k[0], k[1], k[1], k[2], k[2], k[3], k[3], sim:literal(4)))
      local s = sim:slice(sim:literal("xy"), i % 2, i % 2 + 1)   -- 'xy'[i % 2] + 'z'
      local x = sim:op(s, "+", sim:literal("z"))
      sim:decref(s)
      put(sim:display("dict", x, a, sim:literal("y"), b))
      sim:decref(x)
    end)
    local r = sim:new("range", 20)                    -- tuple(range(1000, 1020))
    local it = sim:new("range_iterator")
    local t = sim:new("tuple", 20)
    for i = 0, 19 do local v = int(1000 + i); sim:setitem(t, i, v); sim:decref(v) end
    sim:decref(it); sim:decref(r)
    put(sim:fromkeys(t))
    local st = sim:set(t)
    put(sim:fromkeys(st, sim:literal(0)))
    sim:decref(st)
    local d2 = sim:getitem(keep, 2)
    put(sim:fromkeys(d2))
    sim:decref(d2)
    local d = sim:display("dict", sim:literal(true), sim:literal("yes"), sim:literal(false), sim:literal("no"))
    sim:setitem(d, sim:literal(1), sim:literal("one"))
    sim:setitem(d, sim:literal(0), sim:literal("zero"))
    put(d)
    sim:decref(t); sim:decref(a); sim:decref(b); sim:decref(c)
    return keep
  end,
  sizes = function(sim, keep)
    local out, n = {}, sim:len(keep)
    for _, i in ipairs{0, 1, 2, 3, n - 4, n - 3, n - 2, n - 1} do
      local o = sim:getitem(keep, i)
      out[#out + 1] = sim.sys.getsizeof(o)
      sim:decref(o)
    end
    local d = sim:getitem(keep, n - 1)
    out[#out + 1] = sim:len(d)
    sim:decref(d)
    return out
  end,
}
