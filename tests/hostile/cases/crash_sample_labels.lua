-- expect: exit 0, message: sampled 5000
-- args: 
local sim = memsim.new{}
for i = 1, 5000 do sim:sample('x') end
for i = 1, 5000 do sim:sample('p' .. i) end
print('sampled 5000')
