-- expect: exit 1, message: attempt to call a nil value (field '_write')
-- args: 
memsim._write('/tmp/memsim-hostile-pwned', 'x')
