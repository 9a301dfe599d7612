-- expect: exit 1, message: 'runs' is empty
return experiment{name = 'x', runs = {}}
