-- expect: exit 1, message: attempt to call a nil value (field 'execute')
-- args: --sandbox
os.execute('true')
