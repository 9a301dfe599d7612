-- expect: exit 1, message: IndexError
local sim = memsim.new{}
local l = sim:new('list')
sim:delitem(l, 0)
