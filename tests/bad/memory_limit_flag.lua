-- expect: exit 1, message: MemoryError
-- args: --memory-limit=4M
local sim = memsim.new{}
local l = sim:new('list')
for i = 1, 1e7 do local x = sim:new('int', 1000 + i); sim:append(l, x); sim:decref(x) end
