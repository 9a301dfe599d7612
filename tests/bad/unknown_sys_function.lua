-- expect: exit 1, message: AttributeError: sim.sys has no 'getrefcount' (it has: _debugmallocstats, getallocatedblocks, getsizeof)
-- args:
local sim = memsim.new{}
print(sim.sys.getrefcount(sim:new("float")))
