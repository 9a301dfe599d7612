-- expect: exit 1, message: (float) was freed
local sim = memsim.new{}
local f = sim:new('float')
sim:decref(f)
sim:refcount(f)
