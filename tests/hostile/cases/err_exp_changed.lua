-- expect: exit 1, message: an experiment cannot be changed once made
-- args: 
local e = experiment{name = 'p', runs = {a = function() end}}
e.name = 'q'
