-- expect: exit 1, message: startup: float must be a whole number from 0 to 2000
-- args: 
memsim.new{startup = {free_lists = {float = -5}}}
