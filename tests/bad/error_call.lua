-- expect: exit 1, message: error_call.lua:2: my own error
error('my own error')
