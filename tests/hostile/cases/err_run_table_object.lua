-- expect: exit 1, message: error object is a table value
-- args: 
return experiment{name = 'tab', runs = {a = function() error({status = 0, msg = 'x'}) end}}
