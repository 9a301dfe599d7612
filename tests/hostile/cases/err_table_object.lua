-- expect: exit 1, message: error object is a table value
-- args: 
error({status = 0})
