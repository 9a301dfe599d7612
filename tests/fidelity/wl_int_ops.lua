-- int arithmetic (wl_int_ops.py), operation for operation
local py = require "python"
local BIG, M, NBIG = 1099511627776, 1000, -1099511627776

return {
  run = function(sim)
    local big, m, nbig = sim:literal(BIG), sim:literal(M), sim:literal(NBIG)
    local keep = sim:new("list")
    local function put(o) sim:append(keep, o); sim:decref(o) end
    py.for_range(sim, 100, function(i, iobj)
      local p = sim:op(iobj, "*", m)                  -- i * M + M
      put(sim:op(p, "+", m)); sim:decref(p)
      put(sim:op(big, "+", iobj))                     -- BIG + i
      local q = sim:op(big, "+", iobj)                -- (BIG + i) - BIG
      put(sim:op(q, "-", big)); sim:decref(q)
      local r = sim:op(iobj, "+", 3)                  -- BIG * (i + 3)
      put(sim:op(big, "*", r)); sim:decref(r)
      local sh = sim:new("int", i % 50 + 20)          -- i % 50 + 20: small ints, cached
      put(sim:op(sim:literal(1), "<<", sh)); sim:decref(sh)
      put(sim:op(nbig, "-", iobj))                    -- NBIG - i
    end)
    local x = big
    sim:incref(x)                                     -- x = BIG
    py.for_range(sim, 300, function() x = sim:op(x, "+=", 1) end)
    put(x)
    return keep
  end,
  sizes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -1},
}
