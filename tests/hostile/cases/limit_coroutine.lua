-- expect: exit 1, message: time limit reached (--timeout 3 s)
-- args: 
local co = coroutine.wrap(function() while true do end end)
co()
