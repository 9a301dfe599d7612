-- list_growth: list_resize over-allocates so that appends are cheap on
-- average: capacities 0, 4, 8, 16, 24, 32, 40, 52, 64, 76, 92 ...  Each
-- growth is a realloc of the item array, which moves from a pymalloc pool
-- to malloc once it passes 512 bytes (64 slots).

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
      local rows, last = {}, -1
      for i = 1, opt.n do
        sim:append(l, none)
        local cap = (sim.sys.getsizeof(l) - 56) // 8
        if cap ~= last then
          rows[#rows + 1] = {length = i, capacity = cap, array_bytes = cap * 8,
                             where = cap * 8 <= 512 and "pymalloc" or "malloc"}
          last = cap
        end
      end
      run:table("growth", {"length", "capacity", "array_bytes", "where"}, rows)
      run:record("resizes", #rows)
      sim:decref(l)
    end,
    -- l = [None] * n; for i in range(n): l[i] = x
    prealloc = function(sim, opt, run)
      local none = sim:new("None")
      local l = sim:new("list", opt.n)
      for i = 0, opt.n - 1 do sim:setitem(l, i, none) end
      run:table("growth", {"length", "capacity", "array_bytes", "where"},
                {{length = opt.n, capacity = opt.n, array_bytes = 8 * opt.n,
                  where = 8 * opt.n <= 512 and "pymalloc" or "malloc"}})
      run:record("resizes", 1)
      sim:decref(l)
    end,
  },
  plots = {
    {name = "capacity", kind = "table", table = "growth", x = "length", y = {"capacity"},
     style = "points", title = "Capacity after each resize", xlabel = "items appended",
     ylabel = "slots allocated"},
    {name = "work", kind = "bars", metrics = {"allocs", "frees", "resizes"},
     title = "Allocations, frees and resizes"},
  },
}
