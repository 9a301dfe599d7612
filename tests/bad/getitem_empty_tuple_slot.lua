-- expect: exit 1, message: tuple slot 0 is empty
local sim = memsim.new{}
local t = sim:new('tuple', 2)
sim:getitem(t, 0)
