-- object_pool: making and dropping objects in a loop, against reusing them.
--
-- Every new object is an allocation and every dropped one a free, unless a
-- free list keeps it: CPython parks up to 100 floats, 80 lists, 80 dicts
-- and 2,000 tuples of each size 1..20 and hands them out again without
-- touching pymalloc.  A Python-level object pool does the same for a class.

local py = require "python"

return experiment {
  name = "object_pool",
  title = "Object pools and CPython's free lists: allocator work per loop",
  -- a clean slate: an empty heap, so that every block on the plots is the lesson's
  startup = false,
  options = {
    n = {100000, "loop iterations", integer = true, min = 0},
    size = {16, "pool size (objects kept for reuse)", integer = true, min = 1},
  },
  order = {"big_ints", "floats", "tuples", "instances", "pooled"},
  runs = {
    -- for i in range(n): x = i * BIG   (3-digit ints: no free list)
    big_ints = function(sim, opt)
      for _ = 1, opt.n do sim:decref(sim:new("int", {digits = 3})) end
    end,
    -- for i in range(n): x = i + 0.5   (the float free list)
    floats = function(sim, opt)
      for _ = 1, opt.n do sim:decref(sim:new("float")) end
    end,
    -- for i in range(n): t = (a, b, c)   (the 3-tuple free list)
    tuples = function(sim, opt)
      for _ = 1, opt.n do sim:decref(sim:new("tuple", 3)) end
    end,
    -- for i in range(n): p = Point(); p.x = ...; p.y = ...   (no free list)
    instances = function(sim, opt, run)
      for i = 1, opt.n do
        local p = py.instance(sim, "Point", {"x", "y"})
        if i == opt.n then run:record("instance_getsizeof", sim.sys.getsizeof(p)) end
        sim:decref(p)
      end
    end,
    -- pool = [Point() for _ in range(size)]; reuse pool[i % size]
    pooled = function(sim, opt)
      local pool = {}
      for k = 1, opt.size do pool[k] = py.instance(sim, "Point", {"x", "y"}) end
      for i = 1, opt.n do
        local p = pool[(i - 1) % opt.size + 1]
        local x = sim:new("float")
        sim:setattr(p, "x", x)                      -- p.x = new value
        sim:decref(x)
      end
      for k = 1, opt.size do sim:decref(pool[k]) end
    end,
  },
  plots = {
    {name = "allocator_calls", kind = "bars", metrics = {"allocs", "frees"}, logy = true,
     title = "Calls that reach the allocator, per run", ylabel = "calls"},
    {name = "pool_peak", kind = "sweep", option = "size", y = "peak_live_bytes",
     values = {4, 16, 64, 200}, runs = {"pooled"},
     title = "The pool's peak live heap against its size", xlabel = "objects in the pool"},
    {name = "latency", kind = "latency", which = "alloc", logy = true,
     title = "Allocation latency percentiles (simulated)"},
  },
}
