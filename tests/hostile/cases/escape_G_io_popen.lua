-- expect: exit 1, message: attempt to call a nil value (field 'popen')
-- args: 
_G.io.popen('touch /tmp/memsim-hostile-pwned')
