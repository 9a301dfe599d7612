-- expect: exit 0, message: wrote
-- args: 
local f = assert(io.open(memsim.outdir .. '/notes.txt', 'w'))
f:write('allowed\n')
f:close()
io.write('wrote\n')
