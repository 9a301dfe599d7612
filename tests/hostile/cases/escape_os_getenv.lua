-- expect: exit 1, message: attempt to call a nil value (field 'getenv')
-- args: 
print(os.getenv('HOME'))
