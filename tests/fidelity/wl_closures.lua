-- cells and closures, bound methods, __slots__, dict and set iterators (wl_closures.py)
local py = require "python"
local first_cell                                      -- the script's own handle on make(0)'s cell

return {
  run = function(sim)
    local keep = sim:new("list")
    local function put(o) sim:append(keep, o); sim:decref(o) end
    py.for_range(sim, 200, function(i, iobj)          -- make(i)
      local cell = sim:new("cell", iobj)              -- MAKE_CELL v
      local closure = sim:new("tuple", 1)             -- LOAD_CLOSURE v; BUILD_TUPLE 1
      sim:setitem(closure, 0, cell)
      local f = sim:new("function", {closure = closure})   -- MAKE_FUNCTION (closure)
      if i == 0 then first_cell = cell; sim:incref(cell) end
      sim:decref(closure)
      sim:decref(cell)                                -- the frame ends: v goes
      put(f)
    end)
    local p
    py.for_range(sim, 200, function(i, iobj)
      local q = sim:new("object", "P", {"x", "y"})    -- p = P()
      if p then sim:decref(p) end
      p = q
      sim:setattr(p, "x", iobj)
      sim:setattr(p, "y", keep)
      sim:append(keep, p)
    end)
    local c = sim:new("object", "C")
    py.for_range(sim, 200, function() put(sim:new("method", c)) end)
    local d = sim:new("dict")                         -- {1: 2, 3: 4}
    local k1, v2, k3, v4 = sim:new("int", 1), sim:new("int", 2), sim:new("int", 3), sim:new("int", 4)
    sim:setitem(d, k1, v2)
    sim:setitem(d, k3, v4)
    local s = sim:new("set")                          -- {1, 2}
    sim:add(s, k1)
    sim:add(s, v2)
    for _, o in ipairs{k1, v2, k3, v4} do sim:decref(o) end
    py.for_range(sim, 100, function()
      put(sim:iter(d))
      put(sim:iter(d, "items"))
      put(sim:iter(d, "values"))
      put(sim:iter(s))
    end)
    sim:decref(p); sim:decref(c); sim:decref(d); sim:decref(s)
    return keep
  end,
  sizes = function(sim, keep)
    local out = {}
    local f = sim:getitem(keep, 0)
    out[1] = sim.sys.getsizeof(f)
    sim:decref(f)
    out[2] = sim.sys.getsizeof(first_cell)            -- keep[0].__closure__[0]
    sim:decref(first_cell)
    for _, i in ipairs{200, 400, 600, 601, 603} do
      local o = sim:getitem(keep, i)
      out[#out + 1] = sim.sys.getsizeof(o)
      sim:decref(o)
    end
    return out
  end,
}
