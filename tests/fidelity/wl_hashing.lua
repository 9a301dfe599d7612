-- keys found by value (wl_hashing.py), call for call
local py = require "python"
local N = 6000
local W = {'alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta', 'eta', 'theta'}
local function word(i) return W[i % 8 + 1] .. W[i // 8 % 8 + 1] end   -- W[i % 8] + W[i // 8 % 8]

return {
  run = function(sim)
    local keep = sim:new("list")
    local function put(c, o) sim:append(keep, o); sim:decref(o) end
    local function add(set, x) sim:add(set, x); sim:decref(x) end
    local s = sim:new("set")
    py.for_range(sim, N, function(i, iobj) sim:add(s, iobj) end)
    py.for_range(sim, N, function(i, iobj)
      sim:discard(s, iobj)
      add(s, sim:new("int", i + N))                   -- i + N: a new int
    end)
    put(keep, s)
    local t = sim:new("set")
    py.for_range(sim, N, function(i, iobj) sim:add(t, iobj) end)
    py.for_range(sim, N, function(i, iobj) sim:discard(t, iobj) end)
    py.for_range(sim, N, function(i, iobj) sim:add(t, iobj) end)
    put(keep, t)
    local u = sim:new("set")
    py.for_range(sim, 1280, function(i) add(u, sim:new("str", word(i))) end)
    py.for_range(sim, 32, function(i)
      local w = sim:new("str", word(i))
      sim:discard(u, w)
      sim:decref(w)
    end)
    local x = sim:pop(u)
    put(keep, u)
    local d = sim:new("dict")
    py.for_range(sim, 1280, function(i, iobj)
      local k = sim:new("str", word(i))
      sim:setitem(d, k, iobj)
      sim:decref(k)
    end)
    put(keep, d)
    local e = sim:new("dict")
    local none = sim:new("None")
    py.for_range(sim, 1280, function(i)
      local k = sim:new("tuple", 2)                   -- BUILD_TUPLE of two small ints
      local p, q = sim:new("int", i % 8), sim:new("int", i // 8 % 8)
      sim:setitem(k, 0, p); sim:setitem(k, 1, q)
      sim:decref(p); sim:decref(q)
      sim:setitem(e, k, none)
      sim:decref(k)
    end)
    sim:decref(none)
    put(keep, e)
    local a = sim:new("str", W[1] .. W[2])
    local b = sim.sys.intern(a)
    local c = sim:new("str", W[1] .. W[2])
    local f = sim.sys.intern(c)
    local tmp = sim:new("str", W[3] .. W[4])
    sim:decref(sim.sys.intern(tmp))
    sim:decref(tmp)
    sim:append(keep, a)
    sim:append(keep, f)
    sim:decref(c)
    local w = sim:new("set")
    py.for_range(sim, 700, function(i, iobj) sim:add(w, iobj) end)
    py.for_range(sim, 700, function(i, iobj) sim:discard(w, iobj) end)
    py.for_range(sim, 700, function(i, iobj) sim:add(w, iobj) end)
    put(keep, w)
    -- the frame ends: its locals go (s, t, u, d, e, a, b, f are in keep; x is a str of u's)
    sim:decref(x); sim:decref(a); sim:decref(b); sim:decref(f)
    return keep
  end,
  sizes = function(sim, keep)
    local out = {}
    for i = 0, 4 do
      local o = sim:getitem(keep, i)
      out[#out + 1] = sim.sys.getsizeof(o)
      sim:decref(o)
    end
    local a, f = sim:getitem(keep, 5), sim:getitem(keep, 6)
    out[#out + 1] = a == f
    sim:decref(a); sim:decref(f)
    local w = sim:getitem(keep, 7)
    out[#out + 1] = sim.sys.getsizeof(w)
    sim:decref(w)
    return out
  end,
}
