-- expect: exit 0, message: gp_column_name
-- args: --format png
return experiment{name = 'gp_column_name',
  runs = {a = function(sim, opt, run)
    run:table('t', {'x', 'y`touch /tmp/memsim-hostile-gp3`'}, {{x = 1, ['y`touch /tmp/memsim-hostile-gp3`'] = 2}, {x = 2, ['y`touch /tmp/memsim-hostile-gp3`'] = 3}})
  end},
  plots = {{name = 't', kind = 'table', table = 't', x = 'x', y = {'y`touch /tmp/memsim-hostile-gp3`'}}}}
