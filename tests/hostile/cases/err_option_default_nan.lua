-- expect: exit 1, message: the default must be a finite number
-- args: 
return experiment{name = 'p', options = {n = {0/0, 'x'}}, runs = {a = function() end}}
