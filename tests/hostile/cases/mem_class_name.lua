-- expect: exit 1, message: class name must be 1 to 200 characters
-- args: 
local sim = memsim.new{}
sim:new('object', string.rep('C', 100 << 20))
