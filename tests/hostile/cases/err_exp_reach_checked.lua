-- expect: exit 0, message: exp_reach_ok
-- args:
-- The experiment's tables stay the runner's once checked: a script that
-- kept the value experiment{} returned cannot reach them to change them.
local e = experiment{name = "exp_reach_ok", runs = {a = function(sim) sim:new("float") end},
                     plots = {{name = "live", kind = "series", y = "live_bytes"}}}
assert(e.runs == nil and e.plots == nil and e.name == "exp_reach_ok")
local ok = pcall(rawset, e, "runs", {a = 1})
return e
