-- quiz.lua: memsim quiz, problems generated from a seed and answered by
-- the simulator (built into memsim; the runner calls the function this
-- chunk returns).
--
-- In the manner of OSTEP's malloc.py: a seed makes the problems, -c shows
-- the answers.  Every answer is what a fresh simulator computes when it
-- runs the problem; the problem's own numbers come from a generator of
-- our own (splitmix64), so the same seed gives the same text on every
-- machine and Lua version.  Each problem also carries, in --format json,
-- a `check`: a Python program that prints the same figures when a real
-- CPython of the profile's version runs it, where Python can tell them
-- (tests/cli/test_quiz.py runs them).

local memsim = require "memsim"

------------------------------------------------------------------------
-- The generator
------------------------------------------------------------------------

local Rng = {}
Rng.__index = Rng

local function rng_new(seed, salt)
  return setmetatable({s = seed * 0x9E3779B97F4A7C15 + salt * 0xBF58476D1CE4E5B9 + 1}, Rng)
end

function Rng:next()
  self.s = self.s + 0x9E3779B97F4A7C15
  local z = self.s
  z = (z ~ (z >> 30)) * 0xBF58476D1CE4E5B9
  z = (z ~ (z >> 27)) * 0x94D049BB133111EB
  return z ~ (z >> 31)
end

