-- expect: exit 0, message: p_rows
-- args: 
-- a row's metamethods never run in the runner: cells are read raw
return experiment{name = 'p_rows', runs = {a = function(sim, o, run)
  run:table('t', {'a'}, {setmetatable({a = 1}, {__index = function() error('ran') end})}) end}}
