-- expect: exit 1, message: MemoryError: the host memory limit (2 GiB, --host-memory-limit) was reached
-- args: 
-- one request just under Lua's own string limit (2^31 - 1), over the host limit
local a = string.rep('x', 0x7ffffff0)
