-- expect: exit 1, message: size is too large
local sim = memsim.new{}
sim:new('tuple', 1 << 40)
