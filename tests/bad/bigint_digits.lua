-- expect: exit 1, message: digits must be >= 0
local sim = memsim.new{}
sim:new('int', {digits = -1})
