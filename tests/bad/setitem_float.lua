-- expect: exit 1, message: 'float' object is not a container
local sim = memsim.new{}
local f = sim:new('float')
sim:setitem(f, 0, f)
