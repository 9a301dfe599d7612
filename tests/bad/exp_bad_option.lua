-- expect: exit 1, message: option 'n' must be {default, "description"}
return experiment{name = 'x', options = {n = 5}, runs = {a = function() end}}
