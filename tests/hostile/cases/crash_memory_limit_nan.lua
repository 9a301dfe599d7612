-- expect: exit 1, message: option 'memory_limit' must be a number of bytes >= 1 MiB
-- args: 
memsim.new{memory_limit = 0/0}
