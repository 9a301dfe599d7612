-- expect: exit 1, message: attempt to load a binary chunk (mode is 't')
-- args: 
-- string.dump is still reachable through a string's methods: its output must not load
local dump = ('').dump
local b = dump(function() return 1 end)
b = b:sub(1, 20) .. string.rep('\255', 40) .. b:sub(61)
assert(load(b, 'patched', 'b'))
