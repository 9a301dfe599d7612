-- expect: exit 1, message: attempt to index a nil value (global 'debug')
-- args: 
debug.sethook()
while true do end
