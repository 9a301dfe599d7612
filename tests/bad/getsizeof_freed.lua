-- expect: exit 1, message: was freed
local sim = memsim.new{}
local f = sim:new('float')
sim:decref(f)
sim.sys.getsizeof(f)
