-- versions: the same Python under CPython 3.9 to 3.14.
--
-- One program, seven interpreters: objects with attributes, strings, a
-- churn of cyclic garbage, and cycles that live a while before they die.
-- What changes is only what changed between the versions: before 3.11 an
-- instance's attributes live in a real __dict__ (a dict object and a
-- values array beside the object); 3.11 keeps them in a values array; 3.12
-- dropped the str's wstr pointer (8 bytes) and put an instance's dict and
-- weakref pointers before the object (16 bytes less); 3.13 keeps the
-- values inside the object (one block) and collects the young generation
-- after 2,000 allocations, not 700.  3.14.0 to 3.14.4 collected
-- incrementally (a young generation and two old spaces scanned a slice at
-- a time); 3.14.5 went back to 3.13's generations.  No 3.14 is installed
-- on this project's machine: its profiles are read from the sources.

local py = require "python"

-- the blocks and block bytes pymalloc holds now: around one object's
-- making, their change is what that object costs
local function blocks(sim)
  local st = sim:stats()
  return st.allocated_blocks, st.bytes.in_blocks
end

-- class C with three attributes set in __init__: o = C(); o.a = o.b = o.c = None
-- The last instance is measured for the handout (its blocks, their bytes,
-- sys.getsizeof): the first few get bigger values arrays while the
-- class's shared keys give up their spare slots, one an instance.
local function instances(sim, n, keep, none, run)
  py.for_range(sim, n, function(i)
    local b0, bytes0
    if i == n - 1 then b0, bytes0 = blocks(sim) end
    local o = sim:new("object", "C")
    sim:setattr(o, "a", none)
    sim:setattr(o, "b", none)
    sim:setattr(o, "c", none)
    if i == n - 1 then
      local b1, bytes1 = blocks(sim)
      run:record("instance_blocks", b1 - b0)
      run:record("instance_block_bytes", bytes1 - bytes0)
      run:record("instance_getsizeof", sim.sys.getsizeof(o))
    end
    sim:append(keep, o)
    sim:decref(o)
  end)
end

