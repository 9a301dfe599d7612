-- expect: exit 1, message: attempt to index a nil value (global 'package')
-- args: 
local d = package.loaded.debug
d.sethook()
