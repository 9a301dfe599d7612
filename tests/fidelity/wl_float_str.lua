-- str() of floats (wl_float_str.py), call for call
local py = require "python"
local V = {3.14159, 1e22, -0.0001, 0.1, 2.5e-10, 1e16, 123456.789}

return {
  run = function(sim)
    local v = {}
    for k, x in ipairs(V) do v[k - 1] = sim:literal(x) end   -- the tuple's constants
    local pct = sim:literal("%s")
    local keep = sim:new("list")
    local function put(o) sim:append(keep, o); sim:decref(o) end
    local x
    py.for_range(sim, 200, function(i, iobj)
      local n = sim:op(iobj, "+", 1)                     -- i + 1
      local nx = sim:op(v[i % 7], "*", n)                -- V[i % 7] * (i + 1)
      sim:decref(n)
      if x then sim:decref(x) end                        -- STORE_FAST x
      x = nx
      put(sim:fstring(x))                                -- f"{x}"
      put(sim:op(pct, "%", x))                           -- "%s" % x
      put(sim:fstring("v=", x, "!"))                     -- f"v={x}!"
    end)
    if x then sim:decref(x) end
    return keep
  end,
  sizes = function(sim, kept)
    local out = {}
    for i = 0, 20 do
      local s = sim:getitem(kept, i)
      out[#out + 1] = sim.sys.getsizeof(s)
      sim:decref(s)
    end
    return out
  end,
}
