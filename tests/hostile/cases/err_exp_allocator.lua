-- expect: exit 1, message: experiment: 'allocator' must be
-- args: 
return experiment{name = 'p', allocator = 'jemalloc', runs = {a = function() end}}
