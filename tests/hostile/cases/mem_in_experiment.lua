-- expect: exit 1, message: MemoryError
-- args: 
return experiment{name = 'mem', runs = {a = function(sim) local s = 'x' while true do s = s .. s end end}}
