-- expect: exit 1, message: decref below zero: the script holds no reference to this float
-- The float is held by the list; the script dropped its own reference.
local sim = memsim.new{}
local l = sim:new("list")
local f = sim:new("float")
sim:append(l, f)
sim:decref(f)
sim:decref(f)
