-- expect: exit 1, message: unknown type 'complex'
local sim = memsim.new{}
sim:new('complex')
