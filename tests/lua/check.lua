-- check.lua: a tiny test harness for memsim's Lua tests.
--   local T = require "check"
--   T.eq(a, b, "what"); T.ok(cond, "what"); T.err(fn, "pattern", "what")
--   T.done()   -- prints "N passed, N failed"; fails the script if any failed
local T = {passed = 0, failed = 0}

local function where()
  local info = debug.getinfo(3, "Sl")
  return info.short_src .. ":" .. info.currentline
end

local function fail(msg)
  T.failed = T.failed + 1
  io.stderr:write(where(), ": ", msg, "\n")
end

function T.ok(cond, what)
  if cond then T.passed = T.passed + 1 else fail("not true: " .. tostring(what)) end
end

function T.eq(a, b, what)
  if a == b then T.passed = T.passed + 1
  else fail(string.format("%s: got %s, expected %s", tostring(what), tostring(a), tostring(b))) end
end

-- FN must raise an error whose message matches PATTERN (plain text)
function T.err(fn, pattern, what)
  local ok, msg = pcall(fn)
  if ok then fail("no error: " .. tostring(what))
  elseif not tostring(msg):find(pattern, 1, true) then
    fail(string.format("%s: error %q does not contain %q", tostring(what), tostring(msg), pattern))
  else T.passed = T.passed + 1 end
  return msg
end

function T.done()
  print(string.format("%d passed, %d failed", T.passed, T.failed))
  if T.failed > 0 then error("some checks failed", 0) end
end

return T
