-- keep = [i + 0.5 for i in range(10**6)]; del keep
local py = require "python"
local sim = memsim.new{}
local keep = py.listcomp(sim, 1000000, function(s) return s:new("float") end)
sim:decref(keep)
