-- expect: exit 1, message: MemoryError: the host memory limit (2 GiB, --host-memory-limit) was reached
-- args: 
local sim = memsim.new{}
for i = 1, 3 do sim:new('list', 1 << 29) end
