-- twin.lua: the pause scenarios of bench/pauses/probe.py, in memsim.
--
-- scripts/calibrate.py and bench/bench.py run it with three definitions
-- in front of this text:
--   PROFILE    the profile, "cpython-3.11"
--   SCENARIOS  {{name, kind, n}, ...} as probe.py names them
--   VECTORS    {{name, costs}, ...}: each scenario runs once per cost table
--              (memsim.new{cost = costs}; the clock is linear in the costs)
-- and it prints one line per scenario and vector: vector, scenario and
-- the simulated pause in ns, tab-separated.  Each scenario does what the
-- probe's function of the same kind does, call for call.

local py = require "python"

-- [[i] for i in range(n)]
local function one_item_list(s, i)
  local l = s:new("list", 1)
  local x = s:new("int", i)
  s:setitem(l, 0, x)
  s:decref(x)
  return l
end

-- [[i, i, i, i, i, i, i, i] for i in range(n)]
local function eight_item_list(s, i)
  local l = s:new("list", 8)
  local x = s:new("int", i)
  for k = 0, 7 do s:setitem(l, k, x) end
  s:decref(x)
  return l
end

local MAKE = {
  float = function(s) return s:new("float") end,             -- i + 0.5
  int = function(s, i) return s:new("int", i + 1000) end,     -- i + 1000
  list = one_item_list,                                       -- [i]
  tuple = function(s, i)                                      -- (i,)
    local t = s:new("tuple", 1)
    local x = s:new("int", i)
    s:setitem(t, 0, x)
    s:decref(x)
    return t
  end,
  str = function(s, i) return s:new("str", tostring(i)) end,  -- str(i)
  dict = function(s) return s:new("dict") end,                -- {}
  object = function(s, i)                                     -- node(i): o = Node(); o.x = i
    local o = s:new("object", "Node")
    local x = s:new("int", i)
    s:setattr(o, "x", x)
    s:decref(x)
    return o
  end,
}

local function last_pause(sim)
  local p = sim.gc.pauses()
  return p[#p].pause_ns
end

-- gc.collect(); gc.disable(); L = [...]; gc.collect(gen): its pause
local function explicit(sim, gen, n, item)
  sim.gc.collect()
  sim.gc.disable()
  local L = py.listcomp(sim, n, item)
  sim.gc.pauses()
  sim.gc.collect(gen)
  local p = last_pause(sim)
  sim:decref(L)
  sim.gc.enable()
  return p
end

-- 7,000 lists moved to generation 1, 700 new ones, gc.collect(1)
local function gen1(sim, n)
  sim.gc.collect()
  sim.gc.disable()
  local A = py.listcomp(sim, n - 700, one_item_list)
  sim.gc.collect(0)
  local B = py.listcomp(sim, 700, one_item_list)
  sim.gc.pauses()
  sim.gc.collect(1)
  local p = last_pause(sim)
  sim:decref(A)
  sim:decref(B)
  sim.gc.enable()
  return p
end

local function median(t)
  table.sort(t)
  local n = #t
  if n == 0 then return 0 end
  if n % 2 == 1 then return t[(n + 1) // 2] end
  return (t[n // 2] + t[n // 2 + 1]) / 2
end

-- the automatic collections while n lists are built: their medians
local function auto(sim, n)
  sim.gc.collect()
  sim.gc.pauses()
  local L = py.listcomp(sim, n, one_item_list)
  local by = {[0] = {}, {}, {}}
  for _, p in ipairs(sim.gc.pauses()) do table.insert(by[p.generation], p.pause_ns) end
  sim:decref(L)
  return median(by[0]), median(by[1])
end

-- gc.collect(); gc.disable(); x = BUILD(); del x: the deallocation's pause
local function cascade(sim, build)
  sim.gc.collect()
  sim.gc.disable()
  local x = build()
  local t = sim:now()
  sim:decref(x)
  local p = sim:now() - t
  sim.gc.enable()
  return p
end

for _, v in ipairs(VECTORS) do
  local sim = memsim.new{profile = PROFILE, startup = true, cost = v[2]}
  local done_auto = {}
  for _, sc in ipairs(SCENARIOS) do
    local name, kind, n = sc[1], sc[2], sc[3]
    local p
    if kind == "gc0" then p = explicit(sim, 0, n, one_item_list)
    elseif kind == "full" then p = explicit(sim, 2, n, one_item_list)
    elseif kind == "fullwide" then p = explicit(sim, 2, n, eight_item_list)
    elseif kind == "gc0wide" then p = explicit(sim, 0, n, eight_item_list)
    elseif kind == "gc1" then p = gen1(sim, n)
    elseif kind == "auto0" or kind == "auto1" then
      if not done_auto[n] then done_auto[n] = {auto(sim, n)} end
      p = done_auto[n][kind == "auto0" and 1 or 2]
    elseif kind == "chain" then                                 -- head = chain(n); del head
      p = cascade(sim, function() return py.chain(sim, n, "Node") end)
    else                                                        -- L = [...]; del L
      local make = MAKE[kind:match("^dealloc_(.*)$")]
      p = cascade(sim, function() return py.listcomp(sim, n, make) end)
    end
    print(string.format("%s\t%s\t%.1f", v[1], name, p))
  end
  sim:close()
end
