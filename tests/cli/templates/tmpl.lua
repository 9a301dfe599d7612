-- tmpl: a fixture for the handout templates (tests/cli/test_cli.sh): a run
-- with known figures, and a handout that names them, well and badly.
return experiment {
  name = "tmpl",
  title = "Handout templates",
  startup = false,
  options = {n = {10, "a number", integer = true, min = 1}},
  runs = {
    a = function(sim, opt, run)
      local l = sim:new("list")
      run:snapshot("peak")
      run:record("x", 1234567)
      run:record("n_again", opt.n)
      sim:decref(l)
    end,
  },
  plots = {
    {name = "xs", kind = "sweep", option = "n", y = "n_again", values = {10, 20}},
  },
}
