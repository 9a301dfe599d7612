-- expect: exit 1, message: startup: pools must be whole numbers from 0 to 2^31-1
-- args: 
memsim.new{startup = {classes = {[0] = {1 << 40, 1 << 41}}}}
