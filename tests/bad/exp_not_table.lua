-- expect: exit 1, message: experiment: expects a table, got string
return experiment('hello')
