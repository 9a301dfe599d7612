-- expect: exit 1, message: misspelt_method.lua:4: AttributeError: a memsim simulator has no 'apend'; did you mean 'append'?
-- args:
local sim = memsim.new{}
sim:apend(sim:new("list"), sim:new("float"))
