-- expect: exit 1, message: threshold must be 0 .. 2^31-1
local sim = memsim.new{}
sim.gc.set_threshold(-1)
