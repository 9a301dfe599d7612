-- expect: exit 1, message: float takes no size
local sim = memsim.new{}
sim:new('float', 1)
