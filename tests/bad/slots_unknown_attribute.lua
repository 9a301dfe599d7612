-- expect: exit 1, message: AttributeError: 'P' object has no attribute 'z' (its __slots__ are its only attributes)
local sim = memsim.new{}
local p = sim:new("object", "P", {"x", "y"})
sim:setattr(p, "z", p)
