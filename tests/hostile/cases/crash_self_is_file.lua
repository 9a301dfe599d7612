-- expect: exit 1, message: memsim.Sim expected
-- args: 
local sim = memsim.new{}
sim.stats(io.stdout)
