-- expect: exit 1, message: experiment: tables must be plain (no metatable)
-- args: 
return experiment(setmetatable({name = 'p', runs = {a = function() end}}, {__index = function() return 1 end}))
