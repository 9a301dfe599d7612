-- The harness alone: nothing happens.
return {run = function(sim) end}
