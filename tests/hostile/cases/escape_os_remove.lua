-- expect: exit 1, message: attempt to call a nil value (field 'remove')
-- args: 
os.remove('/tmp/memsim-hostile-victim')
