-- expect: exit 1, message: two plots are named 'p'
return experiment{name = 'x', runs = {a = function() end}, plots = {{name = 'p', kind = 'series', y = 'objects'}, {name = 'p', kind = 'series', y = 'objects'}}}
