-- expect: exit 1, message: table 't': row 1 is not a table
-- args: --format=none
return experiment{name = 'x', runs = {a = function(sim, o, run) run:table('t', {'c'}, {5}) end}}
