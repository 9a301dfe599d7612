-- expect: exit 1, message: attempt to call a nil value (local 'popen')
-- args: 
local popen = load('return _G.io.popen')()
popen('true')
