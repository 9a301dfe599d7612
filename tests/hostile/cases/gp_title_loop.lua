-- expect: exit 0, message: gp_title_loop
-- args: --format png
return experiment{name = 'gp_title_loop', runs = {a = function(sim) sim:new('float') end},
  plots = {{name = 'live', kind = 'series', y = 'live_bytes', title = "x'\nwhile (1) {}\n'",
            xlabel = "'; while (1) {}; '", ylabel = '\r\0`sleep 100`'}}}
