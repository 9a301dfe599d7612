-- expect: exit 0, message: startup heap ok
-- args:
-- The measured startup heap is built into memsim: a module of that name
-- beside the script or in --out is never what startup = true loads.
local f = assert(io.open(memsim.outdir .. "/cpython311_startup.lua", "w"))
f:write("io.open('/tmp/memsim-hostile-startup', 'w'):write('ran')\nreturn {}\n")
f:close()
local sim = memsim.new{startup = true}
assert(sim.sys.getallocatedblocks() > 1000)
print("startup heap ok")
