-- expect: exit 1, message: object handle expected
local sim = memsim.new{}
sim.gc.is_tracked(5)
