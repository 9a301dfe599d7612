-- expect: exit 1, message: this function is not bound to a simulator
-- args: --no-sandbox
local sim = memsim.new{}
debug.setupvalue(sim.gc.collect, 1, 42)
sim.gc.collect()
