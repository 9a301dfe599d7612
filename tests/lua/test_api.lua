-- test_api.lua: every function of the Lua contract v1, and its errors.
local T = require "check"

-- memsim.new and its options
-- (an empty heap: the checks below count every block and arena)
local sim = memsim.new{profile = "cpython-3.11", allocator = "pymalloc", gc = true, seed = 1,
                       startup = false}
T.ok(tostring(sim):find("cpython%-3.11"), "tostring names the profile")
T.ok(require("memsim") == memsim, "require 'memsim' gives the global")
T.err(function() memsim.new{colour = "red"} end, "unknown option 'colour'", "unknown option")
T.err(function() memsim.new{profile = "cpython-2.7"} end, "unknown profile", "bad profile")
T.err(function() memsim.new{allocator = "jemalloc"} end, "unknown allocator", "bad allocator")
T.err(function() memsim.new{gc = "yes"} end, "'gc' must be true or false", "bad gc")
T.err(function() memsim.new{seed = 1.5} end, "'seed' must be an integer", "bad seed")
T.err(function() memsim.new{startup = "yes"} end, "'startup' must be true, false or a table", "bad startup")
-- a light userdata (debug.upvalueid's) is neither a simulator nor a handle: refused before it is read
if debug and debug.upvalueid then
  local up = 1
  local light = debug.upvalueid(function() return up end, 1)
  local probe = memsim.new{}
  T.err(function() probe:len(light) end, "object handle expected", "a light userdata as a handle")
  T.err(function() probe.len(light, light) end, "memsim.Sim expected", "a light userdata as a simulator")
  probe:close()
end
-- the default heap is a real interpreter's at start-up (sim/profiles/NAME.startup.lua)
do
  local real, empty = memsim.new{}, memsim.new{startup = false}
  -- its blocks: 35,606 in pymalloc's pools and 1,312 passed to malloc (over 512 bytes)
  T.eq(real.sys.getallocatedblocks(), 35606 + 1312, "memsim.new{} starts from the measured start-up heap")
  T.eq(select(1, real.gc.get_count()), 263, "with the start-up heap's collector counts")
  T.eq(empty.sys.getallocatedblocks(), 0, "startup = false: an empty heap")
  -- the free lists python3 -c has at start: 4 floats, 39 lists, 13 dicts ... (3.11.7)
  T.eq(real:stats().freelist_objects, 121, "the start-up heap's parked objects")
  local allocs, fl = real:stats().allocs, {}
  for k = 1, 5 do fl[k] = real:new("float") end
  T.eq(real:stats().allocs - allocs, 1, "four floats come from the free list, the fifth is allocated")
  T.eq(real.sys.getallocatedblocks(), 35606 + 1312 + 1, "one block more")
  for k = 1, 5 do real:decref(fl[k]) end
  local other = memsim.new{profile = "cpython-3.13"}
  T.eq(other.sys.getallocatedblocks(), 15552 + 428, "3.13's own start-up heap (measured on 3.13.0)")
  T.eq(select(1, other.gc.get_count()), 53, "with 3.13's collector counts")
  local small = memsim.new{profile = "cpython-3.9"}
  T.eq(small:stats().arenas_current, 6, "3.9's start-up heap in 256 KiB arenas")
  small:close()
  -- no 3.14 is installed here: both 3.14 profiles start from 3.13.0's measured heap
  for _, name in ipairs{"cpython-3.14", "cpython-3.14.0"} do
    local p = memsim.new{profile = name}
    T.eq(p.sys.getallocatedblocks(), 15552 + 428, name .. " starts from 3.13.0's heap (no 3.14 to measure)")
    p:close()
  end
  real:close(); empty:close(); other:close()
  -- a shape's large blocks: {[bytes] = blocks}, made through malloc
  local big = memsim.new{startup = {large = {[100000] = 2, [0] = 1, [600] = 3}}}
  T.eq(big.sys.getallocatedblocks(), 6, "large blocks are counted as CPython counts them")
  T.ok(big:stats().bytes.raw_in_use >= 2 * 100000 + 3 * 600, "and held by the raw allocator")
  T.eq(big:stats().bytes.arenas, 0, "not by pymalloc")
  big:close()
  T.err(function() memsim.new{startup = {large = {[512] = 1}}} end,
        "512 bytes is not 0 nor from 513", "a small block is not large")
  T.err(function() memsim.new{startup = {large = {[600] = 0}}} end, "block counts from 1", "no blocks")
  T.err(function() memsim.new{startup = {large = {[-1] = 1}}} end, "sizes in bytes from 0", "negative size")
  T.err(function() memsim.new{startup = {large = {[600] = 1.5}}} end, "block counts from 1", "a fraction")
  T.err(function() memsim.new{startup = {large = {[1 << 26] = 1 << 20}}} end, "more than a heap holds",
        "bytes bounded")
  local many = {}
  for k = 1, 1025 do many[512 + k] = 1 end
  T.err(function() memsim.new{startup = {large = many}} end, "more than 1024 sizes", "sizes bounded")
end
-- immortal objects (3.12 on): sys.getrefcount of None, 5, '' and 'a' is
-- 4294967295 under python 3.12.1 and 3.13.0
do
  for _, name in ipairs{"cpython-3.12", "cpython-3.13", "cpython-3.14"} do
    local p = memsim.new{profile = name, startup = false}
    for what, x in pairs{None = p:new("None"), five = p:new("int", 5), empty = p:new("str", 0),
                         one = p:new("str", 1)} do
      T.eq(p:refcount(x), 4294967295, name .. ": " .. what .. " is immortal")
    end
    T.eq(p:refcount(p:new("int", 1000)), 1, name .. ": a new int is not")
    p:close()
  end
  local old = memsim.new{profile = "cpython-3.11", startup = false}
  T.ok(old:refcount(old:new("None")) < 1000, "3.11: None's count moves")
  old:close()
end
-- the 3.14.0 collector as the gc module reports it
do
  local inc = memsim.new{profile = "cpython-3.14.0", startup = false}
  T.eq(table.concat({inc.gc.get_threshold()}, " "), "2000 10 0", "3.14.0: get_threshold() says 0 for old[1]")
  local gen = memsim.new{profile = "cpython-3.14", startup = false}
  T.eq(table.concat({gen.gc.get_threshold()}, " "), "2000 10 10", "3.14 (3.14.5 on): the generational thresholds")
  -- 2001 self-referencing lists: the 2001st allocation is a collection call
  -- of generation 1 in both; 3.14.0's first one only marks
  for _, sm in ipairs{inc, gen} do
    for _ = 1, 2001 do
      local l = sm:new("list")
      sm:append(l, l)
      sm:decref(l)
    end
  end
  T.eq(inc.gc.get_stats()[2].collections, 0, "3.14.0: the marking call is not counted")
  T.eq(gen.gc.get_stats()[1].collections, 1, "3.14: a young collection")
  T.eq(inc:garbage(), 2001, "sim:garbage(): 3.14.0 has freed none of the cycles yet")
  T.eq(gen:garbage(), 1, "sim:garbage(): 3.14 freed all but the one made after its collection")
  T.eq(inc.gc.collect(), 2001, "gc.collect() frees what sim:garbage() counted")
  T.eq(inc:garbage(), 0, "and nothing is left")
  inc:close(); gen:close()
  T.err(function() inc:garbage() end, "closed", "sim:garbage() on a closed simulator")
end
T.err(function() memsim.new{memory_limit = 10} end, "memory_limit", "tiny limit")

-- objects
local i = sim:new("int", 1000)
local small = sim:new("int", 5)
local f = sim:new("float")
local s = sim:new("str", 10)
local b = sim:new("bytes", 100)
local t = sim:new("tuple", 3)
local l = sim:new("list")
local l5 = sim:new("list", 5)
local d = sim:new("dict")
local e = sim:new("set")
local o = sim:new("object")
local g = sim:new("generator")
local big = sim:new("int", {digits = 4})
T.eq(sim:type(i), "int", "type")
T.eq(sim.sys.getsizeof(i), 28, "int size")
T.eq(sim.sys.getsizeof(big), 40, "4-digit int")
T.eq(sim.sys.getsizeof(f), 24, "float size")
T.eq(sim.sys.getsizeof(s), 59, "str size")
T.eq(sim.sys.getsizeof(b), 133, "bytes size")
T.eq(sim.sys.getsizeof(t), 64, "tuple size")
T.eq(sim.sys.getsizeof(l), 56, "list size")
T.eq(sim.sys.getsizeof(l5), 96, "[None]*5 size")
T.eq(sim.sys.getsizeof(d), 64, "dict size")
T.eq(sim.sys.getsizeof(e), 216, "set size")
T.eq(sim.sys.getsizeof(o), 56, "instance size")
T.eq(sim.sys.getsizeof(g), 176, "generator size")
T.err(function() sim:new("complex") end, "unknown type 'complex'", "bad type")
T.err(function() sim:new("str", -1) end, "size must be >= 0", "negative size")
T.err(function() sim:new("str", 2^40 // 1) end, "too large", "absurd size")
T.err(function() sim:new("int", 1.5) end, "int value expected", "float for int")
do
  local three = sim:new("float", 3)
  T.eq(sim:value(three), 3.0, "sim:new(\"float\", 3) is float(3): a value, not a size")
  sim:decref(three)
end

-- containers
sim:setitem(t, 0, f)
T.eq(sim:refcount(f), 2, "tuple took a reference")
sim:append(l, f)
T.eq(sim:len(l), 1, "len after append")
sim:setitem(d, s, i)
T.eq(sim:len(d), 1, "dict len")
local x = sim:getitem(l, 0)
T.ok(x == f, "getitem gives the same object")
T.eq(sim:refcount(f), 4, "getitem gave a new reference")
sim:decref(x)
local y = sim:getitem(d, s)
T.ok(y == i, "dict getitem")
sim:decref(y)
sim:delitem(d, s)
T.eq(sim:len(d), 0, "dict delitem")
T.err(function() sim:getitem(d, s) end, "KeyError", "missing key")
T.err(function() sim:getitem(l, 5) end, "IndexError", "index out of range")
T.err(function() sim:setitem(f, 0, i) end, "not a container", "setitem on a float")
T.err(function() sim:setitem(l, "a", i) end, "integer index expected", "string index")
T.err(function() sim:append(d, i) end, "list expected", "append to a dict")
T.err(function() sim:len(f) end, "has no len()", "len of a float")
sim:add(e, i)
T.eq(sim:len(e), 1, "set add")
T.err(function() sim:setitem(e, i, i) end, "sim:add", "setitem on a set")
sim:delitem(e, i)
T.eq(sim:len(e), 0, "set discard")
local it = sim:iter(l)
T.eq(sim:type(it), "list_iterator", "iter")
sim:exhaust(it)
sim:decref(it)
T.err(function() sim:iter(f) end, "list, tuple, dict or set expected", "iter of a float")
-- unhashable keys: lists, dicts, sets, and tuples holding one, as CPython says
do
  local before = sim:stats().allocs
  T.err(function() sim:setitem(d, l, i) end, "TypeError: unhashable type: 'list'", "a list as a dict key")
  T.err(function() sim:add(e, d) end, "TypeError: unhashable type: 'dict'", "a dict in a set")
  T.err(function() sim:setdefault(d, e, i) end, "TypeError: unhashable type: 'set'", "setdefault with a set key")
  T.err(function() sim:getitem(d, l) end, "unhashable type: 'list'", "d[list]")
  T.err(function() sim:discard(e, l) end, "unhashable type: 'list'", "s.discard(list)")
  T.err(function() sim:pop(d, l) end, "unhashable type: 'list'", "d.pop(list)")
  local tl = sim:new("tuple", 2)
  sim:setitem(tl, 0, i)
  local inner = sim:new("tuple", 1)
  sim:setitem(inner, 0, l)
  sim:setitem(tl, 1, inner)
  T.err(function() sim:setitem(d, tl, i) end, "unhashable type: 'list'", "a tuple holding a list, nested")
  T.eq(sim:len(d), 0, "nothing inserted")
  T.eq(sim:stats().allocs - before, 2, "the refusals allocated nothing (two tuples made)")
  T.err(function() sim:setitem(inner, 0, i) end, "TypeError: 'tuple' object does not support item assignment",
        "a tuple handed out (held by another tuple) cannot be filled again")
  sim:decref(inner)
  sim:decref(tl)
  tl = sim:new("tuple", 2)
  sim:setitem(tl, 0, i)
  sim:setitem(tl, 1, i)
  sim:setitem(d, tl, i)
  T.eq(sim:len(d), 1, "a tuple of ints is a key")
  T.err(function() sim:setitem(tl, 0, l) end, "does not support item assignment", "a key's tuple cannot change")
  local eq = sim:new("tuple", 2)
  sim:setitem(eq, 0, i)
  sim:setitem(eq, 1, i)
  local v = sim:getitem(d, eq)
  T.ok(v == i, "an equal tuple finds the key")
  sim:decref(v)
  sim:delitem(d, eq)
  T.eq(sim:len(d), 0, "and deletes it")
  sim:decref(eq)
  sim:decref(tl)
end
T.eq(sim:len(l5), 5, "[None]*5 has 5 items")
T.eq(sim:type(sim:getitem(l5, -1)), "NoneType", "filled with None")

-- attributes and cycles
sim:setattr(o, "next", o)
local n = sim:getattr(o, "next")
T.ok(n == o, "getattr")
sim:decref(n)
T.err(function() sim:getattr(o, "prev") end, "AttributeError", "missing attribute")
T.err(function() sim:setattr(f, "x", i) end, "AttributeError", "setattr on a float")
T.err(function() sim:setattr(o, "", i) end, "attribute name", "empty name")
sim:delattr(o, "next")
T.err(function() sim:delattr(o, "next") end, "AttributeError", "delattr twice")

-- reference counts and freed handles
local z = sim:new("float")
T.eq(sim:refcount(z), 1, "a new object has one reference")
sim:incref(z)
T.eq(sim:refcount(z), 2, "incref")
sim:decref(z)
sim:decref(z)
T.ok(not sim:alive(z), "freed after the last decref")
local msg = T.err(function() sim:decref(z) end, "was freed", "decref of a freed object")
T.ok(msg:find("(float)", 1, true), "the message names the type")
T.ok(msg:find("test_api.lua:%d+"), "the message names the script line: " .. msg)
T.err(function() sim:refcount(z) end, "was freed", "refcount of a freed object")
T.err(function() sim:decref(small) sim:decref(small) sim:decref(small) end, "decref below zero",
      "a cached small int cannot go below its cache's reference")
T.err(function() sim:decref(42) end, "object handle expected", "a number is not a handle")

-- handles of another simulator
local other = memsim.new{}
local of = other:new("float")
T.err(function() sim:decref(of) end, "another simulator", "foreign handle")
other:close()
T.err(function() other:new("float") end, "closed", "closed simulator")

-- the gc module
local c0 = sim.gc.get_count()
T.ok(c0 > 0, "count[0] after GC allocations")
T.eq(sim.gc.collect(), 0, "nothing unreachable yet")
local c = sim:new("list")
sim:append(c, c)
sim:decref(c)
T.eq(sim.gc.collect(0), 1, "a self-referencing list is found")
T.err(function() sim.gc.collect(3) end, "invalid generation", "generation 3")
local st = sim.gc.get_stats()
T.eq(#st, 3, "three generations")
T.eq(st[1].collections, 1, "gen 0 collections")
T.eq(st[1].collected, 1, "gen 0 collected")
T.eq(st[3].collections, 1, "gen 2 collections")
local t0, t1, t2 = sim.gc.get_threshold()
T.eq(t0, 700, "threshold 0")
T.eq(t1, 10, "threshold 1")
T.eq(t2, 10, "threshold 2")
sim.gc.set_threshold(1000, 20, 30)
T.eq(select(3, sim.gc.get_threshold()), 30, "set_threshold")
T.err(function() sim.gc.set_threshold(-1) end, "threshold must be", "negative threshold")
sim.gc.disable()
T.ok(not sim.gc.isenabled(), "disable")
sim.gc.enable()
T.ok(sim.gc.isenabled(), "enable")
T.ok(sim.gc.is_tracked(l), "a list is tracked")
T.ok(not sim.gc.is_tracked(d), "an empty dict is not")
sim.gc.freeze()
T.eq((sim.gc.get_count()), 0, "freeze resets count[0]")
T.ok(sim.gc.get_freeze_count() > 0, "frozen objects")
sim.gc.unfreeze()

-- the sys module
T.ok(sim.sys.getallocatedblocks() > 10, "allocated blocks")
local text = sim.sys._debugmallocstats()
T.ok(text:find("Small block threshold = 512, in 32 size classes.", 1, true), "debugmallocstats header")
T.ok(text:find("# arenas allocated current         =                    1", 1, true), "arena line")
T.ok(text:find("free PyFloatObjects", 1, true), "free list lines")

-- the allocator level
local p = sim:malloc(100)
T.ok(p > 0, "malloc")
local q = sim:realloc(p, 300)
T.ok(q ~= p, "realloc that grows moves")
sim:free(q)
T.err(function() sim:free(q) end, "not a live block", "double free")
T.err(function() sim:malloc(-1) end, "size must be >= 0", "negative malloc")

-- step mode kept for the script: sim:explain("collect"), then sim:explained()
do
  local q = memsim.new{startup = false}
  local a, b = q:new("object", "Node"), q:new("object", "Node")
  q:setattr(a, "b", b)
  q:decref(b)
  local at = {[string.format("0x%x", q:address(a))] = "a", [string.format("0x%x", q:address(b))] = "b"}
  q:explain("collect")
  q:decref(a)
  local text = q:explained()
  local order = {}
  for addr in text:gmatch("free +(0x%x+) %(%d+ B, object%)") do order[#order + 1] = at[addr] end
  T.eq(table.concat(order, ","), "b,a", "the attribute's object is freed before its owner")
  T.eq(q:explained(), "", "explained() forgets what it returned")
  T.err(function() q:explain("loud") end, "collect", "explain takes \"collect\", true, false or a number")
  q:explain(false)
  q:close()
end

-- measurement
T.ok(sim:now() > 0, "the clock moved")
local stats = sim:stats()
T.ok(stats.bytes.arenas == 1048576, "one arena")
T.eq(stats.arenas_current, 1, "arenas_current")
T.eq(#stats.classes, 32, "32 classes")
T.eq(stats.classes[2].size, 32, "class 1 is 32 bytes")
T.ok(stats.latency.alloc.count > 0 and stats.latency.alloc.p50 > 0, "allocation latency")
T.ok(stats.latency.gc.count >= 2, "collection pauses")
sim:sample("here")
T.err(function() sim:sample("a\tb") end, "tabs, newlines", "bad label")
T.ok(sim:series_tsv():find("\there\n", 1, true), "labelled row")

-- the simulator stays consistent after errors caught with pcall
local checked = memsim.new{check = true}
local lst = checked:new("list")
for k = 1, 50 do
  local v = checked:new("float")
  checked:append(lst, v)
  checked:decref(v)
  pcall(checked.getitem, checked, lst, 1000)
end
checked:decref(lst)
T.eq(checked:stats().objects, 0, "all freed, checker ran after every call")

-- list methods: what they return and refuse, with the checker after every call
do
  local ls = memsim.new{startup = false, check = true}
  local none = ls:new("None")
  local a = ls:new("list")
  for k = 1, 10 do
    local v = ls:new("int", 1000 + k)
    ls:append(a, v)
    ls:decref(v)
  end
  local last = ls:pop(a)
  T.eq(ls:len(a), 9, "pop() takes the last item")
  T.eq(ls:refcount(last), 1, "pop() hands over the list's reference")
  local first = ls:pop(a, 0)
  T.eq(ls:len(a), 8, "pop(0)")
  ls:insert(a, -1, first)                           -- before the last, as Python's insert(-1, x)
  T.ok(ls:alive(first) and ls:refcount(first) == 2, "insert takes its own reference")
  ls:remove(a, first)
  T.eq(ls:refcount(first), 1, "remove drops the list's reference")
  T.err(function() ls:remove(a, first) end, "ValueError: list.remove(x): x not in list", "remove of a missing item")
  local b = ls:slice(a, 2, -2)
  T.eq(ls:len(b), 4, "a[2:-2]")
  T.eq(ls.sys.getsizeof(b), 56 + 8 * 4, "a slice has an exact array")
  local c = ls:concat(a, b)
  T.eq(ls:len(c), 12, "a + b")
  local m = ls:multiply(b, 3)
  T.eq(ls:len(m), 12, "b * 3")
  T.eq(ls:len(ls:multiply(b, 0)), 0, "b * 0 is an empty list")
  ls:imultiply(m, 2)
  T.eq(ls:len(m), 24, "m *= 2")
  ls:setslice(m, 1, 20, b)
  T.eq(ls:len(m), 9, "m[1:20] = b")
  ls:setslice(m, nil, nil, m)
  T.eq(ls:len(m), 9, "m[:] = m copies first")
  ls:delslice(m, 0, -1)
  T.eq(ls:len(m), 1, "del m[0:-1]")
  T.err(function() ls:extend(m, ls:new("tuple", 2)) end, "item 0 of the tuple is not set",
        "extend by a tuple not filled yet")
  local t2 = ls:new("tuple", 2)
  ls:setitem(t2, 0, none)
  ls:setitem(t2, 1, none)
  ls:extend(m, t2)
  T.eq(ls:len(m), 3, "extend by a tuple")
  ls:reverse(m)
  local cp = ls:copy(m)
  T.eq(ls:len(cp), 3, "copy")
  ls:clear(cp)
  T.eq(ls:len(cp), 0, "clear")
  T.eq(ls.sys.getsizeof(cp), 56, "clear frees the item array")
  local t5 = ls:new("tuple", 5)
  for k = 0, 4 do ls:setitem(t5, k, none) end
  T.eq(ls.sys.getsizeof(ls:list(t5)), 56 + 8 * 6, "list(t) of 5: 6 slots (3.10+)")
  T.err(function() ls:pop(cp) end, "IndexError: pop from empty list", "pop of an empty list")
  T.err(function() ls:pop(a, 100) end, "IndexError: pop index out of range", "pop past the end")
  T.err(function() ls:extend(a, ls:new("dict")) end, "list or tuple expected, got dict", "extend by a dict")
  T.err(function() ls:pop(ls:new("bytes", 3)) end, "list expected, got bytes", "pop of bytes")
  -- dict methods
  local dd = ls:new("dict")
  local k1, k2 = ls:new("int", 1001), ls:new("int", 1002)
  ls:setitem(dd, k1, none)
  T.ok(ls:setdefault(dd, k2, k1) == k1, "setdefault inserts the default and returns it")
  T.ok(ls:setdefault(dd, k2, none) == k1, "setdefault returns the value there")
  local cp2 = ls:copy(dd)
  T.eq(ls:len(cp2), 2, "d.copy()")
  T.ok(ls:pop(dd, k1) == none, "d.pop(k)")
  T.ok(ls:pop(dd, k1, k2) == k2, "d.pop(k, default) of a missing key")
  T.err(function() ls:pop(dd, k1) end, "KeyError", "d.pop(k) of a missing key")
  local it = ls:popitem(dd)
  T.eq(ls:type(it), "tuple", "popitem returns a tuple")
  T.err(function() ls:popitem(dd) end, "popitem(): dictionary is empty", "popitem of an empty dict")
  ls:update(dd, cp2)
  T.eq(ls:len(dd), 2, "d.update(other)")
  T.err(function() ls:update(dd, a) end, "dict expected, got list", "update from a list")
  ls:clear(dd)
  T.eq(ls:len(dd), 0, "d.clear()")
  T.eq(ls.sys.getsizeof(dd), 64, "a cleared dict has no keys table")
  -- set methods (keys are found by identity: the same int objects)
  local t3 = ls:new("tuple", 3)
  for k = 0, 2 do ls:setitem(t3, k, ls:new("int", 2000 + k)) end
  local s1 = ls:set(t3)
  T.eq(ls:len(s1), 3, "set(t)")
  T.eq(ls:len(ls:set()), 0, "set()")
  local s2 = ls:set(ls:list(t3))
  ls:discard(s2, k1)                                -- not there: no error
  local i0 = ls:getitem(t3, 0)
  ls:remove(s2, i0)
  T.err(function() ls:remove(s2, i0) end, "KeyError", "s.remove of a missing key")
  T.eq(ls:len(ls:union(s1, s2)), 3, "a | b")
  T.eq(ls:len(ls:intersection(s1, s2)), 2, "a & b")
  T.eq(ls:len(ls:difference(s1, s2)), 1, "a - b")
  local p1 = ls:pop(s2)
  T.eq(ls:len(s2), 1, "s.pop()")
  ls:update(s2, t3)
  T.eq(ls:len(s2), 3, "s.update(t)")
  T.eq(ls:len(ls:copy(s2)), 3, "s.copy()")
  ls:clear(s2)
  T.eq(ls:len(s2), 0, "s.clear()")
  T.err(function() ls:pop(s2) end, "pop from an empty set", "pop of an empty set")
  T.err(function() ls:union(s1, a) end, "set expected, got list", "a | of a list")
  T.err(function() ls:update(s1, dd) end, "update takes a set, a list or a tuple", "update from a dict")
  T.err(function() ls:set(ls:new("tuple", 2)) end, "not set", "set of an unfilled tuple")
  ls:decref(i0); ls:decref(p1)
  T.err(function() ls:multiply(a, 2^40) end, "2^31-1", "a repeat too long")
  T.err(function() ls:insert(a, 2^40, none) end, "index out of range", "an absurd index")
  ls:decref(last); ls:decref(first)
  ls:close()
end

-- MemoryError past the limit
local tiny = memsim.new{memory_limit = 2 * 1048576, startup = false}   -- 2 MiB: no room for a start-up heap
local keep = tiny:new("list")
T.err(function()
  for k = 1, 1e6 do
    local v = tiny:new("int", 1000 + k)
    tiny:append(keep, v)
    tiny:decref(v)
  end
end, "MemoryError", "memory limit")
tiny:decref(keep)
T.eq(tiny:stats().objects, 0, "everything freed after the MemoryError")

-- values, literals, interning, str and int operations
do
  local v = memsim.new{startup = false, check = true}
  local a, b = v:literal("name"), v:literal("name")
  T.ok(a == b, "equal constants are one object")
  local before = v:stats().allocs
  local c = v:literal(1000)
  T.eq(v:stats().allocs, before, "a constant is never allocated")
  T.eq(v:value(c), 1000, "an int constant's value")
  local s = v:new("str", "héllo")
  T.eq(v:value(s), "héllo", "a str's text comes back as UTF-8")
  T.eq(v.sys.getsizeof(s), 78, "latin-1 kind: 72 + 5 + 1")
  T.err(function() v:new("str", "\xff") end, "UnicodeDecodeError", "bytes that are not UTF-8")
  local i = v.sys.intern(s)
  T.ok(i == s, "the first interned str is itself")
  local s2 = v:new("str", "héllo")
  local i2 = v.sys.intern(s2)
  T.ok(i2 == s, "an equal str interns to the first")
  T.eq(v:hash(s), v:hash(s2), "equal strs hash alike")
  local n = v:new("int", 5)
  T.err(function() v.sys.intern(n) end, "intern() argument must be str", "intern of an int")
  local d = v:new("dict")
  v:setitem(d, s, n)
  local got = v:getitem(d, s2)
  T.ok(got == n, "an equal key finds the value")
  v:decref(got)
  T.err(function() v:op(d, "+", d) end, "memsim has no + for 'dict' and 'dict'", "dict + dict")
  T.err(function() v:op(n, "<<", -1) end, "negative shift count", "a negative shift")
  T.err(function() v:op(n, ">>", n) end, "unknown operator '>>'", "an operator memsim has not")
  local t = v:op(s, "+", s2)
  T.eq(v:value(t), "héllohéllo", "str + str")
  local g = v:op(v:literal(1 << 40), "+", 5)
  T.eq(v:value(g), (1 << 40) + 5, "int + int")
  T.err(function() v:iconcat(g, g) end, "a str, bytes or list expected", "+= on an int through iconcat")
  -- % formatting: the characters, the value's own str handed back, the errors
  local fmt = v:literal("n=%d, %x%%")
  local f1 = v:format("%s", n)
  T.eq(v:value(f1), "5", "'%s' % (5,) is str(5)")
  T.err(function() v:op(fmt, "%", f1) end, "%d of str", "%d of a str")
  local pair = v:new("tuple", 2)
  v:setitem(pair, 0, n)
  v:setitem(pair, 1, g)
  local f2 = v:op(fmt, "%", pair)
  T.eq(v:value(f2), "n=5, 10000000005%", "fmt % tuple: %d, %x, %%")
  local same = v:op(v:literal("%s"), "%", s)
  T.ok(same == s, "'%s' % s is s itself")
  local f3, f4 = v:format("[%s|%s]", s, n), v:format("%c%c", v:literal(104), v:literal(0x20ac))
  T.eq(v:value(f3), "[héllo|5]", "a tuple display of %s units")
  T.eq(v:value(f4), "h€", "%c of ints")
  for _, o in ipairs{f1, f2, pair, same, f3, f4} do v:decref(o) end
  T.err(function() v:format("%d %d", n) end, "not enough arguments for format string", "too few values")
  T.err(function() v:format("%d", n, n) end, "not all arguments converted", "too many values")
  local seven, f15 = v:new("int", 7), v:new("float", 1.5)
  local function pct(text, x)            -- fmt % x: PyUnicode_Format
    local r = v:op(v:literal(text), "%", x)
    local out = v:value(r)
    v:decref(r)
    return out
  end
  T.eq(pct("[%5d]", seven), "[    7]", "a width")
  T.eq(pct("[%-+5d]", seven), "[+7   ]", "left, with a sign")
  T.eq(pct("[%05.1f]", f15), "[001.5]", "zeros and a precision")
  T.eq(pct("[%#x]", v:literal(255)), "[0xff]", "an alternate hex")
  T.eq(pct("[%.3s]", v:literal("abcdef")), "[abc]", "a str cut to its precision")
  T.err(function() v:format("%*d", n) end, "('*') is not modelled", "a width from the arguments")
  T.err(function() v:format("%.200f", f15) end, "precision up to 120", "a float precision too large")
  T.err(function() v:format("%d", f15) end, "%d of float is not modelled", "%d of a float")
  v:decref(seven); v:decref(f15)
  T.err(function() v:format("%r", n) end, "does not model", "%r (3.11: an f-string with !r)")
  T.err(function() v:format("%q", n) end, "not 'q'", "an unknown conversion")
  T.err(function() v:format("50%", n) end, "incomplete format", "a lone % at the end")
  local nofmt = v:new("str", 3)
  T.err(function() v:op(nofmt, "%", n) end, "needs a format with characters", "a format made by length")
  v:decref(nofmt)
  local dict = v:new("dict")
  T.err(function() v:op(fmt, "%", dict) end, "mapping", "a dict of values")
  v:decref(dict)
  -- floats with values: arithmetic, equality with ints, the errors
  local f15 = v:new("float", 1.5)
  T.eq(v:value(f15), 1.5, "a float keeps its value")
  local f3 = v:op(f15, "*", 2)
  T.eq(v:value(f3), 3.0, "float * int constant")
  T.eq(math.type(v:value(f3)), "float", "a float's value is a Lua float")
  local seven, two, ftwo = v:new("int", 7), v:new("int", 2), v:new("float", 2.0)
  local half = v:op(seven, "/", two)
  T.eq(v:value(half), 3.5, "int / int is a float")
  T.eq(v:type(half), "float", "of type float")
  T.eq(v:hash(ftwo), v:hash(two), "2.0 hashes as 2")
  local three = v:new("int", 3)
  T.ok(v:hash(f3) == v:hash(three), "3.0 and 3 one hash")
  local keyd = v:new("dict")
  v:setitem(keyd, three, f15)
  local found = v:getitem(keyd, f3)
  T.ok(found == f15, "d[3.0] finds d[3]")
  v:decref(found)
  T.err(function() v:op(f15, "/", 0) end, "ZeroDivisionError: float division by zero", "x / 0")
  local zero = v:new("int", 0)
  T.err(function() v:op(seven, "/", zero) end, "ZeroDivisionError: division by zero", "7 / 0")
  T.err(function() v:op(f15, "@", 2) end, "no '@' for floats", "@ on a float")
  local fq = v:op(f15, "//", 2)
  T.eq(v:value(fq), 0.0, "1.5 // 2")
  v:decref(fq)
  T.err(function() v:op(f15, "//", 0) end, "ZeroDivisionError: float floor division by zero", "x // 0.0")
  T.err(function() v:op(f15, "%", 0) end, "ZeroDivisionError: float modulo", "x % 0.0")
  T.err(function() v:op(seven, "//", zero) end, "ZeroDivisionError: integer division or modulo by zero", "7 // 0")
  T.err(function() v:op(zero, "**", -1) end, "0.0 cannot be raised to a negative power", "0 ** -1")
  T.err(function() v:op(v:literal(-8.0), "**", 0.5) end, "no complex numbers", "(-8.0) ** 0.5")
  T.err(function() v:op(v:literal(10.0), "**", 400) end, "OverflowError", "10.0 ** 400")
  T.err(function() v:op(seven, "**", 50) end, "below 2^126", "7 ** 50: past memsim's ints")
  T.err(function() v:op(v:literal(1 << 40), "//", 7) end, "divrem1 and x_divrem are not modelled",
        "a two-digit dividend")
  local line = v:new("str", "  to be or  not ")
  local words = v:split(line)
  T.eq(v:len(words), 4, "split(): four words")
  T.eq(v.sys.getsizeof(words), 56 + 8 * 12, "in a list of 12 slots (3.11)")
  local w0 = v:getitem(words, 0)
  T.eq(v:value(w0), "to", "the first word")
  local st = v:strip(line)
  T.eq(v:value(st), "to be or  not", "strip()")
  local parts = v:split(v:literal("a,b,,c"), v:literal(","), 1)
  T.eq(v:len(parts), 2, "split(',', 1)")
  for _, o in ipairs{line, words, w0, st, parts} do v:decref(o) end
  T.err(function() v:split(v:literal("abc"), v:literal("")) end, "ValueError: empty separator", "an empty separator")
  T.err(function() v:split(seven) end, "split: a str expected", "split of an int")
  local m7 = v:neg(seven)
  T.eq(v:value(m7), -7, "-7")
  local a7 = v:abs(m7)
  T.eq(v:value(a7), 7, "abs(-7)")
  local same = v:abs(seven)
  T.ok(same == seven, "abs() of a positive int is the int itself")
  local i15 = v:int(f15)
  T.eq(v:value(i15), 1, "int(1.5)")
  local r25 = v:round(v:literal(2.5))
  T.eq(v:value(r25), 2, "round(2.5) rounds to even")
  local r2 = v:round(v:literal(2.675), 2)
  T.eq(v:value(r2), 2.67, "round(2.675, 2): the binary value is below the half")
  for _, o in ipairs{m7, a7, same, i15, r25, r2} do v:decref(o) end
  T.err(function() v:round(seven, 2) end, "round(int, n) is not modelled", "round(int, n)")
  T.err(function() v:round(f15, -1) end, "0 to 80 decimals", "round(x, -1)")
  T.err(function() v:int(v:literal(1 / 0)) end, "cannot convert float infinity", "int(inf)")
  T.err(function() v:neg(keyd) end, "bad operand type for unary -", "-dict")
  local i42, f25, up = v:int(v:literal(" 4_2 ")), v:float(v:literal("2.5e0")), v:upper(v:literal("Straße"))
  T.eq(v:value(i42), 42, "int(' 4_2 ')")
  T.eq(v:value(f25), 2.5, "float('2.5e0')")
  T.eq(v:value(up), "STRASSE", "'Straße'.upper()")
  for _, o in ipairs{i42, f25, up} do v:decref(o) end
  T.err(function() v:int(v:literal("4x")) end, "invalid literal for int() with base 10: '4x'", "int('4x')")
  T.err(function() v:int(v:literal("1__0")) end, "invalid literal for int()", "two underscores")
  T.err(function() v:float(v:literal("0x1p3")) end, "could not convert string to float", "no hex floats")
  T.err(function() v:upper(v:literal("ĀB")) end, "maps ASCII and Latin-1 characters, not U+0100", "upper() past Latin-1")
  T.err(function() v:round(v:literal("1.5")) end, "converts and rounds ints and floats", "round(str)")
  local p3 = v:op(seven, "**", 3)
  T.eq(v:value(p3), 343, "7 ** 3")
  v:decref(p3)
  local inv = v:op(seven, "**", -1)
  T.eq(v:value(inv), 1 / 7, "7 ** -1 is a float")
  v:decref(inv)
  local nov = v:new("float")
  T.err(function() v:op(nov, "+", 1) end, "float arithmetic needs values", "a float made without a value")
  T.eq(v:value(nov), nil, "and it has no value")
  T.err(function() v:new("float", "1.5") end, "a number expected", "a float's value as a string")
  local reprs = {}
  for k, x in ipairs{0.1, 1e16, 1e-5, -0.0, 2.5, 1 / 0} do
    local fl = v:new("float", x)
    local str = v:str(fl)
    reprs[k] = v:value(str)
    v:decref(str)
    v:decref(fl)
  end
  T.eq(table.concat(reprs, " "), "0.1 1e+16 1e-05 -0.0 2.5 inf", "str() of floats is repr's shortest digits")
  local fs = v:fstring("x=", f15)
  T.eq(v:value(fs), "x=1.5", "a float in an f-string")
  v:decref(fs)
  -- format specs: format(x, spec) and f"{x:spec}"
  local function fmt(o, spec)
    local r = v:format_value(o, spec)
    local text = v:value(r)
    v:decref(r)
    return text
  end
  T.eq(fmt(f15, ".3f"), "1.500", "format(1.5, '.3f')")
  T.eq(fmt(f15, "*^9.1%"), "*150.0%**", "fill, centre, percent")
  T.eq(fmt(seven, "#06x"), "0x0007", "an int in hex, zero padded")
  T.eq(fmt(seven, ".2f"), "7.00", "an int formatted as a float")
  T.eq(fmt(v:literal(1234567), ","), "1,234,567", "thousands")
  T.eq(fmt(v:literal("abc"), ">5"), "  abc", "a str aligned")
  T.eq(fmt(f15, ""), "1.5", "an empty spec: str()")
  local fs2 = v:fstring("[", {f15, "8.2e"}, "]")
  T.eq(v:value(fs2), "[1.50e+00]", "a {x:spec} piece in an f-string")
  v:decref(fs2)
  T.err(function() v:format_value(f15, "q") end, "Unknown format code 'q' for object of type 'float'", "a bad type")
  T.err(function() v:format_value(f15, ".f") end, "Format specifier missing precision", "no precision")
  T.err(function() v:format_value(f15, "10.2fx") end, "Invalid format specifier", "two types")
  T.err(function() v:format_value(seven, ".2d") end, "Precision not allowed in integer", "precision on an int")
  T.err(function() v:format_value(f15, "n") end, "'n' is not modelled", "the locale's type")
  T.err(function() v:format_value(f15, "999999999.2f") end, "widths up to 100000", "a width too large")
  T.err(function() v:format_value(f15, ".500f") end, "precisions up to 120", "a precision too large")
  T.err(function() v:format_value(keyd, "10") end, "formats ints and floats made from a value, and strs", "a dict")
  T.err(function() v:fstring({f15}) end, "a formatted piece is {object, \"spec\"}", "a piece without its spec")
  T.err(function() v:fstring({"x", "y"}) end, "a formatted piece is {object", "a piece without an object")
  T.ok(v:literal(1) ~= v:literal(1.0), "1 and 1.0: two constants")
  T.ok(v:literal(0.0) ~= v:literal(-0.0), "0.0 and -0.0: two constants")
  for _, x in ipairs{f15, f3, half, three, keyd, nov, seven, two, ftwo, zero} do v:decref(x) end
  -- obj.__dict__ and vars(obj): one dict, made once, the values handed over
  local inst = v:new("object", "VarsCheck")
  v:setattr(inst, "a", n)
  local d1 = v:getattr(inst, "__dict__")
  local d2 = v:vars(inst)
  T.ok(d1 == d2, "obj.__dict__ and vars(obj) are the one dict")
  T.eq(v:type(d1), "dict", "a dict")
  local got_a = v:getitem(d1, v:literal("a"))
  T.ok(got_a == n, "the attribute is in it")
  v:decref(got_a)
  v:setattr(inst, "b", g)
  T.eq(v:len(d1), 2, "an attribute set later goes through the dict")
  v:delattr(inst, "a")
  T.eq(v:len(d1), 1, "and one deleted")
  T.err(function() v:setattr(inst, "__dict__", d1) end, "replacing an instance's dict", "obj.__dict__ = d")
  T.err(function() v:delattr(inst, "__dict__") end, "does not model", "del obj.__dict__")
  T.err(function() v:getattr(n, "__dict__") end, "'int' object has no attribute '__dict__'", "an int's __dict__")
  local slotted = v:new("object", "SlotsCheck", {"x"})
  T.err(function() v:vars(slotted) end, "it has __slots__", "vars of a __slots__ instance")
  for _, x in ipairs{d1, d2, inst, slotted} do v:decref(x) end
  local l = v:new("list")
  for _, x in ipairs{3, 1, 2} do local o = v:new("int", x); v:append(l, o); v:decref(o) end
  v:sort(l)
  local first = v:getitem(l, 0)
  T.eq(v:value(first), 1, "sort orders by value")
  v:decref(first)
  v:append(l, s)
  T.err(function() v:sort(l) end, "'<' not supported between instances of 'str' and 'int'", "sort of mixed types")
  T.err(function() memsim.new{hash_seed = -1} end, "hash_seed", "a negative PYTHONHASHSEED")
  for _, o in ipairs{a, b, c, s, i, s2, i2, n, d, t, g, l} do v:decref(o) end
  T.eq(v:stats().objects, 0, "everything freed")
end

-- the pause model: sim.gc.pauses() and costs given to memsim.new
do
  local v = memsim.new{startup = false}
  local objs = {}
  for k = 1, 1500 do objs[k] = v:new("list") end
  local p = v.gc.pauses()
  T.eq(#p, 2, "two automatic collections while 1500 lists are made")
  T.eq(p[1].generation, 0, "a young collection")
  T.eq(p.dropped, 0, "none dropped")
  T.ok(p[1].pause_ns > 0, "a pause takes simulated time")
  T.eq(#v.gc.pauses(), 0, "asked again: none since")
  v.gc.collect()
  p = v.gc.pauses()
  T.eq(#p, 1, "gc.collect() is one collection")
  T.eq(p[1].generation, 2, "of generation 2")
  for k = 1, 1500 do v:decref(objs[k]) end
  -- at most 4096 kept; the rest counted
  v.gc.set_threshold(1)
  local keep = v:new("list")
  for k = 1, 10000 do local x = v:new("list"); v:append(keep, x); v:decref(x) end
  v.gc.set_threshold(700)
  p = v.gc.pauses()
  T.eq(#p, 4096, "the first 4096 collections kept")
  T.ok(p.dropped > 0, "the others counted as dropped")
  T.eq(#p + p.dropped, v.gc.get_stats()[1].collections + v.gc.get_stats()[2].collections
       + v.gc.get_stats()[3].collections - 3, "every collection since the last call told (3 told before)")
  v:decref(keep)
  -- the clock is linear in the costs: twice gc_edge and gc_fixed, twice the pause
  local function full_pause(cost)
    local w = memsim.new{startup = false, cost = cost}
    local l = w:new("list")
    for k = 1, 1000 do local x = w:new("list"); w:append(l, x); w:decref(x) end
    local t = w:now()
    w.gc.collect()
    local d = w:now() - t
    w:decref(l)
    return d
  end
  local zero = {gc_fixed = 0, gc_edge = 0, gc_object_1m = 0, gc_object_4m = 0, gc_object_8m = 0,
                gc_object_16m = 0, gc_object_32m = 0, gc_object_64m = 0}
  T.eq(full_pause(zero), 0, "a collection with its costs at 0 takes no time")
  local one = {gc_fixed = 1000, gc_edge = 2, gc_object_1m = 3, gc_object_4m = 3, gc_object_8m = 3,
               gc_object_16m = 3, gc_object_32m = 3, gc_object_64m = 3}
  local two = {gc_fixed = 2000, gc_edge = 4, gc_object_1m = 6, gc_object_4m = 6, gc_object_8m = 6,
               gc_object_16m = 6, gc_object_32m = 6, gc_object_64m = 6}
  -- 1001 lists examined, 1000 references followed twice (update and move_unreachable)
  T.eq(full_pause(one), 1000 + 1001 * 3 + 2000 * 2, "fixed + per object + per reference")
  T.eq(full_pause(two), 2 * full_pause(one), "twice the costs, twice the pause")
  T.err(function() memsim.new{cost = {gc_edge = -1}} end, "a number of ns from 0 to 10^6", "a negative cost")
  T.err(function() memsim.new{cost = {warp = 1}} end, "the names are alloc_fast", "an unknown cost")
  T.err(function() memsim.new{cost = 5} end, "must be a table", "cost not a table")
  -- a cascade: each destructor's cost, charged when it ends
  local w = memsim.new{startup = false, cost = {dealloc_float = 10, dealloc_list = 100, free_fast = 0,
                                                refcount = 0, freelist = 0, dealloc_miss_4m = 0,
                                                dealloc_miss_8m = 0, dealloc_miss_16m = 0,
                                                dealloc_miss_32m = 0, dealloc_miss_64m = 0,
                                                arena_unmap = 0, raw_free = 0}}
  local l = w:new("list")
  for k = 1, 200 do local f = w:new("float"); w:append(l, f); w:decref(f) end
  local t = w:now()
  w:decref(l)
  T.eq(w:now() - t, 100 + 200 * 10, "a list of 200 floats: one list's and 200 floats' destructors")
  -- dealloc_deep: only what is freed inside four or more destructors
  local py = require "python"
  local function deep_part(build)
    local pauses = {}
    for k, deep in ipairs{0, 10} do
      local z = memsim.new{startup = false, cost = {dealloc_deep = deep}}
      local root = build(z)
      local t0 = z:now()
      z:decref(root)
      pauses[k] = z:now() - t0
      z:close()
    end
    return pauses[2] - pauses[1]
  end
  -- 3.11: nodes 5 to 50 deep, node 51 left in the trashcan at depth 50,
  -- then from the trashcan's own frame nodes 54 to 100: 46 + 46
  T.eq(deep_part(function(z) return py.chain(z, 100, "Node") end), 10 * 92,
       "a 100-node chain: the nodes freed four or more destructors down")
  T.eq(deep_part(function(z)
    local l = z:new("list")
    for k = 1, 100 do
      local o, d = z:new("object", "Node"), z:new("dict")
      z:setattr(o, "d", d)
      z:decref(d)
      z:append(l, o)
      z:decref(o)
    end
    return l
  end), 0, "a list of instances holding dicts: never that deep")
end

T.done()
