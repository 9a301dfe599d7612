-- expect: exit 1, message: experiment: 'gc' must be true or false
-- args: 
return experiment{name = 'p', gc = 'yes', runs = {a = function() end}}
