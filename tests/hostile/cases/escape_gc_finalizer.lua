-- expect: exit 1, message: __gc finalizers are not allowed in --sandbox
-- args: 
setmetatable({}, {__gc = function() io.write('late') end})
