-- expect: exit 1, message: doesn't support item deletion
local sim = memsim.new{}
local t = sim:new('tuple', 2)
sim:delitem(t, 0)
