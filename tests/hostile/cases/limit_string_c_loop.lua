-- expect: exit 1, message: time limit reached (--timeout 3 s)
-- args: 
local s = string.rep('a', 1 << 24)
while true do s:find('.-b') end
