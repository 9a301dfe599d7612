-- expect: exit 1, message: bad argument #1 to 'set_threshold'
local sim = memsim.new{}
sim.gc.set_threshold('x')
