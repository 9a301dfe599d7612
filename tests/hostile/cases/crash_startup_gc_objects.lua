-- expect: exit 1, message: counts beyond what a heap holds
-- args: 
memsim.new{startup = {gc_objects = {0, 0, 1 << 30}}}
