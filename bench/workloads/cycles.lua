-- 200,000 pairs of instances that point at each other, dropped at once:
-- garbage only the collector (on) frees
local sim = memsim.new{}
for _ = 1, 200000 do
  local a, b = sim:new("object", "P"), sim:new("object", "P")
  sim:setattr(a, "other", b)
  sim:setattr(b, "other", a)
  sim:decref(a)
  sim:decref(b)
end
