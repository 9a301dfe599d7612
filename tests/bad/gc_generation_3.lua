-- expect: exit 1, message: invalid generation (0, 1 or 2)
local sim = memsim.new{}
sim.gc.collect(3)
