-- expect: exit 1, message: 'gc' must be true or false
memsim.new{gc = 1}
