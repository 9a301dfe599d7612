-- expect: exit 1, message: attempt to index a boolean value
-- args: 
getmetatable('').__index.rep = function() os.execute('true') end
