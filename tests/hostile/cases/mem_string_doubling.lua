-- expect: exit 1, message: MemoryError: the host memory limit (2 GiB, --host-memory-limit) was reached
-- args: 
local s = 'x'
while true do s = s .. s end
