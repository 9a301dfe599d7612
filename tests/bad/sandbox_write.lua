-- expect: exit 1, message: --sandbox allows writing only beneath memsim.outdir
-- args: --sandbox
local f, err = io.open('/tmp/memsim-sandbox-test', 'w')
assert(f, err)
