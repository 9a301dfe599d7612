-- expect: exit 1, message: time limit reached (--timeout 3 s)
-- args: 
local sim = memsim.new{}
local g = sim:new('generator', 1)
sim:slot_range(g, 0, 0, (1 << 31) - 1)
sim:slot_range(g, 0, 0, (1 << 31) - 1)
