-- expect: exit 1, message: object handle expected, got number
local sim = memsim.new{}
local d = sim:new('dict')
sim:getitem(d, 1)
