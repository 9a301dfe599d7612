-- str and bytes operations (wl_str_ops.py), call for call
local py = require "python"
local W = {'alpha', 'beta', 'gamma', 'délta', '€', '😀'}

return {
  run = function(sim)
    local w = {}
    for i, x in ipairs(W) do w[i - 1] = sim:literal(x) end   -- the tuple's constants
    local keep = sim:new("list")
    local function put(o) sim:append(keep, o); sim:decref(o) end
    local s = sim:literal("")
    py.for_range(sim, 300, function(i) s = sim:iconcat(s, w[i % 3]) end)
    put(s)
    local u = sim:concat(w[3], w[0])
    py.for_range(sim, 200, function() u = sim:iconcat(u, w[1]) end)
    put(u)
    local v = sim:concat(w[0], w[1])
    py.for_range(sim, 50, function() v = sim:iconcat(v, w[4]) end)
    put(v)
    py.for_range(sim, 100, function(i, iobj)
      put(sim:concat(w[i % 4], w[(i + 1) % 4]))
      put(sim:multiply(w[i % 6], i % 5))
      local p = sim:new("int", i * 7)                 -- i * 7
      put(sim:str(p))
      sim:decref(p)
      put(sim:fstring(iobj, ":", w[i % 6], "!"))
    end)
    local part = sim:slice(keep, 3, 50)
    local big = sim:join(sim:literal("-"), part)
    sim:decref(part)
    sim:append(keep, big)
    put(sim:slice(big, 5, 40))
    put(sim:slice(big, 3, 4))
    put(sim:slice(big))
    sim:decref(big)
    local b = sim:literal("ab", "bytes")
    put(sim:multiply(b, 3))
    put(sim:multiply(b, 0))
    put(sim:concat(b, sim:literal("cd", "bytes")))
    return keep
  end,
  sizes = {0, 1, 2, 3, 4, 5, 6, -7, -6},
}
