-- expect: exit 1, message: attempt to call a nil value (field 'execute')
-- args: 
_G.os.execute('touch /tmp/memsim-hostile-pwned')
