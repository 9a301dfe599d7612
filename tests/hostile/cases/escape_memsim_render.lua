-- expect: exit 1, message: attempt to call a nil value (field '_render')
-- args: 
memsim._render('/tmp', 'x.gp')
