-- python.lua: Python code patterns, written as the memsim calls CPython
-- 3.11 makes for them, in the order it makes them.
--
--   local py = require "python"
--   py.sum_listcomp(sim, n)     -- sum([i for i in range(n)])
--
-- Each function gives the Python it stands for and the bytecode steps
-- that allocate or free.  Conventions: a function that returns an object
-- hands the caller one reference (like a value on the stack); the Lua
-- variables named after Python locals hold the frame's references.

local py = {}

-- The item a comprehension makes from i: by default the int i itself
-- (range() makes a new int for every i above 256).
local function default_item(sim, i)
  return sim:new("int", i)
end

-- range(n) then iter(), as GET_ITER does it:
--   range(n)        compute_range_length makes the length as an int
--                   (a new one above 256), then the range object
--   GET_ITER        a range_iterator (it copies start, stop and step)
--   the range is popped: its ints, then itself, are dropped
function py.range_iter(sim, n)
  local len = (n or 0) > 256 and sim:new("int", n) or nil
  local r = sim:new("range")
  local it = sim:new("range_iterator")
  if len then sim:decref(len) end       -- range_dealloc: start, stop, step, length
  sim:decref(r)
  return it
end

-- [None] * n: BUILD_LIST makes [None] (a list and a 1-slot array), then
-- list_repeat makes the result with n slots; the one-item list is dropped
-- (to the list free list; its array is freed).
function py.list_repeat(sim, n)
  local one = sim:new("list", 1)
  local l = sim:new("list", n)
  sim:decref(one)
  return l
end

-- for i in range(n): BODY(i, i_obj)   -- inside a function
--   each FOR_ITER makes a new int; STORE_FAST i drops the previous one;
--   on exhaustion the iterator is popped (freed); the last i is dropped
--   when the frame ends, which here is right after the loop.
function py.for_range(sim, n, body)
  local it = py.range_iter(sim, n)
  local i_obj
  for i = 0, n - 1 do
    local x = sim:new("int", i)         -- FOR_ITER
    if i_obj then sim:decref(i_obj) end -- STORE_FAST i
    i_obj = x
    body(i, x)
  end
  sim:decref(it)
  if i_obj then sim:decref(i_obj) end
end

-- [f(i) for i in range(n)], evaluated at module level:
--   MAKE_FUNCTION <listcomp>          function object
--   range(n); GET_ITER                range object (freed), iterator
--   CALL: BUILD_LIST 0                the list
--         FOR_ITER / STORE_FAST i     a new int per item; the previous
--                                     value of i is dropped (the list
--                                     still holds it)
--         LIST_APPEND                 list_resize as the list grows
--   RETURN: the frame clears .0 (the iterator, freed) and i; the caller
--   then drops the function object.
function py.listcomp(sim, n, f)
  f = f or default_item
  local fn = sim:new("function")
  local it = py.range_iter(sim, n)
  local l = sim:new("list")
  local i_obj
  if f == default_item then             -- the same loop, done in C
    i_obj = sim:append_range(l, 0, n)
  else
    for i = 0, n - 1 do
      local x = f(sim, i)               -- FOR_ITER (+ the expression)
      if i_obj then sim:decref(i_obj) end -- STORE_FAST i
      i_obj = x
      sim:append(l, x)                  -- LOAD_FAST i; LIST_APPEND
    end
  end
  sim:decref(it)                        -- frame cleared: .0
  if i_obj then sim:decref(i_obj) end   --                i
  sim:decref(fn)                        -- the function object
  return l
end

