-- expect: exit 1, message: startup: gc_count must be whole numbers from 0 to 2^31-1
-- args: 
memsim.new{startup = {gc_count = {math.maxinteger, 0, 0}}}
