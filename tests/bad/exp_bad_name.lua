-- expect: exit 1, message: 'name' must be a word
return experiment{name = 'a b', runs = {a = function() end}}
