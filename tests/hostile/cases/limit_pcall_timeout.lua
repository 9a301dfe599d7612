-- expect: exit 1, message: time limit reached (--timeout 3 s)
-- args: 
while true do pcall(function() while true do end end) end
