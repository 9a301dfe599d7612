-- expect: exit 1, message: range too long
-- args: 
local sim = memsim.new{}
local l = sim:new('list')
sim:append_range(l, math.mininteger, math.maxinteger)
