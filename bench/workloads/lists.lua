-- keep = [[i] for i in range(10**6)]; del keep  (the collector at work)
local py = require "python"
local sim = memsim.new{}
local keep = py.listcomp(sim, 1000000, function(s, i)
  local l = s:new("list", 1)
  local x = s:new("int", i)
  s:setitem(l, 0, x)
  s:decref(x)
  return l
end)
sim:decref(keep)
