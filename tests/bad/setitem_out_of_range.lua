-- expect: exit 1, message: IndexError: list index out of range
local sim = memsim.new{}
local l = sim:new('list', 2)
local f = sim:new('float')
sim:setitem(l, 5, f)
