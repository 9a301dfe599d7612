-- expect: exit 1, message: --sandbox allows writing only beneath memsim.outdir
-- args: 
assert(_G.io.open('/tmp/memsim-hostile-pwned', 'w'))
