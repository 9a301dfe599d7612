-- expect: exit 1, message: time limit reached (--timeout 3 s)
-- args: --no-sandbox
debug.sethook()
while true do end
