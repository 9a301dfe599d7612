-- expect: exit 1, message: attribute name must be 1 to 200 characters
local sim = memsim.new{}
local o = sim:new('object')
sim:setattr(o, '', o)
