-- expect: exit 2, message: unknown option --m for experiment 'x' (it takes --n)
-- args: --m=3
return experiment{name = 'x', options = {n = {1, 'n'}}, runs = {a = function() end}}
