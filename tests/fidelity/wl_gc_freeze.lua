-- gc.freeze() and the generations' counts (wl_gc_freeze.py)
local py = require "python"
local function make(sim, n, keep)
  py.for_range(sim, n, function()
    local l = sim:new("list")
    sim:append(keep, l)
    sim:decref(l)
  end)
end
return {
  gc = true,
  run = function(sim)
    local keep = sim:new("list")
    make(sim, 6900, keep)
    sim.gc.freeze()
    make(sim, 1400, keep)
    return keep
  end,
}
