-- expect: exit 1, message: list or tuple expected, got dict
local sim = memsim.new{}
sim:iter(sim:new('dict'))
