-- expect: exit 0, message: gp_title_backquote
-- args: --format png
return experiment{name = 'gp_title_backquote', runs = {a = function(sim) sim:new('float') end},
  plots = {{name = 'live', kind = 'series', y = 'live_bytes', title = 'a `touch /tmp/memsim-hostile-gp2` "b" \\'}}}
