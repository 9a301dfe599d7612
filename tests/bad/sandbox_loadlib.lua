-- expect: exit 1, message: attempt to call a nil value (field 'loadlib')
-- args: --sandbox
package.loadlib('libc.so.6', 'puts')
