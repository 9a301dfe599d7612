-- expect: exit 1, message: require: a module name of letters
-- args: 
require '../../../tmp/memsim-hostile'
