-- expect: exit 1, message: is not a finite number
-- args: 
return experiment{name = 'p', runs = {a = function(sim, o, run) run:table('t', {'a'}, {{a = 0/0}}) end}}
