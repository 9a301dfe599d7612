-- expect: exit 1, message: loadfile: a path expected
-- args: 
loadfile()
