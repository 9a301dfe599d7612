-- expect: exit 1, message: attempt to index a boolean value
-- args: 
getmetatable(io.stdout).__index.write = function() end
