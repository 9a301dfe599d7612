-- expect: exit 1, message: decref below zero: the script holds no reference to this list
-- Found by the API fuzzer: l.append(l), then one decref too many.  The list
-- holds itself; the script's one reference is gone after the first decref.
local sim = memsim.new{}
local l = sim:new("list")
sim:append(l, l)
sim:decref(l)
sim:decref(l)
