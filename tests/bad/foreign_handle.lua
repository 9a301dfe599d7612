-- expect: exit 1, message: object belongs to another simulator
local a, b = memsim.new{}, memsim.new{}
local f = a:new('float')
b:decref(f)
