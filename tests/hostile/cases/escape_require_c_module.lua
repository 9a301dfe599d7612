-- expect: exit 1, message: module 'lfs' not found
-- args: 
require 'lfs'
