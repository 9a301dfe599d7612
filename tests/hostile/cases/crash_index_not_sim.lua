-- expect: exit 1, message: memsim.Sim expected
-- args: --no-sandbox
local sim = memsim.new{}
debug.getmetatable(sim).__index.append(42, 'gc')
