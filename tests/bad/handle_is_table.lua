-- expect: exit 1, message: object handle expected, got table
local sim = memsim.new{}
sim:incref({})
