-- expect: exit 1, message: set expected, got list
local sim = memsim.new{}
local l = sim:new('list')
sim:add(l, l)
