-- arena_fragmentation: why a few survivors keep memory mapped.
--
-- Build many small objects, drop all but every k-th: pymalloc can only
-- return an arena to the system when every pool in it is empty, so one
-- survivor per arena pins the whole arena.  Allocating the survivors
-- together, before the temporaries, lets the temporaries' arenas go.

local py = require "python"

local function build(sim, n, base)
  local l = sim:new("list")
  local last = sim:append_range(l, base, base + n)     -- [i for i in ...] as ints
  if last then sim:decref(last) end
  return l
end

local function every(sim, l, k)                         -- l[::k]
  local keep = sim:new("list")
  for i = 0, sim:len(l) - 1, k do
    local x = sim:getitem(l, i)
    sim:append(keep, x)
    sim:decref(x)
  end
  return keep
end

-- the temporaries are gone: what is left, and where
local function after_drop(sim, run, keep)
  run:arena_map("after")
  run:record("survivors", sim:len(keep))
  run:record("arenas_after_drop", sim:stats().arenas_current)
  sim:sample("dropped")
  sim:decref(keep)
end

return experiment {
  name = "arena_fragmentation",
  title = "Arena fragmentation: a few survivors pin whole arenas",
  -- a clean slate: an empty heap, so that every block on the plots is the lesson's
  startup = false,
  options = {
    n = {300000, "small objects built", integer = true, min = 1},
    k = {1000, "one in k survives", integer = true, min = 1},
  },
  order = {"spread", "together"},
  runs = {
    -- big = [many ints]; keep = big[::k]; del big
    spread = function(sim, opt, run)
      local big = build(sim, opt.n, 100000)
      run:arena_map("built")
      local keep = every(sim, big, opt.k)
      sim:decref(big)
      after_drop(sim, run, keep)
    end,
    -- keep = [the survivors first]; big = [the rest]; del big
    together = function(sim, opt, run)
      local keep = build(sim, opt.n // opt.k, 100000)
      local big = build(sim, opt.n - opt.n // opt.k, 200000)
      run:arena_map("built")
      sim:decref(big)
      after_drop(sim, run, keep)
    end,
  },
  plots = {
    {name = "arenas", kind = "series", y = "arena_bytes",
     title = "Memory in arenas: survivors spread out pin them"},
    {name = "map_built", kind = "heatmap", map = "built",
     title = "Arenas by pools, all objects alive"},
    {name = "map_after", kind = "heatmap", map = "after",
     title = "Arenas by pools, after dropping all but the survivors"},
    {name = "kept_vs_k", kind = "sweep", option = "k", y = "arenas_after_drop",
     values = {10, 100, 1000, 10000, 100000}, logx = true,
     title = "Arenas still mapped once the temporaries are gone, against k",
     xlabel = "k (one object in k survives)", ylabel = "arenas"},
    {name = "kept", kind = "bars", metrics = {"arenas_highwater", "arenas_after_drop"},
     title = "Arenas at the peak, and still mapped once the temporaries are gone",
     ylabel = "arenas"},
  },
}
