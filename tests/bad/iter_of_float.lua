-- expect: exit 1, message: list, tuple, dict or set expected, got float
local sim = memsim.new{}
sim:iter(sim:new('float'))