-- strings of 20 ASCII characters: 'x' * 20 + str(i)[:0], kept; the first
-- one's sys.getsizeof and block size are recorded for the handout
local function strings(sim, n, keep, run)
  py.for_range(sim, n, function(i)
    local b0, bytes0
    if i == 0 then b0, bytes0 = blocks(sim) end
    local s = sim:new("str", 20)
    if i == 0 then
      local _, bytes1 = blocks(sim)
      run:record("str_block_bytes", bytes1 - bytes0)
      run:record("str_getsizeof", sim.sys.getsizeof(s))
    end
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

-- ring = [None] * w; for i in range(n): a, b = Node(), Node(); a.other = b;
-- b.other = a; ring[i % w] = a: each pair lives while w newer ones are made,
-- then becomes garbage.  Every n/100 pairs the run counts the objects a
-- full collection would free at that moment (sim:garbage(), memsim's own).
local function medium_lived(sim, n, w, run)
  local ring = sim:new("list", w)
  local rows, every = {}, math.max(1, n // 100)
  py.for_range(sim, n, function(i)
    local a, b = sim:new("object", "Node"), sim:new("object", "Node")
    sim:setattr(a, "other", b)
    sim:setattr(b, "other", a)
    local k = sim:new("int", i % w)     -- the index, an int object of its own past 256
    sim:setitem(ring, i % w, a)
    sim:decref(k)
    sim:decref(a)
    sim:decref(b)
    if (i + 1) % every == 0 then
      rows[#rows + 1] = {pairs_made = i + 1, outstanding_garbage = sim:garbage()}
    end
  end)
  run:table("garbage", {"pairs_made", "outstanding_garbage"}, rows)
  local most, sum = 0, 0
  for _, r in ipairs(rows) do
    most = math.max(most, r.outstanding_garbage)
    sum = sum + r.outstanding_garbage
  end
  run:record("garbage_max", most)
  run:record("garbage_mean", #rows > 0 and sum // #rows or 0)
  sim:decref(ring)
end

local function program(sim, opt, run)
  local none = sim:new("None")
  local objs, strs = sim:new("list"), sim:new("list")
  instances(sim, opt.n, objs, none, run)
  sim:sample("instances built")
  run:snapshot("instances_built")
  strings(sim, opt.n, strs, run)
  sim:sample("strings built")
  run:snapshot("strings_built")
  cycles(sim, opt.n)
  sim:sample("cycles dropped")
  medium_lived(sim, opt.n, opt.window, run)
  sim:sample("ring of cycles done")
  sim:decref(objs)
  sim:decref(strs)
end

return experiment {
  name = "versions",
  title = "The same program under CPython 3.9, 3.10, 3.11, 3.12, 3.13 and 3.14",
  -- a clean slate: an empty heap, so that every block on the plots is the program's
  startup = false,
  options = {
    n = {100000, "instances, strings and pairs of cyclic garbage made (each phase)", integer = true, min = 1},
    window = {2000, "pairs alive at once in the last phase (the ring's length)", integer = true,
              min = 1, max = 1000000},
  },
  order = {"cpython_3_9", "cpython_3_10", "cpython_3_11", "cpython_3_12", "cpython_3_13",
           "cpython_3_14_0", "cpython_3_14"},
  runs = {cpython_3_9 = program, cpython_3_10 = program, cpython_3_11 = program,
          cpython_3_12 = program, cpython_3_13 = program, cpython_3_14_0 = program,
          cpython_3_14 = program},
  configs = {cpython_3_9 = {profile = "cpython-3.9"}, cpython_3_10 = {profile = "cpython-3.10"},
             cpython_3_11 = {profile = "cpython-3.11"}, cpython_3_12 = {profile = "cpython-3.12"},
             cpython_3_13 = {profile = "cpython-3.13"}, cpython_3_14_0 = {profile = "cpython-3.14.0"},
             cpython_3_14 = {profile = "cpython-3.14"}},
  plots = {
    {name = "live", kind = "series", y = "live_bytes", x = "events",
     runs = {"cpython_3_9", "cpython_3_10", "cpython_3_11", "cpython_3_12", "cpython_3_13"},
     title = "Live heap over the program's allocator events, 3.9 to 3.13"},
    {name = "live_314", kind = "series", y = "live_bytes", x = "events",
     runs = {"cpython_3_13", "cpython_3_14_0", "cpython_3_14"},
     title = "Live heap over the program's allocator events, 3.13 and the two 3.14 collectors"},
    {name = "peak", kind = "bars", metrics = {"peak_live_bytes", "peak_rss_bytes"},
     title = "The same program's peak, per version"},
    {name = "allocations", kind = "bars", metrics = {"allocs"},
     title = "Allocator calls: three blocks an instance before 3.11, two in 3.11 and 3.12, one in 3.13",
     ylabel = "allocations"},
    {name = "arenas", kind = "bars", metrics = {"arenas_highwater"},
     title = "Arenas at the peak (256 KiB in 3.9, 1 MiB after), per version", ylabel = "arenas"},
    {name = "collections", kind = "bars", metrics = {"gc0", "gc1", "gc2"}, logy = true,
     title = "Collections of each generation (3.14.0: its increments count as generation 1), per version",
     ylabel = "collections"},
    {name = "garbage", kind = "table", table = "garbage", x = "pairs_made", y = {"outstanding_garbage"},
     title = "Cyclic garbage waiting to be collected while pairs live a while, then die",
     xlabel = "pairs made in the last phase", ylabel = "objects a full collection would free"},
    {name = "garbage_bars", kind = "bars", metrics = {"garbage_mean", "garbage_max"},
     title = "Outstanding cyclic garbage in the last phase: mean and most, per version",
     ylabel = "objects"},
    {name = "pauses", kind = "latency", which = "gc", logy = true,
     title = "Collection pauses (simulated), per version"},
  },
}
