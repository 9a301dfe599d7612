-- expect: exit 1, message: misspelt_gc_function.lua:4: AttributeError: sim.gc has no 'colect'; did you mean 'collect'? (it has: collect, disable
-- args:
local sim = memsim.new{}
sim.gc.colect()
