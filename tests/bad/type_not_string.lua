-- expect: exit 1, message: bad argument #1 to 'new'
local sim = memsim.new{}
sim:new(42)
