-- expect: exit 1, message: run 'a' closed its simulator
-- args: 
return experiment{name = 'closer', runs = {a = function(sim) sim:close() end}}
