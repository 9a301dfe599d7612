-- expect: exit 1, message: AttributeError: sim.sys has no 'settrace' (it has: _debugmallocstats, getallocatedblocks, getrefcount, getsizeof, intern)
-- args:
local sim = memsim.new{}
sim.sys.settrace(sim:new("float"))
