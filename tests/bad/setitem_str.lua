-- expect: exit 1, message: 'str' object is not a container
local sim = memsim.new{}
local s = sim:new('str', 4)
sim:setitem(s, 0, s)
