-- expect: exit 1, message: table expected, got number
-- args: --no-sandbox
local sim = memsim.new{}
local index = debug.getmetatable(sim).__index
debug.getmetatable(index).__index(42, 'x')
