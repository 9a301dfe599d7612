-- expect: exit 1, message: record: value must be a finite number
-- args: 
return experiment{name = 'nan', runs = {a = function(sim, opt, run) run:record('x', 0/0) end}}
