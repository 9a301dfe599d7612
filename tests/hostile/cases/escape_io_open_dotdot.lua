-- expect: exit 1, message: --sandbox allows writing only beneath memsim.outdir
-- args: 
assert(io.open(memsim.outdir .. '/../pwned.txt', 'w'))
