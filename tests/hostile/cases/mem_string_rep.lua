-- expect: exit 1, message: MemoryError: the host memory limit (2 GiB, --host-memory-limit) was reached
-- args: 
local a = string.rep('x', 1 << 30)
local b = string.rep('y', 1 << 30)
