-- expect: exit 0, message: gp_run_name_legend
-- args: --format png
return experiment{name = 'gp_run_name_legend', runs = {['a_b-c'] = function(sim) sim:new('float') end},
  plots = {{name = 'live', kind = 'series', y = 'live_bytes'}}}
