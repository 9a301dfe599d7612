-- expect: exit 1, message: simulator is closed
local a = memsim.new{}
a:close()
a:new('float')
