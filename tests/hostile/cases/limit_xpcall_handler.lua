-- expect: exit 1, message: time limit reached (--timeout 3 s)
-- args: 
while true do xpcall(function() while true do end end, function(e) return e end) end
