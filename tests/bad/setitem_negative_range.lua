-- expect: exit 1, message: IndexError
local sim = memsim.new{}
local l = sim:new('list', 2)
local f = sim:new('float')
sim:setitem(l, -3, f)
