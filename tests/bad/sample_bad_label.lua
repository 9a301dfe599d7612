-- expect: exit 1, message: a label cannot hold tabs, newlines
local sim = memsim.new{}
sim:sample('a\nb')
