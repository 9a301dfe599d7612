-- expect: exit 1, message: without tabs, newlines or control characters, quotes or backslashes
-- args:
return experiment{name = 'p', runs = {a = function(sim, o, run) run:table('t', {"y'x"}, {}) end}}
