-- expect: exit 0, message: crash_sample_labels_experiment
-- args: 
return experiment{name = 'crash_sample_labels_experiment', runs = {a = function(sim)
  for i = 1, 9000 do sim:new('float'); sim:sample('step ' .. i) end end},
  plots = {{name = 'live', kind = 'series', y = 'live_bytes'}}}
