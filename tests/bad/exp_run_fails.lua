-- expect: exit 1, message: run 'a' failed
-- args: --format=none
return experiment{name = 'x', runs = {a = function(sim) sim:new('nope') end}}
