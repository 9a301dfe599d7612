-- expect: exit 0, message: gp_title_newline
-- args: --format png
return experiment{name = 'gp_title_newline', runs = {a = function(sim) sim:new('float') end},
  plots = {{name = 'live', kind = 'series', y = 'live_bytes',
            title = "x\nsystem('touch /tmp/memsim-hostile-gp1')\nprint 'owned'"}}}
