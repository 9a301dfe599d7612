-- expect: exit 1, message: attempt to call a nil value (field 'output')
-- args: 
io.output('/tmp/memsim-hostile-pwned')
