-- expect: exit 1, message: runtime_error.lua:2: attempt to call a nil value
undefined_function()
