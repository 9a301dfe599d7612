-- expect: exit 1, message: object of type 'float' has no len()
local sim = memsim.new{}
sim:len(sim:new('float'))
