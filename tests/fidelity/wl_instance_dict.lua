-- obj.__dict__ and vars(obj) (wl_instance_dict.py), call for call
local py = require "python"

return {
  run = function(sim)
    local minor = tonumber(tostring(sim):match("cpython%-3%.(%d+)"))
    local shared_values = minor >= 11                    -- SHARED_VALUES: 3.11 on
    local keep = sim:new("list")
    local ps = sim:new("list")
    py.for_range(sim, 200, function(i, iobj)
      local p = sim:new("object", "P")
      local x = sim:op(iobj, "*", 1000)
      sim:setattr(p, "x", x)
      sim:decref(x)
      local y = sim:new("list", 1)                      -- [i]
      sim:setitem(y, 0, iobj)
      sim:setattr(p, "y", y)
      sim:decref(y)
      sim:append(ps, p)
      sim:decref(p)
    end)
    py.for_range(sim, 100, function(i)
      local p = sim:getitem(ps, 2 * i)
      local d = sim:getattr(p, "__dict__")
      sim:decref(p)
      sim:append(keep, d)
      sim:decref(d)
    end)
    py.for_range(sim, 100, function(i, iobj)
      local p = sim:getitem(ps, 2 * i)
      local t = sim:op(iobj, "*", 1000)
      local x = sim:op(t, "+", 7)
      sim:decref(t)
      sim:setattr(p, "x", x)
      sim:decref(x)
      local z = sim:op(iobj, "*", 1000)
      sim:setattr(p, "z", z)
      sim:decref(z)
      if shared_values then sim:delattr(p, "y") end
      sim:decref(p)
    end)
    local p1 = sim:getitem(ps, 1)
    local v = sim:vars(p1)
    sim:decref(p1)
    sim:append(keep, v)
    sim:decref(v)
    local r = sim:new("object", "R")
    local d = sim:getattr(r, "__dict__")
    py.for_range(sim, shared_values and 34 or 3, function(k, kobj)
      local name = "a" .. k                               -- NAMES[k]: a constant of the code
      local val = sim:op(kobj, "*", 1000)
      sim:setattr(r, name, val)
      sim:decref(val)
    end)
    sim:append(keep, d)
    sim:decref(d)
    sim:append(keep, ps)
    sim:decref(ps)
    sim:append(keep, r)
    sim:decref(r)
    return keep
  end,
  sizes = function(sim, kept)
    local out, items = {}, {}
    for k, i in ipairs{0, 1, 100, 101} do
      items[k] = sim:getitem(kept, i)
      out[k] = sim.sys.getsizeof(items[k])
    end
    out[5], out[6], out[7] = sim:len(items[1]), sim:len(items[3]), sim:len(items[4])
    for _, x in ipairs(items) do sim:decref(x) end
    return out
  end,
}
