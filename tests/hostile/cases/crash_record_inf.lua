-- expect: exit 1, message: record: value must be a finite number
-- args: 
return experiment{name = 'inf', runs = {a = function(sim, opt, run) run:record('x', 1/0) end}}
