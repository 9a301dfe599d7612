-- expect: exit 1, message: range too long
-- args: 
local sim = memsim.new{}
local g = sim:new('generator', 1)
sim:slot_range(g, 0, math.mininteger, math.maxinteger)
