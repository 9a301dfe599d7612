-- list(range(n)) (wl_list_range.py)
return {
  setup = function(sim)                               -- the code's constant (0, 1, 5, 20, 300, 1000)
    local ns = {0, 1, 5, 20, 300, 1000}
    local t = sim:new("tuple", #ns)
    for i, n in ipairs(ns) do
      local v = sim:literal(n)
      sim:setitem(t, i - 1, v)
      sim:decref(v)
    end
    return {tuple = t, ns = ns}
  end,
  run = function(sim, K)
    local keep = sim:new("list")
    local it = sim:iter(K.tuple)                      -- for n in (...)
    local n_obj
    for i, n in ipairs(K.ns) do
      local v = sim:getitem(K.tuple, i - 1)
      if n_obj then sim:decref(n_obj) end
      n_obj = v
      local len = n > 256 and sim:new("int", n) or nil  -- range(n): compute_range_length's int
      local r = sim:new("range", n)
      local l = sim:list(r)
      if len then sim:decref(len) end                 -- range_dealloc drops it
      sim:decref(r)
      sim:append(keep, l)
      sim:decref(l)
    end
    sim:exhaust(it)
    sim:decref(it)
    sim:decref(n_obj)
    return keep
  end,
  sizes = {0, 1, 2, 3, 4, 5},
}
