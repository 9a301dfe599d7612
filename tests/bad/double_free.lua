-- expect: exit 1, message: not a live block from malloc
local sim = memsim.new{}
local p = sim:malloc(10)
sim:free(p)
sim:free(p)
