-- expect: exit 1, message: 'values' must be finite values
-- args: 
return experiment{name = 'p', options = {n = {1, 'n'}}, runs = {a = function() end},
  plots = {{name = 's', kind = 'sweep', option = 'n', y = 'allocs', values = {1, 0/0}}}}
