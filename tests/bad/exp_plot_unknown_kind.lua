-- expect: exit 1, message: unknown kind 'pie'
return experiment{name = 'x', runs = {a = function() end}, plots = {{name = 'p', kind = 'pie'}}}
