-- expect: exit 1, message: error object is a table value
-- args: 
error(setmetatable({}, {__tostring = function() return 'fake' end}))
