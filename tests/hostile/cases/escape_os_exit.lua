-- expect: exit 1, message: attempt to call a nil value (field 'exit')
-- args: 
os.exit(0)
