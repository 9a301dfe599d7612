-- expect: exit 1, message: option 'seed' would hide memsim run's own --seed flag
-- args: 
return experiment{name = 'p', options = {seed = {1, 'x'}}, runs = {a = function() end}}
