-- expect: exit 1, message: unknown profile 'cpython-2.7'
memsim.new{profile = 'cpython-2.7'}
