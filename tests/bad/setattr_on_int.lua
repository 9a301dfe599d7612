-- expect: exit 1, message: AttributeError: 'int' object has no settable attributes
local sim = memsim.new{}
local i = sim:new('int', 1000)
sim:setattr(i, 'x', i)
