-- expect: exit 1, message: attempt to call a nil value (field '__index')
-- args: 
local sim = memsim.new{}
getmetatable(sim).__index(42, 'gc')
