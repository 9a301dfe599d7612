-- expect: exit 1, message: AttributeError: object has no attribute 'y'
local sim = memsim.new{}
local o = sim:new('object')
sim:getattr(o, 'y')
