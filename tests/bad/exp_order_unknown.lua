-- expect: exit 1, message: 'order' names run 'b', which does not exist
return experiment{name = 'x', runs = {a = function() end}, order = {'b'}}
