-- expect: exit 1, message: KeyError
local sim = memsim.new{}
local d = sim:new('dict')
local k = sim:new('str', 3)
sim:getitem(d, k)
