-- expect: exit 1, message: pools is more than 65536
-- args: 
memsim.new{startup = {classes = {[0] = {1000000, 1000000}}}}
