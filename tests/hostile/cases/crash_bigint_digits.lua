-- expect: exit 1, message: digits is too large
-- args: 
local sim = memsim.new{}
sim:new('int', {digits = math.maxinteger})
