-- expect: exit 1, message: module 'debug' not found
-- args: 
local d = require 'debug'
