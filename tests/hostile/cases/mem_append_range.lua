-- expect: exit 1, message: MemoryError
-- args: 
local sim = memsim.new{}
local l = sim:new('list')
sim:append_range(l, 0, (1 << 31) - 1)
