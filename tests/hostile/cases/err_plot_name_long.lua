-- expect: exit 1, message: plot 1 needs a 'name' (a word of up to 64 characters)
-- args: 
return experiment{name = 'p', runs = {a = function() end}, plots = {{name = string.rep('n', 300), kind = 'series', y = 'live_bytes'}}}
