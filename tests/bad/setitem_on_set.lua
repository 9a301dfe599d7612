-- expect: exit 1, message: use sim:add(set, x) for sets
local sim = memsim.new{}
local s = sim:new('set')
sim:setitem(s, s, s)
