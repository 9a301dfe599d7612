-- expect: exit 1, message: list expected, got dict
local sim = memsim.new{}
local d = sim:new('dict')
sim:append(d, d)
