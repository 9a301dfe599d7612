-- expect: exit 1, message: time limit reached (--timeout 3 s)
-- args: 
-- a coroutine made inside a coroutine, looping where the main thread's
-- hook cannot reach: each thread carries its own
local outer = coroutine.create(function()
  local inner = coroutine.create(function() local x = 0 while true do x = x + 1 end end)
  coroutine.resume(inner)
end)
coroutine.resume(outer)
