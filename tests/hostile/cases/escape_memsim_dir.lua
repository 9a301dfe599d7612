-- expect: exit 1, message: attempt to call a nil value (field '_dir')
-- args: 
memsim._dir('/')
