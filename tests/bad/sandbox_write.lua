-- expect: exit 1, message: writing outside --out is not allowed
-- args: --sandbox
local f, err = io.open('/tmp/memsim-sandbox-test', 'w')
assert(f, err)
