-- expect: exit 1, message: run 'a' must be a function, got number
return experiment{name = 'x', runs = {a = 5}}
