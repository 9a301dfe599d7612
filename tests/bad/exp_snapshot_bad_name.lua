-- expect: exit 1, message: snapshot name must be a word
-- args: --format=none
return experiment{name = 'x', runs = {a = function(sim, o, run) run:snapshot('a b') end}}
