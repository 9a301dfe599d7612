-- expect: exit 2, message: --v=maybe: expected true or false
-- args: --v=maybe
return experiment{name = 'x', options = {v = {true, 'v'}}, runs = {a = function() end}}
