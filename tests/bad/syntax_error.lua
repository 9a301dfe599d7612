-- expect: exit 1, message: syntax_error.lua:2:
x = = 1
