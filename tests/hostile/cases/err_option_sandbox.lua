-- expect: exit 1, message: option 'sandbox' would hide memsim run's own --sandbox flag
-- args: 
return experiment{name = 'p', options = {sandbox = {false, 'x'}}, runs = {a = function() end}}
