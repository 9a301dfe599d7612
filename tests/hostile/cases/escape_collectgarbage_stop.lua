-- expect: exit 1, message: collectgarbage: only
-- args: 
collectgarbage('stop')
