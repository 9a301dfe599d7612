-- expect: exit 1, message: unknown allocator 'tcmalloc'
memsim.new{allocator = 'tcmalloc'}
