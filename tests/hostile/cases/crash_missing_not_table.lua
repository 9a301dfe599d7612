-- expect: exit 1, message: a binding table was replaced
-- args: --no-sandbox
local sim = memsim.new{}
debug.setupvalue(debug.getmetatable(sim).__index, 1, 'x')
local _ = sim.gc
