-- expect: exit 1, message: iterator expected
local sim = memsim.new{}
sim:exhaust(sim:new('list'))
