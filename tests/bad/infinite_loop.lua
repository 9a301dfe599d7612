-- expect: exit 1, message: time limit reached (--timeout 1 s)
-- args: --timeout=1
while true do end
