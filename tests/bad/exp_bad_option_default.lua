-- expect: exit 1, message: the default must be a number, string or boolean
return experiment{name = 'x', options = {n = {{}}}, runs = {a = function() end}}
