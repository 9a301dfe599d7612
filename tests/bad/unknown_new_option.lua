-- expect: exit 1, message: unknown option 'colour'
memsim.new{colour = 'red'}
