-- versions: the same Python under CPython 3.9 to 3.13.
--
-- One program, five interpreters: objects with attributes, strings, and
-- a churn of cyclic garbage.  What changes is only what changed between
-- the versions: before 3.11 an instance's attributes live in a real
-- __dict__ (a dict object and a values array beside the object); 3.11
-- keeps them in a values array; 3.12 dropped the str's wstr pointer (8
-- bytes) and put an instance's dict and weakref pointers before the object
-- (16 bytes less); 3.13 keeps the values inside the object (one block) and
-- collects the young generation after 2,000 allocations, not 700.

local py = require "python"

-- class C with three attributes set in __init__: o = C(); o.a = o.b = o.c = None
local function instances(sim, n, keep, none)
  py.for_range(sim, n, function()
    local o = sim:new("object", "C")
    sim:setattr(o, "a", none)
    sim:setattr(o, "b", none)
    sim:setattr(o, "c", none)
    sim:append(keep, o)
    sim:decref(o)
  end)
end

-- strings of 20 ASCII characters: 'x' * 20 + str(i)[:0], kept
local function strings(sim, n, keep)
  py.for_range(sim, n, function()
    local s = sim:new("str", 20)
    sim:append(keep, s)
    sim:decref(s)
  end)
end

-- pairs of instances that point at each other, dropped at once: garbage
-- only the cycle collector can free
local function cycles(sim, n)
  py.for_range(sim, n, function()
    local a, b = sim:new("object", "Node"), sim:new("object", "Node")
    sim:setattr(a, "other", b)
    sim:setattr(b, "other", a)
    sim:decref(a)
    sim:decref(b)
  end)
end

local function program(sim, opt)
  local none = sim:new("None")
  local objs, strs = sim:new("list"), sim:new("list")
  instances(sim, opt.n, objs, none)
  sim:sample("instances built")
  strings(sim, opt.n, strs)
  sim:sample("strings built")
  cycles(sim, opt.n)
  sim:sample("cycles dropped")
  sim:decref(objs)
  sim:decref(strs)
end

return experiment {
  name = "versions",
  title = "The same program under CPython 3.9, 3.10, 3.11, 3.12 and 3.13",
  -- a clean slate: an empty heap, so that every block on the plots is the program's
  startup = false,
  options = {
    n = {100000, "instances, strings and pairs of cyclic garbage made", integer = true, min = 1},
  },
  order = {"cpython_3_9", "cpython_3_10", "cpython_3_11", "cpython_3_12", "cpython_3_13"},
  runs = {cpython_3_9 = program, cpython_3_10 = program, cpython_3_11 = program,
          cpython_3_12 = program, cpython_3_13 = program},
  configs = {cpython_3_9 = {profile = "cpython-3.9"}, cpython_3_10 = {profile = "cpython-3.10"},
             cpython_3_11 = {profile = "cpython-3.11"}, cpython_3_12 = {profile = "cpython-3.12"},
             cpython_3_13 = {profile = "cpython-3.13"}},
  plots = {
    {name = "live", kind = "series", y = "live_bytes", x = "events",
     title = "Live heap over the program's allocator events, per version"},
    {name = "peak", kind = "bars", metrics = {"peak_live_bytes", "peak_rss_bytes"},
     title = "The same program's peak, per version"},
    {name = "allocations", kind = "bars", metrics = {"allocs"},
     title = "Allocator calls: three blocks an instance before 3.11, two in 3.11 and 3.12, one in 3.13",
     ylabel = "allocations"},
    {name = "arenas", kind = "bars", metrics = {"arenas_highwater"},
     title = "Arenas at the peak (256 KiB in 3.9, 1 MiB after), per version", ylabel = "arenas"},
    {name = "collections", kind = "bars", metrics = {"gc0", "gc1", "gc2"}, logy = true,
     title = "Collections of each generation, per version", ylabel = "collections"},
    {name = "pauses", kind = "latency", which = "gc", logy = true,
     title = "Collection pauses (simulated), per version"},
  },
}
