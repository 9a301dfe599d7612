-- expect: exit 1, message: experiment: 'profile' must be one of
-- args: 
return experiment{name = 'p', profile = 'cpython-2.7', runs = {a = function() end}}
