-- expect: exit 1, message: time limit reached (--timeout 3 s)
-- args: 
while true do local ok, e = pcall(error, 'x') end
