-- d = {}; d[i] = i for 300,000 ints; del d[i] for every other one; del d
local sim = memsim.new{}
local d = sim:new("dict")
local keys = {}
for i = 0, 299999 do
  local k = sim:new("int", i)
  sim:setitem(d, k, k)                     -- d[i] = i: the same int as key and value
  sim:decref(k)                            -- the loop variable moves on; the dict keeps it
  keys[i] = k
end
for i = 0, 299999, 2 do sim:delitem(d, keys[i]) end
sim:decref(d)
