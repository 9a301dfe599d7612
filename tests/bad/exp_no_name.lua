-- expect: exit 1, message: 'name' must be a word
return experiment{runs = {a = function() end}}
