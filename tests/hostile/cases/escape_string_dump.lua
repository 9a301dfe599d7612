-- expect: exit 1, message: attempt to call a nil value (field 'dump')
-- args: 
local b = string.dump(function() end)
