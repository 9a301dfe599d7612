-- PYTHONMALLOC=malloc (wl_malloc.py)
local py = require "python"
return {
  allocator = "malloc",
  run = function(sim)
    local keep = sim:new("list")
    py.for_range(sim, 20000, function()
      local f = sim:new("float")
      sim:append(keep, f)
      sim:decref(f)
      local l = sim:new("list")
      sim:append(keep, l)
      sim:decref(l)
    end)
    return keep
  end,
}
