-- expect: exit 1, message: experiment: unknown field 'plot'
-- args: 
return experiment{name = 'p', plot = {}, runs = {a = function() end}}
