-- floats made from values (wl_float_values.py), call for call
local py = require "python"

return {
  run = function(sim)
    local reuse = tonumber(tostring(sim):match("cpython%-3%.(%d+)")) >= 12   -- REUSE: 3.12 on
    local keep = sim:new("list")
    local prices = sim:new("dict")
    local total = sim:literal(0.0)
    local x
    py.for_range(sim, 300, function(_, iobj)
      local nx = sim:op(iobj, "*", 0.5)                 -- x = i * 0.5
      if x then sim:decref(x) end
      x = nx
      local nt = sim:op(total, "+", x)                   -- total = total + x
      sim:decref(total)
      total = nt
      sim:setitem(prices, x, iobj)                       -- prices[x] = i
    end)
    local minus = sim:literal(-1.5)
    py.for_range(sim, 100, function(_, iobj) sim:setitem(prices, iobj, minus) end)
    local s = sim:new("set")
    py.for_range(sim, 200, function(_, iobj)
      local q = sim:op(iobj, "/", 4)                     -- i / 4
      sim:add(s, q)
      sim:decref(q)
    end)
    py.for_range(sim, 50, function(_, iobj) sim:add(s, iobj) end)
    local y = sim:new("list")
    py.for_range(sim, 100, function(_, iobj)
      local v = sim:op(iobj, "*", 0.5)                   -- i * 0.5
      if not reuse then                                  -- + 1.0: the temporary dropped
        local t = v
        v = sim:op(t, "+", 1.0)
        sim:decref(t)
      end
      sim:append(y, v)
      sim:decref(v)
    end)
    for _, o in ipairs{total, prices, s, y} do
      sim:append(keep, o)
      sim:decref(o)
    end
    if x then sim:decref(x) end                          -- the frame's locals, at its end
    return keep
  end,
  sizes = function(sim, kept)
    local out, items = {}, {}
    for i = 0, 3 do
      items[i] = sim:getitem(kept, i)
      out[#out + 1] = sim.sys.getsizeof(items[i])
    end
    out[5], out[6] = sim:len(items[1]), sim:len(items[2])
    for i = 0, 3 do sim:decref(items[i]) end
    return out
  end,
}
