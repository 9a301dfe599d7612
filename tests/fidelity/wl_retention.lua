-- arena retention by a few survivors (wl_retention.py)
local py = require "python"
local M, K = 200, 1000
return {
  run = function(sim)
    local big = py.list_repeat(sim, M)
    local row
    py.for_range(sim, M, function(j)
      local r = py.list_repeat(sim, K)              -- row = [None] * K
      if row then sim:decref(row) end               -- the old row: still in big
      row = r
      py.for_range(sim, K, function(i)
        local a = sim:new("int", j * K)             -- j * K
        local b = sim:new("int", j * K + i)         -- + i, then a is dropped
        sim:decref(a)
        local c = sim:new("int", j * K + i + 100000)
        sim:decref(b)
        sim:setitem(row, i, c)
        sim:decref(c)
      end)
      sim:setitem(big, j, row)
    end)
    local keep = py.list_repeat(sim, M)
    py.for_range(sim, M, function(j)
      local r = sim:getitem(big, j)
      local x = sim:getitem(r, 0)
      sim:decref(r)
      sim:setitem(keep, j, x)
      sim:decref(x)
    end)
    sim:decref(big)                                 -- del big, row
    sim:decref(row)
    return keep
  end,
}
