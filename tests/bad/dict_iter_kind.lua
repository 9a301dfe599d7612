-- expect: exit 1, message: invalid option 'pairs'
local sim = memsim.new{}
sim:iter(sim:new("dict"), "pairs")
