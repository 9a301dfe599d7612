-- expect: exit 1, message: decref below zero
local sim = memsim.new{}
local i = sim:new('int', 3)
sim:decref(i)
sim:decref(i)
