-- expect: exit 1, message: bad argument #1 to 'new'
memsim.new(5)
