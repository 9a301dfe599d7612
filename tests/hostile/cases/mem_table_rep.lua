-- expect: exit 1, message: MemoryError
-- args: 
local t = {}
local s = string.rep('y', 1 << 20)
for i = 1, 1e6 do t[i] = s .. i end
