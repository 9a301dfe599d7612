-- driver.lua: the memsim side of a fidelity comparison.
--   FIDELITY_WORKLOAD=wl_floats FIDELITY_SHAPE=shape.lua memsim run driver.lua
-- Starts a simulator from the heap shape python3 measured before its
-- workload, runs the Lua twin of the workload, and prints the same figures
-- as harness.py, as JSON.
local name = assert(os.getenv("FIDELITY_WORKLOAD"), "FIDELITY_WORKLOAD is not set")
local shape = dofile(assert(os.getenv("FIDELITY_SHAPE"), "FIDELITY_SHAPE is not set"))
local wl = require(name)

local sim = memsim.new{startup = shape, allocator = wl.allocator or shape.allocator,
                       gc = wl.gc or false, profile = os.getenv("FIDELITY_PROFILE")}

-- the heap as sys._debugmallocstats() prints it: compare.py parses this
-- text with the parser it uses for python3's
local function heap()
  return sim.sys._debugmallocstats()
end

local function stats3()
  local s = sim.gc.get_stats()
  return {s[1].collections, s[2].collections, s[3].collections},
         {s[1].collected, s[2].collected, s[3].collected}
end

local ctx = wl.setup and wl.setup(sim)       -- what exists before the snapshot
local coll0, got0 = stats3()
local b0 = sim.sys.getallocatedblocks()
local count0 = {sim.gc.get_count()}
local before = heap()
local kept = wl.run(sim, ctx)
local after = heap()
local count1 = {sim.gc.get_count()}
local b1 = sim.sys.getallocatedblocks()
local coll1, got1 = stats3()
-- sizes: a function, or the indices of the kept list whose items'
-- sys.getsizeof() to report ("self": the kept object itself; a negative
-- index counts from the end, as Python's)
local function sizes_at(indices)
  local out = {}
  for _, i in ipairs(indices) do
    if i == "self" then
      out[#out + 1] = sim.sys.getsizeof(kept)
    else
      local x = sim:getitem(kept, i)
      out[#out + 1] = sim.sys.getsizeof(x)
      sim:decref(x)
    end
  end
  return out
end
local sizes = type(wl.sizes) == "table" and sizes_at(wl.sizes) or wl.sizes and wl.sizes(sim, kept) or {}

local function json(v)
  local t = type(v)
  if t == "table" then
    if #v > 0 or next(v) == nil then
      local parts = {}
      for i, x in ipairs(v) do parts[i] = json(x) end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    local keys, parts = {}, {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys)
    for _, k in ipairs(keys) do parts[#parts + 1] = json(k) .. ":" .. json(v[k]) end
    return "{" .. table.concat(parts, ",") .. "}"
  elseif t == "string" then
    return '"' .. v:gsub('[%c"\\]', function(c)
      local map = {['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\t"] = "\\t"}
      return map[c] or string.format("\\u%04x", c:byte())
    end) .. '"'
  end
  return tostring(v)
end

print(json({
  before = before, after = after, count_before = count0, count_after = count1,
  blocks_before = b0, blocks_after = b1,
  collections = {coll1[1] - coll0[1], coll1[2] - coll0[2], coll1[3] - coll0[3]},
  collected = {got1[1] - got0[1], got1[2] - got0[2], got1[3] - got0[3]},
  sizes = sizes,
}))
