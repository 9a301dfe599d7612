-- expect: exit 1, message: attempt to call a nil value (method 'append')
-- args: --no-sandbox
local sim = memsim.new{}
local index = debug.getmetatable(sim).__index
debug.setmetatable(index, nil)
index.append = nil
index.gc = 42
sim:append(sim:new("list"), sim:new("int", 1))
