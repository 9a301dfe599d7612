-- gc.get_count() through allocation, free lists and frees (wl_gc_lists.py)
local py = require "python"
local function make(sim)
  local keep = sim:new("list")
  py.for_range(sim, 100, function()
    local l = sim:new("list")
    sim:append(keep, l)
    sim:decref(l)
  end)
  return keep
end
return {
  gc = true,
  run = function(sim)
    local a = make(sim)
    sim:decref(a)
    return make(sim)
  end,
}
