-- %-formatting (wl_str_format.py), call for call
local py = require "python"
local W = {'alpha', 'délta', '€uro', '😀'}

return {
  run = function(sim)
    local w = {}
    for i, x in ipairs(W) do w[i - 1] = sim:literal(x) end   -- the tuple's constants
    local B = sim:literal(string.rep("y", 150))
    local f = {}
    for _, t in ipairs({"item %d", "%c", "%o%%", "%s"}) do
      f[t] = sim:literal(t)
    end
    local keep = sim:new("list")
    local function put(o) sim:append(keep, o); sim:decref(o) end
    py.for_range(sim, 300, function(i, iobj)
      put(sim:op(f["item %d"], "%", iobj))
      put(sim:format("%s=%x", w[i % 4], iobj))          -- a tuple display: 3.11 on, some are f-strings
      put(sim:format("[%s|%s]", B, w[i % 4]))
      local c = sim:new("int", 65 + i % 26)              -- 65 + i % 26: small ints, static
      put(sim:format("%c-%c", c, sim:literal(0x20ac)))
      sim:decref(c)
      c = sim:new("int", 65 + i % 26)
      put(sim:op(f["%c"], "%", c))
      sim:decref(c)
      put(sim:op(f["%o%%"], "%", iobj))
      put(sim:op(f["%s"], "%", w[i % 4]))
      put(sim:format("%s and %s", iobj, B))
    end)
    return keep
  end,
  sizes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
}
