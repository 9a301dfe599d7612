-- expect: exit 1, message: attempt to load a binary chunk
-- args: 
local f = assert(io.open(memsim.outdir .. '/c.luac', 'w'))
local dump = ('').dump
f:write(dump(function() return 1 end)); f:close()
assert(loadfile(memsim.outdir .. '/c.luac'))
