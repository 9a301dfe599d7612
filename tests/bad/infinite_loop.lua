-- expect: exit 1, message: time limit reached (--timeout)
-- args: --timeout=1
while true do end
