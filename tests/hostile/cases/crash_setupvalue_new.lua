-- expect: exit 1, message: a binding table was replaced
-- args: --no-sandbox
local sim = memsim.new{}
local new = sim.new
debug.setupvalue(new, 1, 42)
sim:new('float')
