-- expect: exit 1, message: int value expected
local sim = memsim.new{}
sim:new('int', 2.5)
