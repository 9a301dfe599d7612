-- expect: exit 1, message: decref below zero
local sim = memsim.new{}
local n = sim:new('None')
sim:decref(n)
sim:decref(n)
sim:decref(n)
sim:decref(n)
