-- expect: exit 1, message: MemoryError
local sim = memsim.new{memory_limit = 2 * 1048576}
local l = sim:new('list')
for i = 1, 1e7 do local x = sim:new('int', 1000 + i); sim:append(l, x); sim:decref(x) end