-- sum(seq) over a list with ints only (builtin_sum_impl's fast path):
--   PyObject_GetIter                  a list_iterator (a GC object)
--   each item                         borrowed, no allocation
--   exhausted                         the iterator lets the list go,
--                                     then is freed; then the result int
-- The caller still holds the list; it frees it by dropping it.
function py.sum_list(sim, l)
  local it = sim:iter(l)
  sim:exhaust(it)
  sim:decref(it)
  local n = sim:len(l)
  return sim:new("int", n * (n - 1) // 2)
end

-- sum([i for i in range(n)]): the list exists whole, then is summed and
-- dropped (a cascade frees every int, last first, then the item array).
-- RUN, when given, gets a "peak" snapshot just before the list goes and
-- records list_getsizeof, sys.getsizeof of the list then.
function py.sum_listcomp(sim, n, run, f)
  local l = py.listcomp(sim, n, f)
  if run then
    run:snapshot("peak")
    run:record("list_getsizeof", sim.sys.getsizeof(l))   -- the list and its item array
  end
  local result = py.sum_list(sim, l)
  sim:decref(l)                         -- the argument is popped: freed
  return result
end

-- sum(f(i) for i in range(n)):
--   MAKE_FUNCTION <genexpr>; range(n); GET_ITER
--   CALL <genexpr>                    a generator (its frame holds .0 and
--                                     the function); the caller drops
--                                     its own reference to the function
--   sum(gen), per item:
--     FOR_ITER / STORE_FAST i         new int; the previous i is freed
--     YIELD_VALUE                     sum adds it and drops its reference
--   exhausted: the frame clears .0 (iterator freed), i, and the function
--   (freed); sum makes the result; the caller drops the generator.
function py.sum_genexpr(sim, n, run, f)
  f = f or default_item
  local fn = sim:new("function")
  local it = py.range_iter(sim, n)
  local gen = sim:new("generator", 4)   -- genexpr frame: 200 bytes
  sim:setitem(gen, 0, it)               -- .0
  sim:decref(it)
  sim:setitem(gen, 1, fn)               -- the frame's function
  sim:decref(fn)                        -- the caller's reference
  local i_obj = n > 0
  if f == default_item then             -- the same loop, done in C
    sim:slot_range(gen, 2, 0, n)
  else
    for i = 0, n - 1 do
      local x = f(sim, i)               -- FOR_ITER
      sim:setitem(gen, 2, x)            -- STORE_FAST i (drops the old one)
      sim:decref(x)                     -- yielded; sum drops its reference
    end
  end
  if run then run:snapshot("peak") end
  sim:delitem(gen, 0)                   -- frame clear: .0 (iterator freed),
  if i_obj then sim:delitem(gen, 2) end --   i,
  sim:delitem(gen, 1)                   --   the function (freed)
  local result = sim:new("int", n * (n - 1) // 2)
  sim:decref(gen)                       -- the argument is popped: freed
  return result
end

-- d = {}; for i in range(n): d[str(i)] = i   (keys: strings of 6 chars)
-- The dict grows by insertion_resize: 8, 16, 32 ... slots.
function py.build_dict(sim, n, keylen)
  local d = sim:new("dict")
  for i = 0, n - 1 do
    local k = sim:new("str", keylen or 6)
    local v = sim:new("int", i)
    sim:setitem(d, k, v)
    sim:decref(k)
    sim:decref(v)
  end
  return d
end

-- class C: pass;  o = C(); o.a = ...; o.b = ...  (one float per attribute)
-- 3.11: the instance and a values array sized by the class's shared keys.
function py.instance(sim, class, attrs)
  local o = sim:new("object", class or "C")
  for _, name in ipairs(attrs or {}) do
    local v = sim:new("float")
    sim:setattr(o, name, v)
    sim:decref(v)
  end
  return o
end

-- n nodes linked by node.next; with CLOSE the last points back at the
-- first, a cycle.  Returns the first node (the caller's reference).
local function linked(sim, n, class, close)
  local first = sim:new("object", class or "Node")
  local prev = first
  for _ = 2, n do
    local node = sim:new("object", class or "Node")
    sim:setattr(prev, "next", node)
    if prev ~= first then sim:decref(prev) end
    prev = node
  end
  if close then sim:setattr(prev, "next", first) end
  if prev ~= first then sim:decref(prev) end
  return first
end

-- A ring of n nodes: dropping the head leaves a cycle that only
-- gc.collect() can free.
function py.ring(sim, n, class) return linked(sim, n, class, true) end

-- A linked list of n nodes, no cycle: dropping the head frees all of it in
-- one cascade.
function py.chain(sim, n, class) return linked(sim, n, class, false) end

return py
