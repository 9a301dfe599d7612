-- expect: exit 1, message: no option 'm' to sweep
return experiment{name = 'x', options = {n = {1}}, runs = {a = function() end}, plots = {{name = 'p', kind = 'sweep', option = 'm', y = 'peak_live_bytes'}}}
