-- list_growth: list_resize over-allocates so that appends are cheap on
-- average: capacities 0, 4, 8, 16, 24, 32, 40, 52, 64, 76, 92 ...  Each
-- growth is a realloc of the item array, which moves from a pymalloc pool
-- to malloc once it passes 512 bytes (64 slots).

-- where a list's item array lives now: the heap is empty but for the
-- list, so any byte the raw allocator holds is the array
local function array_home(sim)
  return sim:stats().bytes.raw_in_use > 0 and "malloc" or "pymalloc"
end

return experiment {
  name = "list_growth",
  title = "List growth: appending one at a time against preallocating",
  -- a clean slate: an empty heap, so that every block on the plots is the lesson's
  startup = false,
  options = {
    n = {2000, "items", integer = true, min = 1},
  },
  order = {"append", "prealloc"},
  runs = {
    -- l = []; for i in range(n): l.append(x)
    append = function(sim, opt, run)
      local none = sim:new("None")
      local l = sim:new("list")
      local rows, last, empty = {}, -1, sim.sys.getsizeof(l)
      for i = 1, opt.n do
        sim:append(l, none)
        local cap = (sim.sys.getsizeof(l) - empty) // 8
        if cap ~= last then
          local where = array_home(sim)
          rows[#rows + 1] = {length = i, capacity = cap, array_bytes = cap * 8, where = where}
          if where == "pymalloc" then
            run:record("pymalloc_last_capacity", cap)
          elseif rows[#rows - 1] and rows[#rows - 1].where == "pymalloc" then
            run:record("malloc_first_length", i)
            run:record("malloc_first_capacity", cap)
          end
          last = cap
        end
        if i == 100 then run:record("capacity_at_100", cap) end
      end
      run:table("growth", {"length", "capacity", "array_bytes", "where"}, rows)
      run:record("capacity_final", last)
      sim:decref(l)
    end,
    -- l = [None] * n; for i in range(n): l[i] = x
    prealloc = function(sim, opt, run)
      local none = sim:new("None")
      local e = sim:new("list")             -- [], measured, then kept by the free list
      local empty = sim.sys.getsizeof(e)
      sim:decref(e)
      local l = sim:new("list", opt.n)      -- takes the free list's list object
      for i = 0, opt.n - 1 do sim:setitem(l, i, none) end
      local cap = (sim.sys.getsizeof(l) - empty) // 8
      local where = array_home(sim)
      run:table("growth", {"length", "capacity", "array_bytes", "where"},
                {{length = opt.n, capacity = cap, array_bytes = 8 * cap, where = where}})
      run:record("capacity_final", cap)
      sim:decref(l)
    end,
  },
  plots = {
    {name = "capacity", kind = "table", table = "growth", x = "length", y = {"capacity"},
     style = "points", title = "Capacity after each resize", xlabel = "items appended",
     ylabel = "slots allocated"},
    {name = "work", kind = "bars", metrics = {"allocs", "reallocs", "frees"},
     title = "Allocator calls: allocations, reallocations (resizes) and frees"},
    {name = "reallocs_vs_n", kind = "sweep", option = "n", y = "reallocs",
     values = {10, 100, 1000, 10000, 100000, 1000000}, logx = true,
     title = "Resizes against items appended: the same number more for each factor of ten",
     xlabel = "n (items)", ylabel = "reallocations"},
  },
}
