-- expect: exit 1, message: 'seed' must be an integer
memsim.new{seed = 'x'}
