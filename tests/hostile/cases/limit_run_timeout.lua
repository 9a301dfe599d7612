-- expect: exit 1, message: time limit reached (--timeout 3 s)
-- args: 
return experiment{name = 'slow', runs = {a = function(sim) while true do pcall(sim.new, sim, 'float') end end}}
