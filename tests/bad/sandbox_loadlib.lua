-- expect: exit 1, message: attempt to index a nil value (global 'package')
-- args: --sandbox
package.loadlib('libc.so.6', 'puts')
