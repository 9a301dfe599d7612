-- expect: exit 1, message: 'name' must be a word of up to 64
-- args: 
return experiment{name = string.rep('n', 300), runs = {a = function() end}}
