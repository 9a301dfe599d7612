-- expect: exit 1, message: object handle expected, got number
local sim = memsim.new{}
sim:decref(7)
