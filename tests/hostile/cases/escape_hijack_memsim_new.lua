-- expect: exit 0, message: hijack_ok
-- args: 
memsim.new = function() error('hijacked') end
string.format = nil
table.concat = nil
return experiment{name = 'hijack_ok', runs = {a = function(sim) sim:new('float') end}}
