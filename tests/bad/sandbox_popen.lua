-- expect: exit 1, message: attempt to call a nil value (field 'popen')
-- args: --sandbox
io.popen('ls')
