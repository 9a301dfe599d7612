-- expect: exit 1, message: attempt to index a nil value (field 'x')
-- args: 
local sim = memsim.new{}
local f = sim:new('float')
local mt = getmetatable(f)
mt.x.y = 1
