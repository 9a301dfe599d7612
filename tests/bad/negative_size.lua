-- expect: exit 1, message: size must be >= 0
local sim = memsim.new{}
sim:new('str', -3)
