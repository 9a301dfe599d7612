-- expect: exit 2, message: --n=abc: not a number
-- args: --n=abc
return experiment{name = 'x', options = {n = {1, 'n'}}, runs = {a = function() end}}
