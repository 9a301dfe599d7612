-- expect: exit 1, message: 'runs' must be a table of functions
return experiment{name = 'x'}
