-- expect: exit 1, message: memory_limit
memsim.new{memory_limit = -5}
