-- expect: exit 1, message: error object is a nil value
-- args: 
error()
