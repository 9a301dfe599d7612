-- expect: exit 2, message: --n=1,,2: empty value in the list
-- args: --n=1,,2
return experiment{name = 'x', options = {n = {1, 'n'}}, runs = {a = function() end}}
