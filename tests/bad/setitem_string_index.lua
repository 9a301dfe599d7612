-- expect: exit 1, message: integer index expected
local sim = memsim.new{}
local l = sim:new('list', 2)
sim:setitem(l, 'a', l)
