-- expect: exit 1, message: AttributeError
local sim = memsim.new{}
local o = sim:new('object')
sim:delattr(o, 'y')
