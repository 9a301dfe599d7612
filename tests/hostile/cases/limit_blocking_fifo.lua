-- expect: exit 1, message: time limit reached (--timeout 3 s)
-- args: --setup-fifo
local f = io.open('fifo', 'r')
print(f:read('a'))
