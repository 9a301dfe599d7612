-- expect: exit 1, message: not a live block from malloc
local sim = memsim.new{}
sim:free(123456)
