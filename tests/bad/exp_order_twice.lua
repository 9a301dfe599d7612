-- expect: exit 1, message: 'order' names run 'a' twice
return experiment{name = 'x', runs = {a = function() end}, order = {'a', 'a'}}