-- a whole number from lo to hi, both included
function Rng:int(lo, hi) return lo + (self:next() >> 1) % (hi - lo + 1) end
function Rng:pick(list) return list[self:int(1, #list)] end

------------------------------------------------------------------------
-- Helpers
------------------------------------------------------------------------

-- 12,345: the runner's own int format (the handouts'), handed in below
local commas

local function ordinal(n)
  local tens, ones = n % 100, n % 10
  if tens >= 11 and tens <= 13 then return n .. "th" end
  return n .. (ones == 1 and "st" or ones == 2 and "nd" or ones == 3 and "rd" or "th")
end

local function version_of(profile) return profile:match("cpython%-(.*)") or profile end
local function pool_size(profile) return profile == "cpython-3.9" and 4096 or 16384 end

-- a simulator of the problem's profile; startup false: an empty heap
local function fresh(profile, startup)
  return memsim.new{profile = profile, startup = startup}
end

local function class_row(sim)
  for i, row in ipairs(sim:stats().classes) do
    if row.blocks > 0 then return i, row end
  end
end

------------------------------------------------------------------------
-- Topics: each a generator(rng, profile) -> problem
--   {question =, snippet =, answer =, why =, values = {...}, check =}
------------------------------------------------------------------------

local topics, order = {}, {}
local function topic(name, title, asks, gen)
  topics[name] = {name = name, title = title, asks = asks, gen = gen}
  order[#order + 1] = name
end

topic("size_classes", "Size classes",
      "which block a request gets, how many fit in a pool, what is lost", function(rng, profile)
  local n = rng:int(1, 512)
  local sim = fresh(profile, false)
  sim:malloc(n)
  local cls, row = class_row(sim)
  local per_pool = row.blocks + row.avail
  local pool = pool_size(profile)
  return {
    question = string.format("A C extension calls PyObject_Malloc(%d) on an empty heap. (a) How large is "
      .. "the block pymalloc gives it? (b) How many blocks of that size does one pool hold? (c) How "
      .. "many bytes of the block go unused?", n),
    answer = string.format("(a) %d bytes (size class %d); (b) %s; (c) %d bytes",
                           row.size, cls - 1, commas(per_pool), row.size - n),
    why = string.format("requests round up to a multiple of 16: %d -> %d; a pool of %s bytes less its "
      .. "48-byte header holds (%s - 48) // %d = %s blocks", n, row.size, commas(pool), commas(pool),
      row.size, commas(per_pool)),
    values = {block = row.size, per_pool = per_pool, unused = row.size - n, request = n,
              pool_size = pool},
  }
end)

topic("pools_arenas", "Pools and arenas",
      "how many pools and arenas N objects take, and which arenas a free pattern keeps", function(rng, profile)
  local size = rng:pick({24, 32, 48, 56, 64, 100, 200, 500})
  local n = rng:int(2, 60) * 5000
  local keep = rng:pick({0, 2, 10, 100, 1000, 20000})
  local sim = fresh(profile, false)
  local ptrs = {}
  for i = 1, n do ptrs[i] = sim:malloc(size) end
  local st = sim:stats()
  local pools, arenas = st.pools, st.arenas_current
  local q = string.format("%s blocks of %d bytes are allocated with PyObject_Malloc, one after "
    .. "another, on an empty heap, and kept. (a) How many pools hold them? (b) How many arenas?",
    commas(n), size)
  local a = string.format("(a) %s pools; (b) %s arenas", commas(pools), commas(arenas))
  local _, row = class_row(sim)
  local per_pool = (row.blocks + row.avail) // row.pools
  -- 3.9's pools are pages: a page-aligned arena holds all of them; from
  -- 3.10 pools start on 16 KiB boundaries, so one is lost to alignment
  local per_arena = (profile == "cpython-3.9" and 64 or 63)
  local values = {count = n, size = size, pools = pools, arenas = arenas, per_pool = per_pool}
  local why = string.format("%d-byte requests get %d-byte blocks, %s to a pool: %s / %s rounds up to "
    .. "%s pools; an arena holds %d of them%s, so %s arenas",
    size, row.size, commas(per_pool), commas(n), commas(per_pool), commas(pools), per_arena,
    per_arena == 63 and " (64, less one lost to aligning them)" or "", commas(arenas))
  if keep > 0 then
    for i = 1, n do
      if (i - 1) % keep ~= 0 then sim:free(ptrs[i]) end
    end
    local left = sim:stats().arenas_current
    q = q .. string.format(" (c) Then every block is freed except the first of every %s (the 1st, the "
      .. "%s, ...). How many arenas stay mapped?", commas(keep), ordinal(keep + 1))
    a = a .. string.format("; (c) %s", commas(left))
    why = why .. string.format("; an arena goes back only when all its pools are empty, and not even "
      .. "then when it is the last arena with free pools (pymalloc keeps that one, not to map it again "
      .. "at the next request): a block kept every %s blocks %s", commas(keep),
      left == arenas and "leaves something in every arena" or ("leaves " .. commas(left)))
    values.keep_every, values.arenas_left = keep, left
  end
  return {question = q, answer = a, why = why, values = values}
end)

-- a tree of Nodes, its root deleted: which go, and the order their memory
-- goes back in (a node's after all of its subtree's: the deallocator drops
-- the attributes, in the order they were set, before it frees the object)
local function cascade(rng, profile)
  local names = {"a", "b", "c", "d", "e", "f", "g"}
  local k = rng:int(3, 7)
  local sim = fresh(profile, false)
  local nodes, made, lines = {}, {}, {"class Node:", "    pass"}
  for i = 1, k do
    nodes[i] = sim:new("object", "Node")
    made[i] = names[i] .. " = Node()"
  end
  lines[#lines + 1] = table.concat(made, "; ")
  local kids = {}
  for i = 1, k do kids[i] = {} end
  for i = 2, k do
    local p = rng:int(1, i - 1)
    sim:setattr(nodes[p], names[i], nodes[i])
    kids[p][#kids[p] + 1] = "'" .. names[i] .. "'"
    lines[#lines + 1] = string.format("%s.%s = %s", names[p], names[i], names[i])
  end
  local pairs_list, kids_list = {}, {}
  for i = 1, k do
    pairs_list[i] = string.format("('%s', %s)", names[i], names[i])
    kids_list[i] = string.format("'%s': [%s]", names[i], table.concat(kids[i], ", "))
  end
  pairs_list = table.concat(pairs_list, ", ")
  local kept = rng:int(1, 2) == 1 and rng:int(2, k) or nil
  local dropped = {}
  for i = 2, k do
    if i ~= kept then
      dropped[#dropped + 1] = names[i]
      sim:decref(nodes[i])
    end
  end
  lines[#lines + 1] = "del " .. table.concat(dropped, ", ")
  local who = {}
  for i = 1, k do who[string.format("0x%x", sim:address(nodes[i]))] = names[i] end
  sim:explain("collect", 100000)
  sim:decref(nodes[1])
  local log = sim:explained()
  sim:explain(false)
  local order = {}
  for addr in log:gmatch("free +(0x%x+) %(%d+ B, object%)") do
    if who[addr] then order[#order + 1] = who[addr] end
  end
  local snippet = table.concat(lines, "\n") .. "\ndel a"
  return {
    question = "When `del a` runs, which Nodes are freed, and in what order does their memory go back "
      .. "to the allocator?",
    snippet = snippet,
    answer = #order > 0 and table.concat(order, ", ") or "none",
    why = "a Node is freed when its last reference goes; its deallocator first drops its attributes, "
      .. "in the order they were set, so each child's whole subtree is freed before the Node itself"
      .. (kept and string.format("; %s is still named, so it and what it holds stay", names[kept]) or ""),
    values = {freed = table.concat(order, ",")},
    -- CPython tells the order of __del__ calls, a node's before its children's; the memory goes
    -- after the subtree's: the check rebuilds that order from the __del__ order and the tree
    check = "import json\nrun = []\nclass Node:\n    def __del__(self):\n        run.append(ids[id(self)])\n"
      .. lines[3] .. "\n" .. string.format("ids = {id(v): n for n, v in [%s]}\n", pairs_list)
      .. table.concat(lines, "\n", 4) .. "\ndel a\n" .. "kids = {" .. table.concat(kids_list, ", ") .. "}\n"
      .. "def post(n):\n    out = []\n    for c in sorted((c for c in kids[n] if c in run), key=run.index):\n"
      .. "        out += post(c)\n    return out + [n]\n"
      .. "print(json.dumps({'freed': ','.join(post('a')) if 'a' in run else ''}))\n",
  }
end

-- a program of statements about one list, a: its references counted
topic("refcounts", "Reference counts",
      "the refcount after a sequence of statements; what a del frees, and in which order", function(rng, profile)
  if rng:int(1, 2) == 1 then return cascade(rng, profile) end
  local sim = fresh(profile, true)
  local a = sim:new("list")
  local lines = {"import sys", "a = []"}
  local aliases, lists, free_names = {}, {}, {"b", "c", "d", "e", "f", "g"}
  local containers = {"L", "M", "N"}
  for _ = 1, rng:int(4, 7) do
    local kind = rng:int(1, 6)
    if kind == 1 and #free_names > 0 then
      local name = table.remove(free_names, 1)
      sim:incref(a)
      aliases[#aliases + 1] = name
      lines[#lines + 1] = name .. " = a"
    elseif kind == 2 and #aliases > 0 then
      local name = table.remove(aliases, rng:int(1, #aliases))
      sim:decref(a)
      lines[#lines + 1] = "del " .. name
    elseif kind == 3 and #containers > 0 then
      local name = table.remove(containers, 1)
      local k = rng:int(1, 3)
      local l = sim:new("list")
      for _ = 1, k do sim:append(l, a) end
      lists[#lists + 1] = {name = name, obj = l, n = k}
      local items = {}
      for i = 1, k do items[i] = "a" end
      lines[#lines + 1] = name .. " = [" .. table.concat(items, ", ") .. "]"
    elseif kind == 4 and #lists > 0 then
      local l = lists[rng:int(1, #lists)]
      sim:append(l.obj, a)
      l.n = l.n + 1
      lines[#lines + 1] = l.name .. ".append(a)"
    elseif kind == 5 and #lists > 0 then
      local l = lists[rng:int(1, #lists)]
      if l.n > 0 then
        sim:decref(sim:pop(l.obj))
        l.n = l.n - 1
        lines[#lines + 1] = l.name .. ".pop()"
      end
    elseif kind == 6 and #lists > 0 then
      local l = table.remove(lists, rng:int(1, #lists))
      sim:decref(l.obj)
      lines[#lines + 1] = "del " .. l.name
    end
  end
  local rc = sim:refcount(a) + 1
  local snippet = table.concat(lines, "\n", 2)
  local held = {}
  for _, x in ipairs(aliases) do held[#held + 1] = x end
  for _, l in ipairs(lists) do
    if l.n > 0 then held[#held + 1] = string.format("%s (%d)", l.name, l.n) end
  end
  return {
    question = "After these statements, what does sys.getrefcount(a) print?",
    snippet = snippet,
    answer = tostring(rc),
    why = string.format("a's references: the name a, %s, and one more for getrefcount's own argument",
                        #held > 0 and table.concat(held, ", ") or "nothing else"),
    values = {refcount = rc},
    check = table.concat(lines, "\n") .. "\nprint(__import__('json').dumps({'refcount': sys.getrefcount(a)}))\n",
  }
end)

topic("free_lists", "Free lists",
      "how many allocator calls a churn of objects makes", function(rng, profile)
  local kinds = {
    {"float", "floats", "float(i)", function(sim) return sim:new("float") end},
    {"list", "empty lists", "[]", function(sim) return sim:new("list") end},
    {"dict", "empty dicts", "{}", function(sim) return sim:new("dict") end},
  }
  local k = rng:pick(kinds)
  local n = rng:pick({10, 50, 80, 99, 100, 150, 500, 1000})
  local sim = fresh(profile, false)
  local before = sim:stats().allocs
  local objs = {}
  for i = 1, n do objs[i] = k[4](sim) end
  for i = 1, n do sim:decref(objs[i]) end
  local mid = sim:stats()
  for i = 1, n do objs[i] = k[4](sim) end
  local calls = sim:stats().allocs - before
  local parked = mid.freelist_objects
  return {
    question = string.format("Starting with empty free lists, a program makes %s %s and keeps them, "
      .. "drops them all, then makes %s more. How many of the %s objects does pymalloc allocate "
      .. "(calls to PyObject_Malloc for the objects)?", commas(n), k[2], commas(n), commas(2 * n)),
    snippet = string.format("xs = [%s for i in range(%d)]\ndel xs\nxs = [%s for i in range(%d)]",
                            k[3], n, k[3], n),
    answer = commas(calls),
    why = string.format("the first %s are new; of those dropped, %s wait on the %s free list (it keeps "
      .. "at most that many) and the rest go back to pymalloc; the second %s take the %s parked ones "
      .. "first: %s + %s", commas(n), commas(parked), k[1], commas(n), commas(parked), commas(n),
      commas(n - parked)),
    values = {calls = calls, parked = parked, count = n, kind = k[1]},
  }
end)

topic("list_growth", "List growth",
      "capacity after k appends, and when the item array leaves pymalloc", function(rng, profile)
  local k = rng:int(1, 200)
  local sim = fresh(profile, false)
  local l = sim:new("list")
  local first_big
  local empty = sim.sys.getsizeof(l)
  for i = 1, k do
    local x = sim:new("int", 1)
    sim:append(l, x)
    sim:decref(x)
  end
  local size = sim.sys.getsizeof(l)
  local cap = (size - empty) // 8
  -- the first append whose item array is more than 512 bytes: malloc's
  local probe = sim:new("list")
  local i = 0
  while first_big == nil do
    local x = sim:new("int", 1)
    sim:append(probe, x)
    sim:decref(x)
    i = i + 1
    if (sim.sys.getsizeof(probe) - empty) // 8 * 8 > 512 then first_big = i end
  end
  return {
    question = string.format("xs = [] and then %d appends. (a) What is sys.getsizeof(xs)? (b) How many "
      .. "items has room for before it must grow again? (c) At which append does the item array first "
      .. "need more than 512 bytes, so that it moves from pymalloc to malloc?", k),
    snippet = string.format("xs = []\nfor i in range(%d):\n    xs.append(1)\nprint(sys.getsizeof(xs))", k),
    answer = string.format("(a) %s bytes; (b) %d; (c) the %s", commas(size), cap, ordinal(first_big)),
    why = string.format("an empty list is %d bytes and its items 8 bytes a slot: list_resize grows to "
      .. "n + n/8 + 6 rounded down to a multiple of 4 slots, here %d slots (%s bytes); the array passes 512 "
      .. "bytes (64 slots) at append %d", empty, cap, commas(cap * 8), first_big),
    values = {getsizeof = size, capacity = cap, first_malloc_append = first_big},
    check = string.format("import sys, json\nxs = []\nfor i in range(%d):\n    xs.append(1)\n"
      .. "size = sys.getsizeof(xs)\nys, first = [], None\nwhile first is None:\n    ys.append(1)\n"
      .. "    if sys.getsizeof(ys) - sys.getsizeof([]) > 512:\n        first = len(ys)\n"
      .. "print(json.dumps({'getsizeof': size, 'capacity': (size - sys.getsizeof([])) // 8, "
      .. "'first_malloc_append': first}))\n", k),
  }
end)

topic("dict_growth", "Dict growth",
      "table size and bytes after k inserts and deletes", function(rng, profile)
  local k = rng:int(1, 120)
  local j = rng:int(0, k)
  local m = rng:int(0, 60)
  local sim = fresh(profile, false)
  local d = sim:new("dict")
  local keys = {}
  local function put(v)
    local key = sim:new("int", 1000 + v)
    sim:setitem(d, key, key)
    keys[v] = key
  end
  for v = 0, k - 1 do put(v) end
  local grown = sim.sys.getsizeof(d)
  for v = 0, j - 1 do sim:delitem(d, keys[v]) end
  for v = k, k + m - 1 do put(v) end
  local size = sim.sys.getsizeof(d)
  local loop1 = string.format("d = {}\nfor i in range(%d):\n    d[1000 + i] = i\n", k)
  local rest = (j > 0 and string.format("for i in range(%d):\n    del d[1000 + i]\n", j) or "")
    .. (m > 0 and string.format("for i in range(%d, %d):\n    d[1000 + i] = i\n", k, k + m) or "")
  return {
    question = "What does sys.getsizeof(d) return after the first loop, and at the end?",
    snippet = (loop1 .. rest):gsub("\n$", ""),
    answer = string.format("%s bytes, then %s bytes", commas(grown), commas(size)),
    why = "a dict's table doubles (to a power of two) when its usable slots (two thirds) are used up; "
      .. "deleted keys leave dummies that still take slots until the next resize, which sizes the "
      .. "table for the keys still there",
    values = {after_inserts = grown, at_end = size},
    check = "import sys, json\n" .. loop1 .. "s1 = sys.getsizeof(d)\n" .. rest
      .. "print(json.dumps({'after_inserts': s1, 'at_end': sys.getsizeof(d)}))\n",
  }
end)

topic("set_churn", "Sets under churn",
      "a set's table after members are discarded and others added", function(rng, profile)
  local n = rng:int(2, 60) * 100
  local mode = rng:int(1, 3)
  local sim = fresh(profile, false)
  local s = sim:new("set")
  local function add(v)
    local o = sim:new("int", v)
    sim:add(s, o)
    sim:decref(o)
  end
  local function discard(v)
    local o = sim:new("int", v)
    sim:discard(s, o)
    sim:decref(o)
  end
  for i = 0, n - 1 do add(i) end
  local grown = sim.sys.getsizeof(s)
  local body
  if mode == 1 then                        -- a sliding window: i out, i + N in
    for i = 0, n - 1 do discard(i); add(i + n) end
    body = "for i in range(N):\n    s.discard(i)\n    s.add(i + N)\n"
  elseif mode == 2 then                    -- all out, then equal ints back
    for i = 0, n - 1 do discard(i) end
    for i = 0, n - 1 do add(i) end
    body = "for i in range(N):\n    s.discard(i)\nfor i in range(N):\n    s.add(i)\n"
  else                                     -- every other one out, as many new ones in
    for i = 0, n - 1, 2 do discard(i) end
    for i = 0, n - 1, 2 do add(i + n) end
    body = "for i in range(0, N, 2):\n    s.discard(i)\nfor i in range(0, N, 2):\n    s.add(i + N)\n"
  end
  local size = sim.sys.getsizeof(s)
  local first = string.format("N = %d\ns = set()\nfor i in range(N):\n    s.add(i)\n", n)
  return {
    question = "What does sys.getsizeof(s) return after the first loop, and at the end? (The set "
      .. "holds as many members at the end as after the first loop.)",
    snippet = (first .. body):gsub("\n$", ""),
    answer = string.format("%s bytes, then %s bytes", commas(grown), commas(size)),
    why = "an int hashes to itself, so i lands at slot i (mod the table size); a discard leaves a "
      .. "dummy there; an add probes from its own slot (the 9 slots after it, then further), reuses the "
      .. "last dummy on its way or takes a fresh slot; a fresh slot counts in the fill (members and "
      .. "dummies), and when the fill passes 3/5 of the table it is rebuilt for 4 times the members, "
      .. "the dummies dropped"
      .. (grown == size and " (here the fill stays under 3/5: the same table)"
          or " (here the fresh slots pass 3/5: a new table)"),
    values = {after_adds = grown, at_end = size},
    check = "import sys, json\n" .. first .. "s1 = sys.getsizeof(s)\n" .. body
      .. "print(json.dumps({'after_adds': s1, 'at_end': sys.getsizeof(s)}))\n",
  }
end)

topic("collector", "The cycle collector",
      "collections after N allocations; the next collection given the counts; what a collection finds",
      function(rng, profile)
  if rng:int(1, 2) == 1 then
    -- N lists kept: which collections run (N away from the edges of 701)
    local n
    repeat n = rng:int(3, 80) * 1000 + rng:int(0, 999) until n % 701 > 30 and n % 701 < 670
    local sim = fresh(profile, true)
    sim.gc.collect()
    local s0 = sim.gc.get_stats()
    local xs = sim:new("list")
    for _ = 1, n do
      local l = sim:new("list")
      sim:append(xs, l)
      sim:decref(l)
    end
    local s1 = sim.gc.get_stats()
    local c = {}
    for g = 1, 3 do c[g] = s1[g].collections - s0[g].collections end
    local t0 = sim.gc.get_threshold()
    return {
      question = string.format("Right after gc.collect(), a program appends %s new lists to a list and "
        .. "keeps them all. How many collections of generations 0, 1 and 2 run meanwhile?", commas(n)),
      snippet = string.format("gc.collect()\nxs = []\nfor i in range(%d):\n    xs.append([])", n),
      answer = string.format("%d, %d and %d", c[1], c[2], c[3]),
      why = string.format("every new container counts; past %d the young generation is collected, and "
        .. "every 11th time (more than 10 young collections) the middle one with it; the oldest waits "
        .. "until more than 10 middle collections and 25%% new long-lived objects", t0),
      values = {gen0 = c[1], gen1 = c[2], gen2 = c[3], count = n},
      check = string.format("import gc, json\ngc.collect()\nbefore = [s['collections'] for s in gc.get_stats()]\n"
        .. "xs = []\nfor i in range(%d):\n    xs.append([])\n"
        .. "after = [s['collections'] for s in gc.get_stats()]\n"
        .. "print(json.dumps(dict(zip(['gen0', 'gen1', 'gen2'], [a - b for a, b in zip(after, before)]))))\n", n),
    }
  end
  if rng:int(1, 2) == 1 then
    -- the counts now: which generation the next collection takes, and when
    local n = rng:int(100, 90000)
    if rng:int(1, 2) == 1 then           -- half the time, just after ten young collections
      n = (11 * rng:int(0, 7) + 10) * 701 + rng:int(50, 600)
    end
    local sim = fresh(profile, true)
    sim.gc.collect()
    local xs = sim:new("list")
    local function one()
      local l = sim:new("list")
      sim:append(xs, l)
      sim:decref(l)
    end
    for _ = 1, n do one() end
    local c0, c1, c2 = sim.gc.get_count()
    local t0, t1, t2 = sim.gc.get_threshold()
    local t = sim:new("tuple", 3)          -- the tuple get_count returns: a container too
    local before = sim.gc.get_stats()
    local more, gen = 0, nil
    while gen == nil and more < 1000000 do
      one()
      more = more + 1
      local now = sim.gc.get_stats()
      for g = 3, 1, -1 do
        if gen == nil and now[g].collections > before[g].collections then gen = g - 1 end
      end
    end
    sim:decref(t)
    return {
      question = string.format("After gc.collect(), a program appended %s new lists to a list. Now "
        .. "gc.get_count() returns (%d, %d, %d), and the thresholds are (%d, %d, %d). It goes on "
        .. "appending new lists. Which generation will the next collection examine (0, 1 or 2), and how "
        .. "many more lists will it take to start it?", commas(n), c0, c1, c2, t0, t1, t2),
      answer = string.format("generation %d, at the %s new list", gen, ordinal(more)),
      why = string.format("each new container adds one to the first count (the tuple get_count "
        .. "returned too); the young generation is collected when it passes %d, and a collection takes "
        .. "the oldest generation whose count passed its threshold: the middle one past %d young "
        .. "collections, the oldest past %d middle ones and only when a quarter of the long-lived "
        .. "objects are new", t0, t1, t2),
      values = {count = {c0, c1, c2}, generation = gen, more = more},
      -- the callback notes how many lists were asked for when the collection
      -- started: 3.12 on runs it at the next eval-breaker check, a little
      -- after the allocation that set it off
      check = string.format("import gc, json\ngen = []\nmore = 0\ndef cb(phase, info):\n"
        .. "    if phase == 'start' and not gen:\n        gen.append((info['generation'], more))\n"
        .. "gc.collect()\nxs = []\nfor i in range(%d):\n    xs.append([])\nc = gc.get_count()\n"
        .. "gc.callbacks.append(cb)\nwhile not gen:\n    more += 1\n    xs.append([])\n"
        .. "print(json.dumps({'count': list(c), 'generation': gen[0][0], 'more': gen[0][1]}))\n", n),
    }
  end
  -- an object graph: names, attributes, some cycles; what gc.collect() finds
  local names = {"a", "b", "c", "d", "e", "f"}
  local count = rng:int(3, 6)
  local sim = fresh(profile, true)
  sim.gc.collect()
  local nodes, lines = {}, {"class Node:", "    pass", "gc.collect()"}
  local made = {}
  for i = 1, count do
    nodes[i] = sim:new("object", "Node")
    made[i] = names[i] .. " = Node()"
  end
  lines[#lines + 1] = table.concat(made, "; ")
  for i = 1, count do
    if rng:int(1, 4) > 1 then
      local to = rng:int(1, count)
      sim:setattr(nodes[i], "next", nodes[to])
      lines[#lines + 1] = string.format("%s.next = %s", names[i], names[to])
    end
  end
  local kept, dropped = {}, {}
  for i = 1, count do
    if rng:int(1, 3) == 1 then kept[#kept + 1] = names[i]
    else
      dropped[#dropped + 1] = names[i]
      sim:decref(nodes[i])
    end
  end
  if #dropped > 0 then lines[#lines + 1] = "del " .. table.concat(dropped, ", ") end
  local by_del, by_gc = {}, {}
  for i = 1, count do
    if not sim:alive(nodes[i]) then by_del[#by_del + 1] = names[i] end
  end
  local found = sim.gc.collect()
  for i = 1, count do
    if sim:alive(nodes[i]) == false and not table.concat(by_del, ","):find(names[i], 1, true) then
      by_gc[#by_gc + 1] = names[i]
    end
  end
  local function list(l) return #l > 0 and table.concat(l, ", ") or "none" end
  local snippet = table.concat(lines, "\n")
  return {
    question = "Which Nodes does the del free at once, what does the last gc.collect() return (the "
      .. "unreachable objects it found), and which Nodes does the collector free?",
    snippet = snippet .. "\nprint(gc.collect())",
    answer = string.format("the del frees %s; gc.collect() returns %d and frees %s", list(by_del), found,
                           list(by_gc)),
    why = "reference counting frees a Node as soon as nothing refers to it, and what it referred to "
      .. "with it; a Node in a cycle, or reachable only from one, keeps a count above zero and waits for "
      .. "the collector, which counts every unreachable object it finds"
      .. ((profile == "cpython-3.9" or profile == "cpython-3.10")
          and " (each Node with its __dict__, a dict object of its own in this version)" or ""),
    values = {found = found, freed_by_del = table.concat(by_del, ","), freed_by_gc = table.concat(by_gc, ",")},
    check = "import gc, json, weakref\n" .. table.concat(lines, "\n", 1, 4)
      .. string.format("\nalive = {n: weakref.ref(globals()[n]) for n in %s}\n",
                       "['" .. table.concat(names, "', '", 1, count) .. "']")
      .. table.concat(lines, "\n", 5)
      .. "\nby_del = ','.join(n for n, r in alive.items() if r() is None)"
      .. "\nfound = gc.collect()\n"
      .. "by_gc = ','.join(n for n, r in alive.items() if r() is None and n not in by_del.split(','))\n"
      .. "print(json.dumps({'found': found, 'freed_by_del': by_del, 'freed_by_gc': by_gc}))\n",
  }
end)

topic("versions", "CPython versions",
      "what the same objects cost under another CPython (--profile)", function(rng, profile)
  local nattrs = rng:int(1, 6)
  local n = rng:int(1, 40)
  local sim = fresh(profile, false)
  local before = sim:stats().allocs
  local o = sim:new("object", "P")
  local attrs = {}
  for i = 1, nattrs do
    local v = sim:new("int", i)
    sim:setattr(o, "x" .. i, v)
    sim:decref(v)
    attrs[i] = string.format("self.x%d = %d", i, i)
  end
  local blocks = sim:stats().allocs - before
  local osize = sim.sys.getsizeof(o)
  local s = sim:new("str", n)
  local ssize = sim.sys.getsizeof(s)
  local v = version_of(profile)
  return {
    question = string.format("Under CPython %s: (a) what is sys.getsizeof(p), (b) how many blocks does "
      .. "making p take from the allocator (the instance and what holds its attributes), and (c) what "
      .. "is sys.getsizeof('x' * %d)?", v, n),
    snippet = "class P:\n    def __init__(self):\n        " .. table.concat(attrs, "\n        ") .. "\np = P()",
    answer = string.format("(a) %d bytes; (b) %d; (c) %d bytes", osize, blocks, ssize),
    why = "3.9 and 3.10 give each instance a __dict__ of its own (the object, the dict, its values); 3.11 "
      .. "a values array beside the object; 3.13 keeps the values inside it; a str is its header (smaller "
      .. "from 3.12, without wstr) and one byte a character plus the terminating NUL",
    values = {instance_getsizeof = osize, instance_blocks = blocks, str_getsizeof = ssize},
    check = "import sys, json\nclass P:\n    def __init__(self):\n        " .. table.concat(attrs, "\n        ")
      .. "\np = P()\nprint(json.dumps({'instance_getsizeof': sys.getsizeof(p), "
      .. string.format("'str_getsizeof': sys.getsizeof('x' * %d)}))\n", n),
  }
end)

------------------------------------------------------------------------
-- Output
------------------------------------------------------------------------

local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    local named = {['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\t'] = '\\t'}
    return named[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end

local function json(v)
  if type(v) == "table" then
    if v[1] ~= nil then
      local parts = {}
      for i, x in ipairs(v) do parts[i] = json(x) end
      return "[" .. table.concat(parts, ", ") .. "]"
    end
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys)
    local parts = {}
    for i, k in ipairs(keys) do parts[i] = json_string(k) .. ": " .. json(v[k]) end
    return "{" .. table.concat(parts, ", ") .. "}"
  elseif type(v) == "string" then
    return json_string(v)
  elseif type(v) == "number" then
    return math.type(v) == "integer" and tostring(v) or string.format("%.17g", v)
  end
  return tostring(v)
end

local function wrap(text, indent, width)
  local out, line = {}, indent
  for word in text:gmatch("%S+") do
    if #line + #word + 1 > width and line ~= indent then
      out[#out + 1] = line
      line = indent
    end
    line = line .. (line == indent and "" or " ") .. word
  end
  out[#out + 1] = line
  return table.concat(out, "\n")
end

------------------------------------------------------------------------
-- memsim quiz
------------------------------------------------------------------------

return function(O, say, usage_error, format_int)
  commas = format_int
  local wanted, count, format, list = {}, 2, "text", false
  for _, pair in ipairs(O.options) do
    local k, v = pair[1], pair[2]
    if k == "topic" then
      if not topics[v] then usage_error("'%s' is not a topic: %s", v:sub(1, 60), table.concat(order, ", ")) end
      wanted[#wanted + 1] = v
    elseif k == "count" then count = math.tointeger(tonumber(v)) or 2
    elseif k == "format" then format = v
    elseif k == "list" then list = true end
  end
  if list then
    for _, name in ipairs(order) do say("%-14s %s", name, topics[name].asks) end
    return 0
  end
  if #wanted == 0 then wanted = order end
  local profile = O.profile or "cpython-3.11"
  local known = false
  for _, p in ipairs(memsim.profiles) do known = known or p == profile end
  if not known then
    usage_error("--profile must be one of %s, not '%s'", table.concat(memsim.profiles, ", "), profile:sub(1, 60))
  end
  local seed = O.seed
  local problems = {}
  for _, name in ipairs(wanted) do
    local t = topics[name]
    for i = 1, count do
      local salt = 0
      for c in name:gmatch(".") do salt = salt * 31 + c:byte() end
      local p = t.gen(rng_new(seed, salt * 1000 + i), profile)
      p.topic, p.title, p.number = name, t.title, #problems + 1
      problems[#problems + 1] = p
    end
  end
  local v = version_of(profile)
  if format == "json" then
    local list_out = {}
    for _, p in ipairs(problems) do
      list_out[#list_out + 1] = {number = p.number, topic = p.topic, question = p.question,
                                 snippet = p.snippet or "", answer = p.answer, explanation = p.why,
                                 values = p.values, check = p.check or ""}
    end
    io.write(json({seed = seed, profile = profile, python = v, problems = list_out}), "\n")
    return 0
  end
  local md = format == "md"
  if md then
    say("# memsim quiz: CPython %s, seed %d", v, seed)
    say("")
  else
    say("memsim quiz: CPython %s (%s), seed %d, %d problem%s", v, profile, seed, #problems,
        #problems == 1 and "" or "s")
    say("")
  end
  for _, p in ipairs(problems) do
    if md then
      say("## %d. %s", p.number, p.title)
      say("")
      say("%s", p.question)
      if p.snippet then say("\n```python\n%s\n```", p.snippet) end
      if O.answers then say("\n**Answer:** %s.\n\n*Why:* %s.", p.answer, p.why) end
      say("")
    else
      say("%d. %s", p.number, p.title)
      say("%s", wrap(p.question, "   ", 78))
      if p.snippet then
        say("")
        for line in (p.snippet .. "\n"):gmatch("(.-)\n") do say("       %s", line) end
      end
      if O.answers then
        say("")
        say("%s", wrap("Answer: " .. p.answer .. ".", "   ", 78))
        say("%s", wrap("Why: " .. p.why .. ".", "   ", 78))
      end
      say("")
    end
  end
  if not O.answers then
    say("%s(answers: memsim quiz %s--seed %d%s -c)", md and "" or "", #wanted < #order and (table.concat(wanted, " ") .. " ") or "",
        seed, (O.profile and (" --profile " .. profile) or "") .. (count ~= 2 and (" --count " .. count) or ""))
  end
  return 0
end
