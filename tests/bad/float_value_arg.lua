-- expect: exit 1, message: a float's value: a number expected
local sim = memsim.new{}
sim:new("float", "3.5")
