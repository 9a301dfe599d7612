-- expect: exit 1, message: no series 'heap'
return experiment{name = 'x', runs = {a = function() end}, plots = {{name = 'p', kind = 'series', y = 'heap'}}}
