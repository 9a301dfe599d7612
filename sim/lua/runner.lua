-- runner.lua: the experiment runner (layer 3 of ../shared/DESIGN.md).
--
-- Built into the memsim program.  It loads a script; a plain script just
-- runs, an experiment (`return experiment{...}`) has each of its runs
-- executed on a fresh simulator for every point of the option sweep.  It
-- writes one TSV per run, summary.tsv, summary.json and a gnuplot script
-- per plot, then has the plot writer draw them.  Only simulated figures
-- go into the data files, so the same script, options and seed give
-- byte-identical files.

-- O: options from the command line (lmemsim.c).  priv: the runner's own
-- services (files, plot records, clocks), reachable from nowhere else: a
-- script never sees this chunk's locals.
local O, priv = ...
local memsim = require "memsim"
local memsim_new = memsim.new           -- kept: a script may replace the field

-- Everything the runner calls is taken now, before a script runs: a
-- script that changes a library table (outside --sandbox it may) does not
-- change the runner.
local string, table, math, os, io = string, table, math, os, io
local error, pairs, ipairs, next, type, tostring, tonumber =
      error, pairs, ipairs, next, type, tostring, tonumber
local setmetatable, getmetatable, rawget, rawlen, xpcall, load =
      setmetatable, getmetatable, rawget, rawlen, xpcall, load
local debug_traceback = debug.traceback

-- A coroutine is a thread of its own, which the time limit's hook on the
-- main thread does not reach (lmemsim.c, "How a running script is
-- stopped"): each one a script makes puts a hook on itself as it starts.
do
  local create, wrap, guard = coroutine.create, coroutine.wrap, priv.guard_thread
  local function guarded(f, name)
    if type(f) ~= "function" then
      error(string.format("bad argument #1 to '%s' (function expected, got %s)", name,
                          f == nil and "no value" or type(f)), 3)
    end
    return function(...)
      guard()
      return f(...)
    end
  end
  coroutine.create = function(f) return create(guarded(f, "create")) end
  coroutine.wrap = function(f) return wrap(guarded(f, "wrap")) end
end

local NAME_PATTERN = "^[%a_][%w_%-]*$"
local NAME_MAX = 64                     -- names become file names

-- the most points a sweep may have, and runs in all (each a simulator)
local MAX_POINTS = 10000

-- option names that are memsim run's own flags
local RESERVED = {help = true, quiet = true, check = true, sandbox = true, out = true,
                  format = true, seed = true, timeout = true, ["memory-limit"] = true,
                  ["host-memory-limit"] = true, memory_limit = true, host_memory_limit = true,
                  explain = true, answers = true,
                  jobs = true, profile = true}

local function is_name(v)
  return type(v) == "string" and #v <= NAME_MAX and v:match(NAME_PATTERN) ~= nil
end

-- Columns of the per-run time series, written by sim:series_tsv().
local SERIES_COLUMNS = {
  live_bytes = "live heap", arena_bytes = "arenas mapped", mapped_bytes = "memory mapped",
  rss_bytes = "resident set", raw_bytes = "raw allocator in use", objects = "live objects",
  gc0 = "gen-0 collections", gc1 = "gen-1 collections", gc2 = "gen-2 collections",
  pools_used = "pools in use, with room", pools_full = "full pools",
  pools_empty = "empty pools in arenas",
}
local BYTE_COLUMNS = {live_bytes = true, arena_bytes = true, mapped_bytes = true,
                      rss_bytes = true, raw_bytes = true}

-- The summary metrics of every run, in column order.
local METRICS = {
  "peak_live_bytes", "final_live_bytes", "peak_rss_bytes", "arenas_highwater",
  "arenas_final", "objects_final", "allocs", "reallocs", "frees", "gc0", "gc1", "gc2",
  "gc_pause_p50_ns", "gc_pause_p99_ns", "gc_pause_max_ns", "alloc_p50_ns", "alloc_p99_ns",
  "alloc_max_ns", "dealloc_max_ns", "sim_time_ns",
}

-- The summary metrics as a person says them (plot legends and axes).
local METRIC_LABELS = {
  peak_live_bytes = "peak live heap", final_live_bytes = "live heap at the end",
  peak_rss_bytes = "peak resident set", arenas_highwater = "arenas (high-water)",
  arenas_final = "arenas at the end", objects_final = "live objects at the end",
  allocs = "allocations", reallocs = "reallocations", frees = "frees", gc0 = "gen-0 collections", gc1 = "gen-1 collections",
  gc2 = "gen-2 collections", gc_pause_p50_ns = "collection pause, median",
  gc_pause_p99_ns = "collection pause, p99", gc_pause_max_ns = "longest collection pause",
  alloc_p50_ns = "allocation, median", alloc_p99_ns = "allocation, p99",
  alloc_max_ns = "longest allocation", dealloc_max_ns = "longest deallocation cascade",
  sim_time_ns = "memory-management time",
}

-- a metric, column or run name as words: the table above, else _ as spaces
local function words(name)
  return METRIC_LABELS[name] or (tostring(name):gsub("_", " "))
end

-- "live heap (MiB)"; a label that names its unit already is left alone
local function with_unit(label, unit)
  if unit == nil or unit == "" or label:find(unit, 1, true) then return label end
  return label .. " (" .. unit .. ")"
end

-- Where the bytes go (breakdown plots), from a stats snapshot.
local BREAKDOWN = {"requested", "block rounding", "free blocks in pools", "unused pools",
                   "pool overhead", "arena alignment", "raw allocator"}

local function breakdown_of(st)
  local b = st.bytes
  local raw_req = b.requested - b.requested_small
  return {
    ["requested"] = b.requested,
    ["block rounding"] = b.in_blocks - b.requested_small,
    ["free blocks in pools"] = b.available,
    ["unused pools"] = b.unused_pools,
    ["pool overhead"] = b.pool_headers + b.quantization,
    ["arena alignment"] = b.alignment,
    ["raw allocator"] = math.max(0, b.raw_in_use - raw_req),
  }
end

------------------------------------------------------------------------
-- Small helpers
------------------------------------------------------------------------

local function say(...) io.write(string.format(...), "\n") end

local function warn(fmt, ...)
  priv.stderr("memsim: " .. string.format(fmt, ...) .. "\n")
end

-- An error of the user's (script, options): message, exit status.
local UsageError = {}
-- An error the runner reports as it is (a script's, with its line).
local RunnerError = {}
local function usage_error(fmt, ...)
  error(setmetatable({msg = string.format(fmt, ...), status = 2}, UsageError), 0)
end

local function sorted_keys(t)
  local k = {}
  for name in pairs(t) do k[#k + 1] = name end
  table.sort(k, function(a, b) return tostring(a) < tostring(b) end)
  return k
end

-- a number as data files show it: integers exactly, others to 10 digits
local function num(v)
  if math.type(v) == "integer" then return tostring(v) end
  if type(v) == "number" then
    if v == math.floor(v) and math.abs(v) < 2^53 then return string.format("%d", v) end
    return string.format("%.10g", v)
  end
  return tostring(v)
end

local function human_bytes(n)
  if n == nil then return "-" end
  local units = {"B", "KiB", "MiB", "GiB", "TiB"}
  local i = 1
  while math.abs(n) >= 1024 and i < #units do n = n / 1024; i = i + 1 end
  return i == 1 and string.format("%d B", n) or string.format("%.1f %s", n, units[i])
end

local function human_ns(n)
  if n == nil then return "-" end
  if n < 1e3 then return string.format("%d ns", n) end
  if n < 1e6 then return string.format("%.1f µs", n / 1e3) end
  if n < 1e9 then return string.format("%.1f ms", n / 1e6) end
  return string.format("%.2f s", n / 1e9)
end

-- the unit a set of byte values reads best in
local function byte_unit(max)
  if max >= 2 * 1024 ^ 3 then return "GiB", 1024 ^ 3 end
  if max >= 2 * 1024 ^ 2 then return "MiB", 1024 ^ 2 end
  if max >= 2 * 1024 then return "KiB", 1024 end
  return "bytes", 1
end

local function time_unit(max_ns)
  if max_ns >= 2e9 then return "s", 1e9 end
  if max_ns >= 2e6 then return "ms", 1e6 end
  if max_ns >= 2e3 then return "µs", 1e3 end
  return "ns", 1
end

local function json_value(v, indent)
  local t = type(v)
  if t == "table" then
    local pad = string.rep("  ", indent + 1)
    if #v > 0 or next(v) == nil then
      local parts = {}
      for _, x in ipairs(v) do parts[#parts + 1] = pad .. json_value(x, indent + 1) end
      if #parts == 0 then return "[]" end
      return "[\n" .. table.concat(parts, ",\n") .. "\n" .. string.rep("  ", indent) .. "]"
    end
    local parts = {}
    for _, k in ipairs(sorted_keys(v)) do
      parts[#parts + 1] = pad .. json_value(tostring(k), 0) .. ": " .. json_value(v[k], indent + 1)
    end
    return "{\n" .. table.concat(parts, ",\n") .. "\n" .. string.rep("  ", indent) .. "}"
  elseif t == "string" then
    return '"' .. v:gsub('[%c"\\]', function(c)
      local map = {['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\t"] = "\\t"}
      return map[c] or string.format("\\u%04x", c:byte())
    end) .. '"'
  elseif t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then return "null" end
    return num(v)
  elseif t == "boolean" then
    return tostring(v)
  end
  return "null"
end

------------------------------------------------------------------------
-- The experiment table
------------------------------------------------------------------------

-- "FILE:LINE: " of the innermost function of the script on the stack
local function script_location(level)
  for l = level, level + 200 do
    local info = debug.getinfo(l, "Sl")
    if info == nil then break end
    if info.currentline and info.currentline > 0 and info.source:sub(1, 1) == "@" then
      return info.short_src .. ":" .. info.currentline .. ": "
    end
  end
  return O.script .. ": "               -- a tail call (return experiment{...}) left no frame
end

-- experiment{...} returns a token; the checked copy of its table stays here,
-- where the script cannot change it after the check.
local experiments = setmetatable({}, {__mode = "k"})
local PLOT_KINDS = {series = true, sweep = true, breakdown = true, latency = true, bars = true,
                    table = true, heatmap = true}
local EXPERIMENT_FIELDS = {name = true, title = true, description = true, options = true,
                           runs = true, order = true, plots = true, profile = true,
                           allocator = true, gc = true, startup = true, verdict = true,
                           on_failure = true, configs = true, summary = true,
                           parallel = true}

-- A copy of a script's table made with raw access only: no metamethod of
-- the script's runs while the runner reads it, now or later.
local function plain_copy(v, bad, depth, budget)
  if type(v) ~= "table" then return v end
  if depth > 8 then bad("tables nested more than 8 deep") end
  if getmetatable(v) ~= nil then bad("tables must be plain (no metatable)") end
  local c = {}
  local k, x = next(v)
  while k ~= nil do
    budget.n = budget.n - 1
    if budget.n < 0 then bad("more than 100000 entries") end
    c[plain_copy(k, bad, depth + 1, budget)] = plain_copy(x, bad, depth + 1, budget)
    k, x = next(v, k)
  end
  return c
end

local function short_string(v, max)
  return type(v) == "string" and #v <= max
end

-- what is wrong with VALUE for an option of spec SPEC, or nil
local function option_problem(spec, value)
  if type(value) == "number" then
    if spec.integer and math.type(value) ~= "integer" and value ~= math.floor(value) then
      return "must be a whole number"
    end
    if spec.min and value < spec.min then return "must be at least " .. tostring(spec.min) end
    if spec.max and value > spec.max then return "must be at most " .. tostring(spec.max) end
  elseif type(value) == "string" and spec.choices then
    for _, c in ipairs(spec.choices) do
      if c == value then return nil end
    end
    return "must be one of " .. table.concat(spec.choices, ", ")
  end
  return nil
end

local function check_experiment(t)
  local function bad(fmt, ...)
    error(script_location(2) .. "experiment: " .. string.format(fmt, ...), 0)
  end
  if type(t) ~= "table" then bad("expects a table, got %s", type(t)) end
  t = plain_copy(t, bad, 0, {n = 100000})
  for k in pairs(t) do
    if not EXPERIMENT_FIELDS[k] then bad("unknown field '%s'", tostring(k):sub(1, 40)) end
  end
  if not is_name(t.name) then
    bad("'name' must be a word of up to %d letters, digits, _ or - (got %s)", NAME_MAX,
        tostring(t.name):sub(1, 80))
  end
  if t.title ~= nil and not short_string(t.title, 200) then bad("'title' must be a string of up to 200 bytes") end
  if t.description ~= nil and not short_string(t.description, 4000) then bad("'description' must be a string") end
  if t.profile ~= nil then
    local known = false
    for _, p in ipairs(memsim.profiles) do known = known or p == t.profile end
    if not known then
      bad("'profile' must be one of %s, got %s", table.concat(memsim.profiles, ", "), tostring(t.profile):sub(1, 40))
    end
  end
  if t.allocator ~= nil and t.allocator ~= "pymalloc" and t.allocator ~= "malloc" then
    bad("'allocator' must be \"pymalloc\" or \"malloc\", got %s", tostring(t.allocator):sub(1, 40))
  end
  if t.gc ~= nil and type(t.gc) ~= "boolean" then bad("'gc' must be true or false, got %s", type(t.gc)) end
  if t.configs ~= nil then                -- per run: {run = {profile = ..., allocator = ...}}
    if type(t.configs) ~= "table" then bad("'configs' must map run names to {profile =, allocator =}") end
    for rn, c in pairs(t.configs) do
      if type(rn) ~= "string" or t.runs[rn] == nil then
        bad("'configs' names run '%s', which does not exist", tostring(rn):sub(1, 40))
      end
      if type(c) ~= "table" then bad("'configs.%s' must be a table {profile =, allocator =}", rn) end
      for f, v in pairs(c) do
        if f ~= "profile" and f ~= "allocator" then
          bad("'configs.%s': unknown field '%s' (profile, allocator)", rn, tostring(f):sub(1, 40))
        end
        local known = f == "profile" and memsim.profiles or {"pymalloc", "malloc"}
        local found = false
        for _, k in ipairs(known) do found = found or k == v end
        if not found then
          bad("'configs.%s.%s' must be one of %s, got %s", rn, f, table.concat(known, ", "), tostring(v):sub(1, 40))
        end
      end
    end
  end
  if t.parallel ~= nil and type(t.parallel) ~= "boolean" then
    bad("'parallel' must be true or false (false: the runs share state, as a verdict kept in "
        .. "upvalues; they run one after another)")
  end
  if t.on_failure ~= nil and t.on_failure ~= "continue" and t.on_failure ~= "stop" then
    bad("'on_failure' must be \"continue\" (the other runs go on; the default) or \"stop\" "
        .. "(a failed run stops the experiment and nothing is written)")
  end
  if t.summary ~= nil and type(t.summary) ~= "boolean" then
    bad("'summary' must be true (print the runs' memory table, the default) or false")
  end
  if t.verdict ~= nil and type(t.verdict) ~= "function" then
    bad("'verdict' must be a function(rows) returning whether the result holds, and a text")
  end
  if t.startup ~= nil and type(t.startup) ~= "boolean" then
    bad("'startup' must be true (a real interpreter's start-up heap, the default) or false (empty)")
  end
  t.options = t.options or {}
  if type(t.options) ~= "table" then bad("'options' must be a table") end
  for k, v in pairs(t.options) do
    if not is_name(k) then bad("option names must be words of up to %d characters, got %s", NAME_MAX, tostring(k):sub(1, 80)) end
    if RESERVED[k] then bad("option '%s' would hide memsim run's own --%s flag: give it another name", k, k) end
    if type(v) ~= "table" or v[1] == nil then
      bad("option '%s' must be {default, \"description\"}", k)
    end
    local d = type(v[1])
    if d ~= "number" and d ~= "string" and d ~= "boolean" then
      bad("option '%s': the default must be a number, string or boolean, got %s", k, d)
    end
    if d == "number" and (v[1] ~= v[1] or v[1] == math.huge or v[1] == -math.huge) then
      bad("option '%s': the default must be a finite number", k)
    end
    if d == "string" and #v[1] > 200 then bad("option '%s': the default is longer than 200 bytes", k) end
    -- the option's kind and range: {default, "what", integer = true, min = 1, max = 1e6}
    -- or {default, "what", choices = {"a", "b"}}
    for f in pairs(v) do
      if f ~= 1 and f ~= 2 and f ~= "integer" and f ~= "min" and f ~= "max" and f ~= "choices"
         and f ~= "list" then
        bad("option '%s': unknown field '%s' (integer, min, max, choices, list)", k, tostring(f):sub(1, 40))
      end
    end
    -- list = true: a comma list is one value (the script splits it), not a sweep
    if v.list ~= nil and (type(v.list) ~= "boolean" or d ~= "string") then
      bad("option '%s': 'list' is true or false, for a string", k)
    end
    if v.integer ~= nil and (type(v.integer) ~= "boolean" or d ~= "number") then
      bad("option '%s': 'integer' is true or false, for a number", k)
    end
    for _, f in ipairs({"min", "max"}) do
      local x = v[f]
      if x ~= nil and (type(x) ~= "number" or d ~= "number" or x ~= x or x == math.huge or x == -math.huge) then
        bad("option '%s': '%s' must be a finite number, for a number", k, f)
      end
    end
    if v.choices ~= nil then
      if d ~= "string" or type(v.choices) ~= "table" or #v.choices == 0 or #v.choices > 100 then
        bad("option '%s': 'choices' must list 1 to 100 strings, for a string", k)
      end
      for _, c in ipairs(v.choices) do
        if type(c) ~= "string" then bad("option '%s': 'choices' must list strings", k) end
      end
    end
    local why = option_problem(v, v[1])
    if why then bad("option '%s': the default %s", k, why) end
    if v[2] ~= nil and type(v[2]) ~= "string" then bad("option '%s': the description must be a string", k) end
  end
  if type(t.runs) ~= "table" then bad("'runs' must be a table of functions") end
  local n = 0
  for k, v in pairs(t.runs) do
    n = n + 1
    if not is_name(k) then bad("run names must be words of up to %d characters, got %s", NAME_MAX, tostring(k):sub(1, 80)) end
    if type(v) ~= "function" then bad("run '%s' must be a function, got %s", k, type(v)) end
  end
  if n == 0 then bad("'runs' is empty: give at least one run") end
  if t.order ~= nil then
    if type(t.order) ~= "table" then bad("'order' must be a list of run names") end
    local seen = {}
    for _, name in ipairs(t.order) do
      if not t.runs[name] then bad("'order' names run '%s', which does not exist", tostring(name)) end
      if seen[name] then bad("'order' names run '%s' twice", name) end
      seen[name] = true
    end
    if #t.order ~= n then bad("'order' must name every run once") end
  end
  t.plots = t.plots or {}
  if type(t.plots) ~= "table" then bad("'plots' must be a list") end
  local names = {}
  for i, p in ipairs(t.plots) do
    if type(p) ~= "table" then bad("plot %d must be a table", i) end
    if not is_name(p.name) then
      bad("plot %d needs a 'name' (a word of up to %d characters)", i, NAME_MAX)
    end
    for _, f in ipairs({"title", "xlabel", "ylabel"}) do
      if p[f] ~= nil and not short_string(p[f], 200) then
        bad("plot '%s': '%s' must be a string of up to 200 bytes", p.name, f)
      end
    end
    if names[p.name] then bad("two plots are named '%s'", p.name) end
    names[p.name] = true
    if not PLOT_KINDS[p.kind] then
      bad("plot '%s': unknown kind '%s' (series, sweep, breakdown, latency, bars)", p.name, tostring(p.kind))
    end
    if p.runs ~= nil and (p.kind == "series" or p.kind == "sweep") then   -- only these runs' lines
      if type(p.runs) ~= "table" or #p.runs == 0 or #p.runs > 64 then
        bad("plot '%s': 'runs' must list run names", p.name)
      end
      for _, rn in ipairs(p.runs) do
        if t.runs[rn] == nil then bad("plot '%s': 'runs' names run '%s', which does not exist", p.name, tostring(rn)) end
      end
    end
    if p.kind == "series" then
      local ys = type(p.y) == "table" and p.y or {p.y}
      if #ys == 0 or #ys > 8 then bad("plot '%s': 'y' names one series, or a list of 1 to 8", p.name) end
      for _, y in ipairs(ys) do
        if not SERIES_COLUMNS[y or ""] then
          bad("plot '%s': no series '%s' (live_bytes, arena_bytes, mapped_bytes, rss_bytes, raw_bytes, "
              .. "objects, gc0, gc1, gc2, pools_used, pools_full, pools_empty)", p.name, tostring(y))
        end
      end
      if p.x ~= nil and p.x ~= "time" and p.x ~= "events" then
        bad("plot '%s': x must be \"time\" or \"events\"", p.name)
      end
    elseif p.kind == "sweep" then
      if not t.options[p.option or ""] then bad("plot '%s': no option '%s' to sweep", p.name, tostring(p.option)) end
      if type(p.y) ~= "string" then bad("plot '%s': 'y' must name a summary metric", p.name) end
      if p.values ~= nil then
        if type(p.values) ~= "table" or #p.values == 0 or #p.values > 1000 then
          bad("plot '%s': 'values' must be a list of 1 to 1000 values", p.name)
        end
        for _, v in ipairs(p.values) do
          if type(v) ~= type(t.options[p.option][1]) or v ~= v or v == math.huge or v == -math.huge then
            bad("plot '%s': 'values' must be finite values of option '%s''s type", p.name, p.option)
          end
        end
      end
    elseif p.kind == "breakdown" then
      if p.at ~= nil then                   -- bars for these snapshots ("end": the final state)
        if type(p.at) ~= "table" or #p.at == 0 or #p.at > 16 then
          bad("plot '%s': 'at' must list 1 to 16 snapshot names (\"end\": the end of the run)", p.name)
        end
        for _, a in ipairs(p.at) do
          if not is_name(a) then bad("plot '%s': 'at' must list snapshot names (words)", p.name) end
        end
      end
    elseif p.kind == "latency" then
      if p.which ~= nil and p.which ~= "alloc" and p.which ~= "gc" and p.which ~= "dealloc" then
        bad("plot '%s': 'which' must be alloc, gc or dealloc", p.name)
      end
      if p.clock ~= nil and p.clock ~= "simulated" and p.clock ~= "real" then
        bad("plot '%s': 'clock' must be \"simulated\" (the default) or \"real\" (times a recorder measured)", p.name)
      end
    elseif p.kind == "bars" then
      if type(p.metrics) ~= "table" or #p.metrics == 0 then bad("plot '%s': 'metrics' must list summary metrics", p.name) end
      for _, m in ipairs(p.metrics) do
        if not is_name(m) then bad("plot '%s': 'metrics' must list summary metrics (words)", p.name) end
      end
    elseif p.kind == "table" then
      if not is_name(p.table) then
        bad("plot '%s': 'table' must name a table a run writes with run:table()", p.name)
      end
      if not short_string(p.x, 100) then bad("plot '%s': 'x' must name a column", p.name) end
      if p.style ~= nil and p.style ~= "lines" and p.style ~= "points" and p.style ~= "bars" then
        bad("plot '%s': 'style' must be lines, points or bars", p.name)
      end
      if type(p.y) == "string" then p.y = {p.y} end
      if type(p.y) ~= "table" or #p.y == 0 then bad("plot '%s': 'y' must name columns", p.name) end
      for _, y in ipairs(p.y) do
        if not short_string(y, 100) then bad("plot '%s': 'y' must name columns", p.name) end
      end
    elseif p.kind == "heatmap" then
      if not is_name(p.map) then
        bad("plot '%s': 'map' must name an arena map a run takes with run:arena_map()", p.name)
      end
    end
  end
  return t
end

local function experiment(t)
  local checked = check_experiment(t)
  -- the script may read the token's plain fields (e.name), never reach the
  -- checked tables themselves: a change to them would skip the checks
  local token = setmetatable({}, {__metatable = "experiment", __index = function(_, k)
    local v = rawget(checked, k)
    if type(v) ~= "table" then return v end
  end, __newindex = function() error("an experiment cannot be changed once made", 2) end})
  experiments[token] = checked
  return token
end

local function run_names(exp)
  if exp.order then return exp.order end
  return sorted_keys(exp.runs)
end

------------------------------------------------------------------------
-- Loading a script
------------------------------------------------------------------------

local function script_dir(path)
  return path:match("^(.*)/[^/]*$") or "."
end

-- the text of a script, or a usage error (never blocks: see priv.read)
local function read_script(path)
  local text, why, kind = priv.read(path)
  if text then return text end
  if kind == "dir" then usage_error("%s is a directory, not a script", path) end
  if kind == "missing" then usage_error("cannot open %s: no such file", path) end
  usage_error("cannot open %s: %s", path, why)
end

local function module_path(path)
  local dir = script_dir(path)
  local home = os.getenv("MEMSIM_SCRIPTS") or O.scripts_dir or "scripts"
  return table.concat({dir .. "/?.lua", dir .. "/../scripts/?.lua", home .. "/?.lua"}, ";")
end

-- a plain copy of a library table (the script may change its copy)
local function copy_lib(lib, except)
  local c = {}
  for k, v in pairs(lib) do
    if not (except and except[k]) then c[k] = v end
  end
  return c
end

--[[
The environment of a script under --sandbox, built from nothing: a
whitelist, never a filter over _G.  What it holds (README: Robustness):
  the base functions but those that reach the runner or load binary
  chunks; copies of string, table, math, utf8, coroutine; os.time,
  os.clock, os.date, os.difftime; io.write, io.read, io.lines and io.open
  (reading anywhere, writing only beneath the run's own directory,
  memsim.outdir); require and dofile/loadfile/load for Lua source text,
  all loading into this environment; memsim.new.
Not there: debug, package, os.execute and the rest of os, io.popen,
string.dump, collectgarbage but "count", "collect" and "step",
setmetatable of a __gc, getmetatable of strings and files.  Behind it the
process itself is confined (sandbox.h).
]]
local function sandbox_env(path, outdir)
  local env = {}
  for _, k in ipairs({"assert", "error", "ipairs", "next", "pairs", "pcall", "print", "select",
                      "tonumber", "tostring", "type", "xpcall", "rawequal", "rawlen", "rawget",
                      "rawset", "getmetatable", "_VERSION"}) do
    env[k] = _G[k]
  end
  env.setmetatable = function(t, mt)
    if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
      error("setmetatable: __gc finalizers are not allowed in --sandbox", 2)
    end
    return setmetatable(t, mt)
  end
  env.collectgarbage = function(opt, ...)
    opt = opt or "collect"
    if opt ~= "count" and opt ~= "collect" and opt ~= "step" then
      error("collectgarbage: only \"count\", \"collect\" and \"step\" in --sandbox", 2)
    end
    return collectgarbage(opt, ...)
  end
  env.string = copy_lib(string, {dump = true})
  env.table = copy_lib(table)
  env.math = copy_lib(math)
  env.utf8 = copy_lib(utf8)
  env.coroutine = copy_lib(coroutine)
  env.os = {time = os.time, clock = os.clock, date = os.date, difftime = os.difftime}
  local function inside_out(p)
    if type(p) ~= "string" or outdir == nil then return false end
    if p:find("%.%.") or p:find("//", 1, true) then return false end
    return p:sub(1, #outdir + 1) == outdir .. "/" and #p > #outdir + 1
  end
  env.io = {write = io.write, read = io.read, lines = io.lines, stdout = io.stdout,
            stderr = io.stderr, type = io.type}
  env.io.open = function(p, mode)
    mode = mode or "r"
    if type(p) ~= "string" or type(mode) ~= "string" then error("io.open: a path and a mode", 2) end
    if mode:find("[wa+]") and not inside_out(p) then
      return nil, p .. ": --sandbox allows writing only beneath memsim.outdir"
    end
    return io.open(p, mode)
  end
  local function load_text(text, name, _, e)
    if type(text) ~= "string" and type(text) ~= "function" then error("load: text expected", 2) end
    return load(text, name, "t", e or env)       -- never binary: Lua does not verify bytecode
  end
  local function loadfile_text(p, _, e)
    if type(p) ~= "string" then error("loadfile: a path expected (no standard input)", 2) end
    local text, why = priv.read(p)
    if not text then return nil, p .. ": " .. why end
    return load(text, "@" .. p, "t", e or env)
  end
  env.load, env.loadfile = load_text, loadfile_text
  env.dofile = function(p) return assert(loadfile_text(p))() end
  local public = {new = memsim_new, version = memsim.version, outdir = outdir,
                  profiles = copy_lib(memsim.profiles), trace_info = memsim.trace_info}
  local loaded = {memsim = public, string = env.string, table = env.table, math = env.math,
                  utf8 = env.utf8, coroutine = env.coroutine, os = env.os, io = env.io}
  local search = module_path(path)
  env.require = function(name)
    if type(name) ~= "string" or not name:match("^[%w_%.%-]+$") then
      error("require: a module name of letters, digits, _ . and -", 2)
    end
    if loaded[name] ~= nil then return loaded[name] end
    local file, err = package.searchpath(name, search)
    if not file then error(string.format("module '%s' not found:%s", name, err), 2) end
    local chunk = assert(loadfile_text(file))
    local v = chunk(name, file)
    if v == nil then v = true end
    loaded[name] = v
    return v
  end
  env.memsim = public
  env.experiment = experiment
  env._G = env
  priv.seal()
  return env
end

local function make_env(path, sandbox, outdir)
  if sandbox then return sandbox_env(path, outdir) end
  -- A script without --sandbox is trusted code: it sees the globals
  -- (os, io, debug, package) as any Lua program does.
  local env = setmetatable({}, {__index = _G})
  env.experiment = experiment
  env.memsim = memsim
  package.path = module_path(path)
  return env
end

local function load_script(path, env)
  local text = read_script(path)
  local chunk, err = load(text, "@" .. path, "t", env)
  if not chunk then error(setmetatable({msg = err, status = 1}, RunnerError), 0) end
  return chunk
end

------------------------------------------------------------------------
-- Options and sweeps
------------------------------------------------------------------------

local function parse_value(exp, name, text)
  local default = exp.options[name][1]
  local kind = type(default)
  if kind == "number" then
    local v = tonumber(text)
    if v == nil then usage_error("--%s=%s: not a number", name, text:sub(1, 80)) end
    if v ~= v or v == math.huge or v == -math.huge then
      usage_error("--%s=%s: not a finite number", name, text:sub(1, 80))
    end
    if math.type(default) == "integer" or (v == math.floor(v) and math.abs(v) < 2^53) then
      v = math.tointeger(v) or v
    end
    local why = option_problem(exp.options[name], v)
    if why then usage_error("--%s=%s: %s", name, text:sub(1, 80), why) end
    return v
  elseif kind == "boolean" then
    local map = {["true"] = true, ["1"] = true, yes = true, ["false"] = false, ["0"] = false, no = false}
    if map[text] == nil then usage_error("--%s=%s: expected true or false", name, text:sub(1, 80)) end
    return map[text]
  end
  local why = option_problem(exp.options[name], text)
  if why then usage_error("--%s=%s: %s", name, text:sub(1, 80), why) end
  return text
end

-- the points to run: a list of {name = value} tables (cartesian product)
local function sweep_points(exp, given)
  local values = {}
  for _, name in ipairs(sorted_keys(exp.options)) do
    local default = exp.options[name][1]
    if type(default) == "number" and default == math.floor(default) then
      default = math.tointeger(default) or default
    end
    values[name] = {default}
  end
  local swept = {}
  for _, pair in ipairs(given) do
    local name, text = pair[1], pair[2]
    if not exp.options[name] then
      local known = {}
      for _, k in ipairs(sorted_keys(exp.options)) do known[#known + 1] = "--" .. k end
      usage_error("unknown option --%s for experiment '%s' (it takes %s)", name:sub(1, 64), exp.name,
                  #known > 0 and table.concat(known, ", ") or "no options")
    end
    local list, pieces = {}, 0
    if exp.options[name].list then
      if #text > 8192 then usage_error("--%s: a list longer than 8192 bytes", name) end
      list[1] = parse_value(exp, name, text)
    end
    for piece in (list[1] == nil and text .. "," or ""):gmatch("([^,]*),") do
      pieces = pieces + 1
      if pieces > MAX_POINTS then
        usage_error("--%s: more than %d values", name, MAX_POINTS)
      end
      if piece == "" then usage_error("--%s=%s: empty value in the list", name, text:sub(1, 80)) end
      if #piece > 200 then usage_error("--%s: a value longer than 200 bytes", name) end
      list[#list + 1] = parse_value(exp, name, piece)
    end
    values[name] = list
    if #list > 1 then swept[#swept + 1] = name end
  end
  -- the size of the product, before anything of it is built
  local count = 1
  for _, list in pairs(values) do
    count = count * #list
    if count > MAX_POINTS then
      usage_error("the sweep has more than %d points (each option's values multiply): "
                  .. "split it into several runs", MAX_POINTS)
    end
  end
  local points = {{}}
  for _, name in ipairs(sorted_keys(values)) do
    local nextp = {}
    for _, p in ipairs(points) do
      for _, v in ipairs(values[name]) do
        local q = {}
        for k, x in pairs(p) do q[k] = x end
        q[name] = v
        nextp[#nextp + 1] = q
      end
    end
    points = nextp
  end
  return points, swept
end

-- "-n=1000-mode=fast": part of file names, so only [%w_.+,=-] and short;
-- a value that had other characters is told apart by its position
local function point_suffix(point, swept, index)
  local parts, changed = {}, false
  for _, name in ipairs(swept) do
    local v = num(point[name])
    local safe = v:gsub("[^%w_%.%+,=%-]", "_"):sub(1, 40)
    changed = changed or safe ~= v
    parts[#parts + 1] = name .. "=" .. safe
  end
  if #parts == 0 then return "" end
  return "-" .. table.concat(parts, "-") .. (changed and ("-" .. index) or "")
end

------------------------------------------------------------------------
-- Running
------------------------------------------------------------------------

-- The message handler of every call into a script.  Only the runner's
-- own error objects pass as they are: a table a script raises cannot set
-- the exit status or the message's origin.
local function traceback(e)
  priv.check_stop()                     -- past the time limit, any error is the time limit
  local mt = getmetatable(e)
  if mt == UsageError or mt == RunnerError then return e end
  local msg
  if type(e) == "string" then
    msg = e
    if msg == "not enough memory" then msg = priv.memory_error() or msg end
  elseif type(e) == "number" then
    msg = script_location(3) .. tostring(e)
  else
    msg = script_location(3) .. "error object is a " .. type(e) .. " value (error() takes a message)"
  end
  return setmetatable({msg = msg, trace = debug_traceback(msg, 2), status = 1}, RunnerError)
end

-- The outcome of xpcall(f, traceback): an error object of the runner's.
-- Memory errors skip the handler (Lua calls none for them).
local function as_error(e)
  if getmetatable(e) == RunnerError or getmetatable(e) == UsageError then return e end
  local msg = type(e) == "string" and e or "error"
  if msg == "not enough memory" then msg = priv.memory_error() or msg end
  return setmetatable({msg = msg, trace = msg, status = 1}, RunnerError)
end

-- The trace lines that belong to the script (not to the runner).
local function script_trace(trace)
  local out, first = {}, true
  for line in trace:gmatch("[^\n]+") do
    if first then
      first = false                     -- the message itself, printed already
    elseif not line:find("runner:", 1, true) and not line:find("%[C%]") and
           not line:find("^stack traceback") and not line:find("tail calls", 1, true) then
      out[#out + 1] = line
    end
  end
  if #out == 0 then return "" end
  return "stack traceback:\n" .. table.concat(out, "\n")
end

local Progress = {}
Progress.__index = Progress

local function progress_new(total, quiet)
  return setmetatable({total = total, done = 0, on = not quiet and priv.isatty(2),
                       t0 = priv.wallclock()}, Progress)
end

function Progress:step(label)
  self.done = self.done + 1
  if not self.on then return end
  local width = 24
  local filled = math.floor(width * (self.done - 1) / self.total)
  priv.stderr(string.format("\r[%s%s] %d/%d %-40.40s", string.rep("#", filled),
                               string.rep(".", width - filled), self.done, self.total, label))
end

function Progress:finish()
  if self.on then priv.stderr("\r" .. string.rep(" ", 80) .. "\r") end
end

-- one run at one point on a fresh simulator: its summary row
-- each row's snapshots and final stats, for the handouts' figures
local FIGURE_SOURCES = setmetatable({}, {__mode = "k"})

local function run_one(exp, runname, point, seed)
  math.randomseed(seed)
  local conf = exp.configs and exp.configs[runname] or {}
  local profile = conf.profile or O.profile or exp.profile
  local allocator = conf.allocator or O.allocator or exp.allocator
  local sim = memsim_new{seed = seed, profile = profile, allocator = allocator, gc = exp.gc,
                         startup = exp.startup}
  local ctx = {snapshots = {}, values = {}}
  function ctx:snapshot(name)
    if not is_name(name) then error("snapshot name must be a word", 2) end
    if priv.closed(sim) then error("snapshot: the simulator was closed", 2) end
    self.snapshots[name] = sim:stats()
  end
  function ctx:record(name, value)
    if not is_name(name) then error("record: name must be a word of up to 64 characters", 2) end
    if type(value) ~= "number" or value ~= value or value == math.huge or value == -math.huge then
      error("record: value must be a finite number", 2)
    end
    self.values[name] = value
  end
  ctx.tables, ctx.maps = {}, {}
  -- run:table(name, {"col", ...}, rows): a table of the run's own figures
  -- (copied cell by cell with raw access: the rows are the script's)
  function ctx:table(name, columns, rows, title)
    if not is_name(name) then error("table: name must be a word of up to 64 characters", 2) end
    if type(columns) ~= "table" or rawlen(columns) == 0 or rawlen(columns) > 64 then
      error("table: columns must be a list of 1 to 64 names", 2)
    end
    local cols = {}
    for i = 1, rawlen(columns) do
      local c = rawget(columns, i)
      if type(c) ~= "string" or #c == 0 or #c > 100 or c:find("[%c'\"\\]") then
        error(string.format("table '%s': column %d must be a name of 1 to 100 characters, "
                            .. "without tabs, newlines or control characters, quotes or backslashes",
                            name, i), 2)
      end
      cols[i] = c
    end
    if type(rows) ~= "table" then error("table: rows must be a list of rows", 2) end
    if rawlen(rows) > 1000000 then error("table: more than 1,000,000 rows", 2) end
    local copy = {}
    for i = 1, rawlen(rows) do
      local r = rawget(rows, i)
      if type(r) ~= "table" then error(string.format("table '%s': row %d is not a table", name, i), 2) end
      local row = {}
      for _, c in ipairs(cols) do
        local v = rawget(r, c)
        if v ~= nil and type(v) ~= "number" and type(v) ~= "string" then
          error(string.format("table '%s': row %d, column '%s' is a %s", name, i, c, type(v)), 2)
        end
        if type(v) == "number" and (v ~= v or v == math.huge or v == -math.huge) then
          error(string.format("table '%s': row %d, column '%s' is not a finite number", name, i, c), 2)
        end
        row[c] = v
      end
      copy[i] = row
    end
    if title ~= nil and not short_string(title, 200) then
      error(string.format("table '%s': the title must be a string of at most 200 bytes", name), 2)
    end
    self.tables[name] = {columns = cols, rows = copy, title = title}
  end
  -- run:arena_map(name): every pool of every arena and how full it is, now
  function ctx:arena_map(name)
    if not is_name(name) then error("arena_map: name must be a word", 2) end
    if priv.closed(sim) then error("arena_map: the simulator was closed", 2) end
    self.maps[name] = sim:arena_map()
  end
  local opt = {}
  for k, v in pairs(point) do opt[k] = v end
  local ok, err = xpcall(exp.runs[runname], traceback, sim, opt, ctx)
  if not ok then err = as_error(err) end
  if priv.closed(sim) then               -- the run's own sim:close()
    local where = debug.getinfo(exp.runs[runname], "S")
    ok, err = false, setmetatable({msg = string.format("%s:%d: run '%s' closed its simulator: "
      .. "sim:close() is for plain scripts; a run's simulator is the runner's to close",
      where.short_src, where.linedefined, runname), status = 1}, RunnerError)
    sim = memsim_new{seed = seed, profile = profile, allocator = allocator, gc = exp.gc,
                     startup = exp.startup}
  end
  sim:sample()                          -- the state at the end
  local st = sim:stats()
  local row = {run = runname, status = ok and "ok" or "failed"}
  for k, v in pairs(point) do row[k] = v end
  row.peak_live_bytes = st.live_peak
  row.final_live_bytes = st.live_bytes
  row.peak_rss_bytes = st.rss_peak
  row.arenas_highwater = st.arenas_highwater
  row.arenas_final = st.arenas_current
  row.objects_final = st.objects
  row.allocs = st.allocs
  row.reallocs = st.reallocs
  row.frees = st.frees
  for g = 1, 3 do row["gc" .. (g - 1)] = st.gc[g].collections end
  row.gc_pause_p50_ns = st.latency.gc.p50
  row.gc_pause_p99_ns = st.latency.gc.p99
  row.gc_pause_max_ns = st.latency.gc.max
  row.alloc_p50_ns = st.latency.alloc.p50
  row.alloc_p99_ns = st.latency.alloc.p99
  row.alloc_max_ns = st.latency.alloc.max
  row.dealloc_max_ns = st.latency.dealloc.max
  row.sim_time_ns = st.now_ns
  for k, v in pairs(ctx.values) do row[k] = v end
  if ok and type(err) == "table" and getmetatable(err) == nil then   -- a run's returned figures
    local k, v = next(err)
    while k ~= nil do
      if is_name(k) and type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge then
        row[k] = v
      end
      k, v = next(err, k)
    end
  end
  FIGURE_SOURCES[row] = {snapshots = ctx.snapshots, final = st}
  local result = {row = row, stats = st, snapshots = ctx.snapshots, series = sim:series_tsv(),
                  series_max = sim:series_max(), series_labels = sim:series_labels(),
                  tables = ctx.tables, maps = ctx.maps, error = not ok and err or nil}
  sim:close()
  return result
end

------------------------------------------------------------------------
-- Writing results
------------------------------------------------------------------------

-- every result file goes to the work directory, under a checked name
local function write(name, text, written)
  priv.write(name, text)
  written[#written + 1] = name
end

local function tsv(rows, columns)
  local out = {table.concat(columns, "\t")}
  for _, r in ipairs(rows) do
    local cells = {}
    for i, c in ipairs(columns) do
      local v = r[c]
      cells[i] = v == nil and "" or num(v):gsub("[\t\n]", " ")
    end
    out[#out + 1] = table.concat(cells, "\t")
  end
  return table.concat(out, "\n") .. "\n"
end

-- the columns of ROWS beyond run, status, the options and METRICS: what
-- the runs recorded themselves (run:record), sorted
local function recorded_columns(exp, rows)
  local known = {run = true, status = true, _suffix = true}   -- _suffix: the runner's label
  for k in pairs(exp.options) do known[k] = true end
  for _, m in ipairs(METRICS) do known[m] = true end
  local extra = {}
  for _, r in ipairs(rows) do
    for k in pairs(r) do
      if not known[k] then known[k] = true; extra[#extra + 1] = k end
    end
  end
  table.sort(extra)
  return extra
end

local function summary_columns(exp, rows)
  local cols = {"run", "status"}
  for _, k in ipairs(sorted_keys(exp.options)) do cols[#cols + 1] = k end
  for _, m in ipairs(METRICS) do cols[#cols + 1] = m end
  for _, k in ipairs(recorded_columns(exp, rows)) do cols[#cols + 1] = k end
  return cols
end

------------------------------------------------------------------------
-- Plots
------------------------------------------------------------------------

local function plan_plots(exp, ctx)
  local specs = {}
  local names = run_names(exp)
  for _, p in ipairs(exp.plots) do
    if p.kind == "series" then
      local lines, maxy, maxx = {}, 0, 0
      local xcol = p.x == "events" and "events" or "t_ns"
      local ys = type(p.y) == "table" and p.y or {p.y}
      local nfiles = 0
      for _, rn in ipairs(p.runs or names) do nfiles = nfiles + #(ctx.series_files[rn] or {}) end
      for _, rn in ipairs(p.runs or names) do
        for _, f in ipairs(ctx.series_files[rn] or {}) do
          for _, y in ipairs(ys) do        -- several columns: a line each, named by it
            local run_title = words(rn) .. f.suffix:gsub("^%-", " ")
            local title = #ys == 1 and run_title
                          or (nfiles > 1 and (run_title .. ": ") or "") .. SERIES_COLUMNS[y]
            lines[#lines + 1] = {file = f.file, x = xcol, y = y, title = title}
            maxy = math.max(maxy, f.max[y])
          end
          maxx = math.max(maxx, f.max[xcol])
        end
      end
      local y1 = ys[1]
      local unit, ydiv = "", 1
      if BYTE_COLUMNS[y1] then unit, ydiv = byte_unit(maxy) end
      local xunit, xdiv = "events", 1
      if xcol == "t_ns" then xunit, xdiv = time_unit(maxx) end
      -- the phases the runs marked with sim:sample(label), each once
      local marks, seen = {}, {}
      for _, rn in ipairs(p.runs or names) do
        for _, f in ipairs(ctx.series_files[rn] or {}) do
          for _, l in ipairs(f.labels) do
            local key = l.label .. "@" .. l[xcol]
            if not seen[key] and #marks < 64 then
              seen[key] = true
              marks[#marks + 1] = {x = l[xcol] / xdiv, text = l.label}
            end
          end
        end
      end
      specs[#specs + 1] = {
        name = p.name, kind = "lines", lines = lines, ydiv = ydiv, xdiv = xdiv, marks = marks,
        title = p.title or (SERIES_COLUMNS[y1] .. " over time"),
        xlabel = p.xlabel or (xcol == "t_ns" and ("simulated memory-management time (" .. xunit .. ")")
                              or "allocation and free events"),
        ylabel = p.ylabel or ((#ys == 1 and SERIES_COLUMNS[y1]
                               or BYTE_COLUMNS[y1] and "memory"
                               or y1:match("^pools_") and "pools" or "count")
                              .. (unit ~= "" and (" (" .. unit .. ")") or "")),
        logx = p.logx, logy = p.logy,
      }
    elseif p.kind == "sweep" then
      local lines, maxy = {}, 0
      for _, rn in ipairs(names) do
        local f = ctx.sweep_files[p.name .. ":" .. rn]
        if f then
          lines[#lines + 1] = {file = f.file, x = p.option, y = p.y, title = words(rn)}
          maxy = math.max(maxy, f.max[p.y] or 0)
        end
      end
      local unit, ydiv = "", 1
      if p.y:match("_bytes$") then unit, ydiv = byte_unit(maxy)
      elseif p.y:match("_ns$") then unit, ydiv = time_unit(maxy) end
      specs[#specs + 1] = {
        name = p.name, kind = "points", lines = lines, ydiv = ydiv,
        title = p.title or (words(p.y) .. " against " .. p.option),
        xlabel = p.xlabel or (exp.options[p.option][2] or p.option),
        ylabel = (p.ylabel or words(p.y)) .. (unit ~= "" and (" (" .. unit .. ")") or ""),   -- its unit, always
        logx = p.logx, logy = p.logy,
      }
    elseif p.kind == "breakdown" then
      local unit, ydiv = byte_unit(ctx.breakdown_max)
      specs[#specs + 1] = {
        name = p.name, kind = "stacked", table = "breakdown.tsv", columns = BREAKDOWN,
        ydiv = ydiv, title = p.title or "Where the bytes go",
        xlabel = p.xlabel or "run", ylabel = p.ylabel or (unit == "bytes" and "bytes" or ("memory (" .. unit .. ")")),
      }
    elseif p.kind == "latency" then
      local which = p.which or "alloc"
      local unit, ydiv = time_unit(ctx.latency_max[which] or 0)
      local ymin, ymax                     -- a log axis spans the data, never from a fixed 0.1
      if p.logy and (ctx.latency_min[which] or 0) > 0 then
        ymin, ymax = ctx.latency_min[which] / ydiv / 2, ctx.latency_max[which] / ydiv * 2
      end
      specs[#specs + 1] = {
        name = p.name, kind = "bars", table = "latency-" .. which .. ".tsv",
        columns = {"p50", "p90", "p99", "p99.9", "max"},
        column_titles = {"median", "90th percentile", "99th percentile", "99.9th percentile", "longest"},
        ydiv = ydiv, logy = p.logy, ymin = ymin, ymax = ymax,
        title = p.title or (({alloc = "Allocation latency", gc = "Collection pauses",
                              dealloc = "Deallocation pauses"})[which] .. " (percentiles)"),
        xlabel = p.xlabel or "run",
        ylabel = p.ylabel or ((p.clock == "real" and "time measured in the real run ("
                               or "simulated memory-management time (") .. unit .. ")"),
      }
    elseif p.kind == "table" and not ctx.table_files[p.table] then
      -- no run wrote the table (an allocator lab with fewer traces): nothing to draw
    elseif p.kind == "table" and p.style == "bars" then
      -- categories down the table's first column, a bar for each y column
      local f, maxy = ctx.table_files[p.table][1], 0
      for _, r in ipairs(f.rows) do
        for _, y in ipairs(p.y) do
          if type(r[y]) == "number" and r[y] > maxy then maxy = r[y] end
        end
      end
      local unit, ydiv = p.unit, 1
      if unit == "bytes" then unit, ydiv = byte_unit(maxy) end
      local titles = {}
      for i, y in ipairs(p.y) do titles[i] = words(y) end
      specs[#specs + 1] = {
        name = p.name, kind = "bars", table = f.file, columns = p.y, column_titles = titles,
        ydiv = ydiv, title = p.title or f.title or p.name, xlabel = p.xlabel or p.x,
        ylabel = with_unit(p.ylabel or words(table.concat(p.y, ", ")), unit),
        logy = p.logy, rotate_xtics = #f.rows > 4,
      }
    elseif p.kind == "table" then
      local lines, maxy = {}, 0
      local files = ctx.table_files[p.table] or {}
      for _, f in ipairs(files) do
        for _, y in ipairs(p.y) do
          local title = (#files > 1 and f.run or "") .. ((#files > 1 and #p.y > 1) and " " or "") ..
                        ((#p.y > 1 or #files == 1) and y or "")
          lines[#lines + 1] = {file = f.file, x = p.x, y = y, title = title:gsub("_", " ")}
          for _, r in ipairs(f.rows) do
            if type(r[y]) == "number" and r[y] > maxy then maxy = r[y] end
          end
        end
      end
      local ydiv = 1
      local unit = p.unit
      if unit == "bytes" then unit, ydiv = byte_unit(maxy) end
      specs[#specs + 1] = {
        name = p.name, kind = p.style == "points" and "points" or "lines", lines = lines,
        ydiv = ydiv, title = p.title or (files[1] and files[1].title) or p.name, xlabel = p.xlabel or p.x,
        ylabel = with_unit(p.ylabel or words(table.concat(p.y, ", ")), unit),
        logx = p.logx, logy = p.logy,
      }
    elseif p.kind == "heatmap" then
      for _, f in ipairs(ctx.map_files[p.map] or {}) do
        local suffix = f.run
        if f.pools > 0 then                 -- no arenas (allocator = "malloc"): nothing to draw
        specs[#specs + 1] = {
          name = p.name .. "-" .. suffix, kind = "heatmap",
          lines = {{file = f.file, x = "pool", y = "arena"}}, z = "fullness",
          title = (p.title or ("Arenas and their pools: " .. p.map)) .. " (" .. f.run .. ")",
          xlabel = p.xlabel or "pool in the arena", ylabel = p.ylabel or "arena (highest address first)",
        }
        end
      end
    elseif p.kind == "bars" then
      local file = "bars-" .. p.name .. ".tsv"
      local maxv = 0
      for _, m in ipairs(p.metrics) do maxv = math.max(maxv, ctx.metric_max[m] or 0) end
      local unit, ydiv = "", 1
      if p.metrics[1]:match("_bytes$") then unit, ydiv = byte_unit(maxv)
      elseif p.metrics[1]:match("_ns$") then unit, ydiv = time_unit(maxv) end
      local titles = {}
      for i, m in ipairs(p.metrics) do titles[i] = words(m) end
      local ymin, ymax
      if p.logy then
        local lo = math.huge
        for _, m in ipairs(p.metrics) do lo = math.min(lo, ctx.metric_min[m] or math.huge) end
        if lo < math.huge then ymin, ymax = lo / ydiv / 2, maxv / ydiv * 2 end
      end
      specs[#specs + 1] = {
        name = p.name, kind = "bars", table = file, columns = p.metrics, column_titles = titles,
        ydiv = ydiv, ymin = ymin, ymax = ymax,
        title = p.title or table.concat(titles, ", "), logy = p.logy,
        xlabel = p.xlabel or "run", ylabel = p.ylabel or (unit ~= "" and unit or "count"),
      }
    end
  end
  -- more than five runs under bars: their names are slanted, not run together
  for _, sp in ipairs(specs) do
    if (sp.kind == "bars" or sp.kind == "stacked") and #names > 5 then sp.rotate_xtics = true end
  end
  return specs
end

------------------------------------------------------------------------
-- The run command
------------------------------------------------------------------------

local function print_help(exp, path)
  say("%s: %s", exp.name, exp.title or exp.name)
  if exp.description then say("\n%s", exp.description) end
  say("\nusage: memsim run %s [--NAME=VALUE ...] [--out DIR] [--format png|svg|pdf|none] [--seed N] [--quiet]", path)
  say("\nexperiment options (a comma list sweeps, e.g. --n=1e3,1e4):")
  local keys = sorted_keys(exp.options)
  if #keys == 0 then say("  (none)") end
  for _, k in ipairs(keys) do
    local o = exp.options[k]
    local kind = o.integer and "INTEGER" or type(o[1]):upper()
    local range = {}
    if o.min then range[#range + 1] = ">= " .. num(o.min) end
    if o.max then range[#range + 1] = "<= " .. num(o.max) end
    if o.choices then range[#range + 1] = "one of " .. table.concat(o.choices, ", ") end
    say("  --%-20s %s (default %s%s)", k .. "=" .. kind, o[2] or "", num(o[1]),
        #range > 0 and ("; " .. table.concat(range, ", ")) or "")
  end
  say("\nruns: %s", table.concat(run_names(exp), ", "))
end

local function print_summary(exp, rows, dir, written, elapsed)
  -- merged from parts (--jobs, memsim merge): the runs' time was the workers'
  local wrote = elapsed and string.format("wrote %d files to %s/ in %.2f s", #written, dir, elapsed)
                or string.format("wrote %d files to %s/ from the runs' parts", #written, dir)
  say("%s: %s", exp.name, exp.title or exp.name)
  if exp.summary == false then        -- the experiment prints its own table (the allocator lab)
    say("%s", wrote)
    return
  end
  say("%-22s %11s %11s %7s %13s %11s %11s %11s", "run", "peak live", "final live", "arenas",
      "gc 0/1/2", "longest gc", "longest", "mm time")
  say("%-22s %11s %11s %7s %13s %11s %11s %11s", "", "", "", "", "", "pause", "cascade", "")
  for _, r in ipairs(rows) do
    local label = r.run .. (r._suffix or "")
    say("%-22s %11s %11s %7s %13s %11s %11s %11s%s", label, human_bytes(r.peak_live_bytes),
        human_bytes(r.final_live_bytes), num(r.arenas_highwater),
        string.format("%d/%d/%d", r.gc0, r.gc1, r.gc2), human_ns(r.gc_pause_max_ns or 0),
        human_ns(r.dealloc_max_ns or 0), human_ns(r.sim_time_ns), r.status == "ok" and "" or "  FAILED")
  end
  say("(times are simulated memory-management time: allocation, frees, refcounts, collections;")
  say(" the interpreter's own work is not modelled)")
  say("%s", wrote)
end

local function plain_script_options(path)
  local given = {}
  for _, pair in ipairs(O.options) do given[#given + 1] = "--" .. pair[1]:sub(1, 64) end
  usage_error("%s is a plain script (it returns no experiment), so it takes no options: %s",
              path, table.concat(given, " "))
end

------------------------------------------------------------------------
-- The report: index.html, self-contained (relative links, no script)
------------------------------------------------------------------------

local function html(text)
  return (tostring(text):gsub("[&<>\"']", {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
                                           ['"'] = "&quot;", ["'"] = "&#39;"}))
end

-- the command that makes these results again
local function command_line(exp)
  if O.script == "memsim:replay.lua" or O.script == "memsim:lab.lua" then   -- built in
    local parts = {O.script == "memsim:lab.lua" and "memsim lab allocator" or "memsim replay"}
    for _, pair in ipairs(O.options) do
      if pair[1] == "trace" or pair[1] == "alloc" then parts[#parts + 1] = pair[2]
      elseif pair[1] == "traces" then
        for t in pair[2]:gmatch("[^,]+") do parts[#parts + 1] = "--trace " .. t end
      elseif pair[1] == "verify" then
        if pair[2] == "1" then parts[#parts + 1] = "--verify" end
      elseif pair[1] == "heap" then
        if pair[2] ~= "64" then parts[#parts + 1] = "--heap " .. pair[2] .. "M" end
      end
    end
    return table.concat(parts, " ")
  end
  local parts = {"memsim run", O.script}
  for _, pair in ipairs(O.options) do parts[#parts + 1] = "--" .. pair[1] .. "=" .. pair[2] end
  if O.seed ~= 1 then parts[#parts + 1] = "--seed " .. O.seed end
  if (O.format or "png") ~= "png" then parts[#parts + 1] = "--format " .. O.format end
  -- (not --out: the same script, options and seed give the same files, this one too)
  return table.concat(parts, " ")
end

local REPORT_STYLE = [[
body { font: 17px/1.5 "DejaVu Sans", sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
code, pre { font: 0.9em "DejaVu Sans Mono", monospace; background: #f4f4f4; padding: 0.1em 0.3em; }
pre { padding: 0.6em; overflow-x: auto; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th:first-child, td:first-child, td.text { text-align: left; }
th { background: #f0f0f0; }
figure { margin: 2em 0; }
figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-size: 0.9em; color: #555; }
.note { color: #555; font-size: 0.9em; }
]]

local markdown_html      -- (the handout section, below)

local function write_report(exp, rows, specs, written, handout)
  local format = O.format or "png"
  local out = {"<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
               "<title>" .. html(exp.title or exp.name) .. "</title>",
               "<style>" .. REPORT_STYLE .. "</style></head><body>",
               "<h1>" .. html(exp.title or exp.name) .. "</h1>",
               "<p class=\"note\">Experiment <code>" .. html(exp.name) .. "</code>, made again by:</p>",
               "<pre>" .. html(command_line(exp)) .. "</pre>"}
  if exp.description then out[#out + 1] = "<p>" .. html(exp.description) .. "</p>" end
  local keys = sorted_keys(exp.options)
  if #keys > 0 then
    local given = {}
    for _, pair in ipairs(O.options) do given[pair[1]] = pair[2] end
    out[#out + 1] = "<h2>Options</h2><table><tr><th>option</th><th>value</th><th>what</th></tr>"
    for _, k in ipairs(keys) do
      local o = exp.options[k]
      out[#out + 1] = string.format("<tr><td>--%s</td><td>%s</td><td class=\"text\">%s</td></tr>", html(k),
                                    html(given[k] or (num(o[1]) .. " (default)")), html(o[2] or ""))
    end
    out[#out + 1] = "</table>"
  end
  if exp.summary == false then
    -- an experiment that prints its own table (the allocator lab): its
    -- recorded figures, not the simulator's memory columns
    local cols = recorded_columns(exp, rows)
    out[#out + 1] = "<h2>Runs</h2><table><tr><th>run</th>"
    for _, c in ipairs(cols) do out[#out + 1] = "<th>" .. html(words(c)) .. "</th>" end
    out[#out + 1] = "</tr>"
    for _, r in ipairs(rows) do
      out[#out + 1] = "<tr><td>" .. html(r.run .. (r._suffix or "")) .. (r.status == "ok" and "" or " (failed)") .. "</td>"
      for _, c in ipairs(cols) do
        out[#out + 1] = "<td>" .. (type(r[c]) == "number" and html(string.format("%.4g", r[c])) or "") .. "</td>"
      end
      out[#out + 1] = "</tr>"
    end
    out[#out + 1] = "</table>"
  else
  out[#out + 1] = "<h2>Runs</h2><table><tr><th>run</th><th>peak live</th><th>final live</th>" ..
                  "<th>arenas</th><th>collections 0/1/2</th><th>longest collection</th>" ..
                  "<th>longest cascade</th><th>memory-management time</th></tr>"
  for _, r in ipairs(rows) do
    out[#out + 1] = string.format("<tr><td>%s%s</td><td>%s</td><td>%s</td><td>%s</td><td>%d/%d/%d</td>" ..
                                  "<td>%s</td><td>%s</td><td>%s</td></tr>", html(r.run .. (r._suffix or "")),
                                  r.status == "ok" and "" or " (failed)", html(human_bytes(r.peak_live_bytes)),
                                  html(human_bytes(r.final_live_bytes)), html(num(r.arenas_highwater)),
                                  r.gc0, r.gc1, r.gc2, html(human_ns(r.gc_pause_max_ns or 0)),
                                  html(human_ns(r.dealloc_max_ns or 0)), html(human_ns(r.sim_time_ns)))
  end
  out[#out + 1] = "</table><p class=\"note\">Times are simulated memory-management time " ..
                  "(allocation, frees, reference counts, collections); the interpreter's own work " ..
                  "is not modelled.</p>"
  end
  if handout then
    local images = {}
    for _, spec in ipairs(specs) do images[spec.name .. "." .. format] = true end
    out[#out + 1] = "<h2>Handout</h2><div class=\"handout\">"
    out[#out + 1] = markdown_html(handout, images)
    out[#out + 1] = "</div><p class=\"note\">The handout with this run's figures: " ..
                    "<a href=\"handout.md\">handout.md</a>.</p>"
  end
  if format ~= "none" and #specs > 0 then
    out[#out + 1] = "<h2>Plots</h2>"
    for _, spec in ipairs(specs) do
      local image = spec.name .. "." .. format
      local picture = format == "pdf"
        and string.format("<a href=\"%s\">%s (PDF)</a>", html(image), html(image))
        or string.format("<img src=\"%s\" alt=\"%s\">", html(image), html(spec.title or spec.name))
      out[#out + 1] = string.format("<figure>%s<figcaption>%s: <a href=\"%s.gp\">gnuplot script</a>" ..
                                    "</figcaption></figure>", picture, html(spec.title or spec.name),
                                    html(spec.name))
    end
  end
  out[#out + 1] = "<h2>Data</h2><ul>"
  for _, f in ipairs(written) do
    out[#out + 1] = string.format("<li><a href=\"%s\">%s</a></li>", html(f), html(f))
  end
  out[#out + 1] = "</ul><p class=\"note\">Written by memsim " .. html(memsim.version) ..
                  ". Every figure here is the simulator's, for the seed and options above.</p>"
  out[#out + 1] = "</body></html>"
  write("index.html", table.concat(out, "\n") .. "\n", written)
end

------------------------------------------------------------------------
-- Handouts: templates whose figures the run fills in
------------------------------------------------------------------------
--
-- An experiment's handout (NAME.md beside the script) and its answers
-- (answers/NAME.md) state no figure of their own: each is a placeholder
-- the run fills in, so what a student reads is what their run printed.
--
--   {{list.peak_live_bytes | bytes}}      a field of run 'list' (first point)
--   {{list[n=1000000].peak_live_bytes}}   ... at a point of a sweep
--   {{option.n | int}}                    the value an option had
--   {{a.allocs - b.allocs | int}}         + - * / and parentheses
--   {{list.peak.objects_by_type.int}}     a snapshot's stats ('final': the end);
--                                          lists count from 0, as size classes do
--   {{a.peak.breakdown.block_rounding}}   a breakdown column at a snapshot
--                                          ('overhead': all but requested)
--
-- Formats: int (12,345), bytes (3.8 MiB), KiB, MiB, time (63.2 µs), us,
-- ms, pct (a ratio as 12.3%), x (a ratio as 1.25x), or a printf format of
-- one number (%.1f, %d, %.3g).  A placeholder the run cannot fill is left
-- as [not measured: TEXT] and reported, never guessed.  The grammar is
-- parsed here, not handed to load(): a handout is data, not code.

local FORMATS = {
  int = function(v)
    local s = string.format("%d", math.floor(v + 0.5))
    local sign, digits = s:match("^(-?)(%d+)$")
    return sign .. digits:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
  end,
  bytes = function(v) return human_bytes(v) end,
  KiB = function(v) return string.format("%.1f KiB", v / 1024) end,
  MiB = function(v) return string.format("%.1f MiB", v / 1024 ^ 2) end,
  time = function(v) return human_ns(v) end,
  us = function(v) return string.format("%.1f µs", v / 1e3) end,
  ms = function(v) return string.format("%.1f ms", v / 1e6) end,
  pct = function(v) return string.format("%.1f%%", v * 100) end,
  x = function(v) return string.format("%.2fx", v) end,
}

-- the rows a template may name: every run at every point, side sweeps too
local function figure_lookup(rows, first_point)
  local function find(run, where)
    for _, r in ipairs(rows) do
      if r.run == run and r.status == "ok" then
        local match = true
        for k, v in pairs(where or first_point) do
          if r[k] ~= v then match = false end
        end
        if match then return r end
      end
    end
  end
  return find
end

-- evaluate one placeholder's expression; nil and a reason when it cannot
local function eval_figure(text, find, first_point)
  local pos, src = 1, text
  local function skip() pos = src:find("%S", pos) or #src + 1 end
  local function take(p)
    skip()
    local s, e, cap = src:find("^(" .. p .. ")", pos)
    if not s then return nil end
    pos = e + 1
    return cap
  end
  local expr
  local function ref()
    local name = take("[%a_][%w_]*")
    if not name then
      return nil, "a number, a name or ( expected " ..
        (pos > #src and "at the end" or ("at '" .. src:sub(pos, pos + 20) .. "'"))
    end
    if name == "option" then
      if not take("%.") then return nil, "option.NAME expected" end
      local opt = take("[%a_][%w_]*")
      local v = opt and first_point[opt]
      if v == nil then return nil, "no option '" .. tostring(opt) .. "'" end
      return v
    end
    local where
    if take("%[") then
      where = {}
      repeat
        local k = take("[%a_][%w_]*")
        if not k or not take("=") then return nil, "[option=number] expected" end
        local v = tonumber(take("[%d%.eE+%-]+") or "")
        if not v then return nil, "[option=number] expected" end
        where[k] = v
      until not take(",")
      if not take("%]") then return nil, "] expected" end
      for k, v in pairs(first_point) do if where[k] == nil then where[k] = v end end
    end
    if not take("%.") then return nil, "RUN.FIELD expected after '" .. name .. "'" end
    local field = take("[%a_][%w_%.]*")
    if not field then return nil, "a field name expected after '" .. name .. ".'" end
    local row = find(name, where)
    if not row then return nil, "no run '" .. name .. "' at that point" end
    local v = row[field]
    local snap, path = field:match("^([%a_][%w_]*)%.(.+)$")
    if snap then                -- a snapshot's stats (or 'final'), down a path
      local sources = FIGURE_SOURCES[row]
      v = sources and (snap == "final" and sources.final or sources.snapshots[snap])
      local column = path:match("^breakdown%.([%a_]+)$")
      if column and type(v) == "table" then    -- the breakdown plot's columns, and their sum
        local b = breakdown_of(v)
        if column == "overhead" then
          local sum = 0
          for i = 2, #BREAKDOWN do sum = sum + b[BREAKDOWN[i]] end
          b.overhead = sum
        end
        v = {breakdown = {[column] = b[column] or b[(column:gsub("_", " "))]}}
      end
      for part in path:gmatch("[^.]+") do
        if type(v) ~= "table" then v = nil; break end
        local k = tonumber(part)
        v = k and v[k + 1] or v[part]   -- list indices count from 0, as size classes do
      end
      if v == nil and path:match("^objects_by_type%.[%a_]+$") and sources
         and (snap == "final" or sources.snapshots[snap]) then
        v = 0                 -- a type the stats leave out has no live objects
      end
    end
    if type(v) ~= "number" then return nil, "run '" .. name .. "' has no figure '" .. field .. "'" end
    return v
  end
  local function factor()
    if take("%-") then
      local v, why = factor()
      return v and -v, why
    end
    if take("%(") then
      local v, why = expr()
      if not v then return nil, why end
      if not take("%)") then return nil, ") expected" end
      return v
    end
    local n = take("%d[%d_]*%.?%d*")
    if n then return tonumber((n:gsub("_", ""))) end
    return ref()
  end
  -- one precedence level: OPERAND (OP OPERAND)*, left to right
  local APPLY = {["+"] = function(x, y) return x + y end, ["-"] = function(x, y) return x - y end,
                 ["*"] = function(x, y) return x * y end, ["/"] = function(x, y) return x / y end}
  local function level(operand, ops)
    return function()
      local v, why = operand()
      while v do
        local op = take(ops)
        if not op then break end
        local w, why2 = operand()
        if not w then return nil, why2 end
        if op == "/" and w == 0 then return nil, "division by zero" end
        v = APPLY[op](v, w)
      end
      return v, why
    end
  end
  expr = level(level(factor, "[%*/]"), "[%+%-]")
  local v, why = expr()
  if v and pos <= #src then skip() end
  if v and pos <= #src then return nil, "unexpected '" .. src:sub(pos, pos + 20) .. "'" end
  return v, why
end

local function format_figure(v, fmt)
  if fmt == nil or fmt == "" then return num(v) end
  local f = FORMATS[fmt]
  if f then return f(v) end
  if fmt:match("^%%[%d%.]*[dfgeix]$") and #fmt <= 8 then
    if fmt:sub(-1) == "d" or fmt:sub(-1) == "i" or fmt:sub(-1) == "x" then v = math.floor(v + 0.5) end
    return string.format(fmt, v)
  end
  return nil
end

-- fill a template; returns the text and a list of problems (file:line: why)
local function fill_template(text, file, rows, first_point)
  local find = figure_lookup(rows, first_point)
  local problems = {}
  local out, line = {}, 1
  local pos, count = 1, 0
  while true do
    local s, e = text:find("{{", pos, true)
    if not s then out[#out + 1] = text:sub(pos); break end
    count = count + 1
    if count > 10000 then                 -- a handout, not a data file: bounded work
      problems[#problems + 1] = string.format("%s:%d: more than 10,000 placeholders: the rest "
                                              .. "are left as they are", file, line)
      out[#out + 1] = text:sub(pos)
      break
    end
    out[#out + 1] = text:sub(pos, s - 1)
    local _, nl = text:sub(pos, s - 1):gsub("\n", "")
    line = line + nl
    local close = text:find("}}", e + 1, true)
    if not close or close - e > 300 then
      problems[#problems + 1] = string.format("%s:%d: '{{' without '}}'", file, line)
      out[#out + 1] = text:sub(s)
      break
    end
    local inner = text:sub(e + 1, close - 1)
    local expr, fmt = inner:match("^(.-)|%s*([%w%%%.]+)%s*$")
    expr = expr or inner
    local v, why = eval_figure(expr, find, first_point)
    local shown = v and format_figure(v, fmt)
    if v and not shown then why = "unknown format '" .. fmt .. "'" end
    if shown then
      out[#out + 1] = shown
    else
      problems[#problems + 1] = string.format("%s:%d: {{%s}}: %s", file, line, inner, why)
      out[#out + 1] = "[not measured: " .. inner:gsub("^%s+", ""):gsub("%s+$", "") .. "]"
    end
    local _, nl2 = inner:gsub("\n", "")
    line = line + nl2
    pos = close + 2
  end
  return table.concat(out), problems
end

-- images of the reference plots become the run's own, where it drew them
local function own_images(text, format, drawn)
  local have = {}
  for _, spec in ipairs(drawn) do have[spec.name] = true end
  return (text:gsub("(!%[[^%]\n]*%]%()([^)\n]*)(%))", function(pre, target, post)
    local name = target:match("([%w_%-]+)%.png$")
    if name and have[name] and format ~= "none" and format ~= "pdf" then
      return pre .. name .. "." .. format .. post
    end
    -- a picture this run did not draw: its name, not a link that leads nowhere
    return "*(" .. pre:match("^!%[(.*)%]%($") .. ": not drawn by this run)*"
  end))
end

-- Filled figures are longer or shorter than their placeholders: wrap the
-- prose again at WIDTH columns (a list item's lines under its text; code,
-- headings and images as they are), so handout.md reads well as text.
local UNITS = {ns = true, ["µs"] = true, ms = true, s = true, B = true, KiB = true,
               MiB = true, GiB = true}
local function rewrap(text, width)
  local out, cur, indent = {}, nil, ""
  local prev_blank, in_code = true, false
  local function emit()
    if not cur then return end
    local line, empty = cur.lead, true
    local words = {}
    for word in cur.text:gmatch("%S+") do    -- a code span, or a figure and its unit, is one word
      local last = words[#words]
      local _, ticks = (last or ""):gsub("`", "")
      local unit = UNITS[(word:gsub("[.,;:)]+$", ""))]
      if last and (ticks % 2 == 1 or (unit and last:match("%d$"))) then
        words[#words] = last .. " " .. word
      else
        words[#words + 1] = word
      end
    end
    for _, word in ipairs(words) do
      if empty then line = line .. word
      elseif #line + 1 + #word > width then out[#out + 1] = line; line = indent .. word
      else line = line .. " " .. word end
      empty = false
    end
    out[#out + 1] = line
    cur = nil
  end
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    local marker = line:match("^(%s*%d+%.%s+)") or line:match("^(%s*[-*]%s+)")
    if line:match("^%s*$") then
      emit(); out[#out + 1] = line; prev_blank = true
      goto next
    end
    if (in_code or prev_blank) and line:match("^    ") and not marker and not cur then
      in_code = true; out[#out + 1] = line
      goto next
    end
    in_code = false
    if line:match("^#") or line:match("^%s*!%[") then
      emit(); out[#out + 1] = line
    elseif marker then
      emit()
      cur = {lead = marker, text = line:sub(#marker + 1)}
      indent = string.rep(" ", #marker)
    elseif cur then
      cur.text = cur.text .. " " .. line:gsub("^%s+", "")
    else
      cur = {lead = "", text = line}
      indent = ""
    end
    prev_blank = false
    ::next::
  end
  emit()
  while out[#out] == "" do out[#out] = nil end
  return table.concat(out, "\n") .. "\n"
end

-- the run's handout.md (and with --answers, answers.md), filled in
local function fill_handouts(exp, rows, first_point, drawn, written)
  local dir = script_dir(O.script)
  local filled
  local function one(template, outname)
    local text = priv.read(template)
    if not text then return nil end
    local body, problems = fill_template(text, template, rows, first_point)
    for _, p in ipairs(problems) do warn("%s", p) end
    body = own_images(rewrap(body, 76), O.format or "png", drawn)
    write(outname, body, written)
    return body
  end
  filled = one(dir .. "/" .. exp.name .. ".md", "handout.md")
  if O.answers then
    if not one(dir .. "/answers/" .. exp.name .. ".md", "answers.md") then
      warn("--answers: no %s/answers/%s.md to fill", dir, exp.name)
    end
  end
  return filled
end

-- The handout in the report: the little Markdown handouts use (headings,
-- paragraphs, indented code, numbered and bulleted lists, `code`, **bold**, *emphasis*,
-- images of this run's plots), escaped, with no link off the folder.
local function md_inline(text, images)
  local parts = {}
  local pos = 1
  while pos <= #text do
    local s, e, code = text:find("`([^`]*)`", pos)
    local chunk = text:sub(pos, (s or #text + 1) - 1)
    chunk = html(chunk)
    chunk = chunk:gsub("!%[([^%]]*)%]%(([^)]*)%)", function(alt, target)
      if images[target] then
        return string.format("<img src=\"%s\" alt=\"%s\">", target, alt)
      end
      return "(" .. alt .. ")"
    end)
    chunk = chunk:gsub("%[([^%]]*)%]%(([^)]*)%)", "%1 (<code>%2</code>)")
    chunk = chunk:gsub("%*%*(.-)%*%*", "<strong>%1</strong>")
    chunk = chunk:gsub("%f[%w%*]%*([^%*\n]+)%*%f[^%w%*]", "<em>%1</em>")
    parts[#parts + 1] = chunk
    if not s then break end
    parts[#parts + 1] = "<code>" .. html(code) .. "</code>"
    pos = e + 1
  end
  return table.concat(parts)
end

function markdown_html(text, images)
  -- lists: numbered or bulleted, and bullets indented inside a numbered item
  local out, para, code = {}, {}, nil
  local open = {}           -- the open lists, outermost first: "ol" or "ul"
  local function flush()
    if #para > 0 then
      local t = md_inline(table.concat(para, " "), images)
      out[#out + 1] = #open > 0 and t or "<p>" .. t .. "</p>"
      para = {}
    end
  end
  local function close_to(depth)     -- close lists (and their items) down to DEPTH
    flush()
    while #open > depth do
      out[#out + 1] = "</li></" .. open[#open] .. ">"
      open[#open] = nil
    end
  end
  local function item(kind, depth, first)
    close_to(depth)
    if #open == depth and open[depth] ~= kind and depth > 0 then close_to(depth - 1) end
    if #open < depth then
      out[#out + 1] = "<" .. kind .. "><li>"
      open[#open + 1] = kind
    else
      out[#out + 1] = "</li><li>"
    end
    para[1] = first
  end
  local function end_code()
    if not code then return end
    while #code > 0 and code[#code] == "" do code[#code] = nil end
    out[#out + 1] = "<pre>" .. html(table.concat(code, "\n")) .. "</pre>"
    code = nil
  end
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    if code and (line:match("^    ") or line == "") then
      code[#code + 1] = line:sub(5)
    else
      end_code()
      local level, head = line:match("^(#+)%s+(.*)$")
      local numbered = line:match("^%d+%.%s+(.*)$")
      local indent, bullet = line:match("^(%s*)[-*]%s+(.*)$")
      if level then
        close_to(0)
        local h = math.min(#level + 1, 6)     -- the report's own title is h1
        out[#out + 1] = string.format("<h%d>%s</h%d>", h, md_inline(head, images), h)
      elseif numbered then
        item("ol", 1, numbered)
      elseif bullet and #indent > 0 and open[1] == "ol" then
        item("ul", 2, bullet)                 -- a bullet inside a numbered item
      elseif bullet and #indent == 0 then
        close_to(0)
        item("ul", 1, bullet)
      elseif line:match("^%s*$") then
        flush()
      elseif line:match("^    ") and #para == 0 and #open == 0 then
        code = {line:sub(5)}
      else
        if #open > 0 and #para == 0 and not line:match("^%s") then close_to(0) end
        para[#para + 1] = line:gsub("^%s+", "")
      end
    end
  end
  end_code()
  close_to(0)
  return table.concat(out, "\n")
end

------------------------------------------------------------------------
-- Units of work, and partial results (--jobs, --point, memsim merge)
------------------------------------------------------------------------

-- Every run a sweep asks for, in the order one process runs them: the
-- points' runs, then the side sweeps' (a side run the points already made
-- -- one point, the same value -- is that run, not another).  POINTS are
-- what --points lists and --point K runs: each sweep point, then each
-- side-sweep value.
local function plan_units(points, swept, names, side)
  local units, plist = {}, {}
  for pi, point in ipairs(points) do
    local pt = {units = {}, label = point_suffix(point, swept, pi)}
    for _, rn in ipairs(names) do
      units[#units + 1] = {point = point, rn = rn, suffix = point_suffix(point, swept, pi)}
      pt.units[#pt.units + 1] = #units
    end
    pt.label = pt.label:gsub("^%-", "")
    if pt.label == "" then pt.label = "(the default options)" end
    plist[#plist + 1] = pt
  end
  for _, p in ipairs(side) do
    for _, v in ipairs(p.values) do
      local pt = {units = {}, label = string.format("plot %s: %s=%s", p.name, p.option, num(v))}
      for _, rn in ipairs(p.runs or names) do
        local point = {}
        for k, x in pairs(points[1]) do point[k] = x end
        point[p.option] = v
        local u = {point = point, rn = rn, side = p, value = v}
        if #points == 1 and points[1][p.option] == v then
          for ui = 1, #names do
            if units[ui].rn == rn then u.reuse = ui end
          end
        end
        units[#units + 1] = u
        if not u.reuse then pt.units[#pt.units + 1] = #units end
      end
      plist[#plist + 1] = pt
    end
  end
  return units, plist
end

-- The text of a part: tagged values, numbers exact (a float as %a, so
-- it comes back the same float), strings by length.
--   T F | i<integer>; | f<hex float>; | s<length>:<bytes> | { key value ... }
local function pack(v, out, depth)
  local t = type(v)
  if depth > 64 then error("runner: a result nests more than 64 tables deep") end
  if t == "table" then
    out[#out + 1] = "{"
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b)
      if type(a) == type(b) then return a < b end
      return type(a) == "number"
    end)
    for _, k in ipairs(keys) do
      if type(k) == "string" or math.type(k) == "integer" then
        pack(k, out, depth + 1)
        pack(v[k], out, depth + 1)
      end
    end
    out[#out + 1] = "}"
  elseif t == "string" then
    out[#out + 1] = "s" .. #v .. ":" .. v
  elseif math.type(v) == "integer" then
    out[#out + 1] = "i" .. string.format("%d", v) .. ";"
  elseif t == "number" then
    out[#out + 1] = "f" .. (v ~= v and "nan" or v == math.huge and "inf" or v == -math.huge and "-inf"
                            or string.format("%a", v)) .. ";"
  elseif t == "boolean" then
    out[#out + 1] = v and "T" or "F"
  else
    out[#out + 1] = "F"                   -- nothing else is in a result
  end
end

local PartError = {}

-- the value at POS of S, and the position after it; a PartError for anything else
local function unpack_value(s, pos, depth, where)
  local function bad(what) error(setmetatable({msg = string.format("%s: byte %d: %s", where, pos, what)}, PartError), 0) end
  if depth > 66 then bad("tables nested too deep") end
  local c = s:sub(pos, pos)
  if c == "T" then return true, pos + 1 end
  if c == "F" then return false, pos + 1 end
  if c == "i" or c == "f" then
    local e = s:find(";", pos + 1, true)
    if not e or e - pos > 64 then bad("a number without its end") end
    local text = s:sub(pos + 1, e - 1)
    local v
    if c == "i" then
      v = text:match("^%-?%d+$") and math.tointeger(tonumber(text))
    elseif text == "nan" then v = 0 / 0
    elseif text == "inf" then v = math.huge
    elseif text == "-inf" then v = -math.huge
    else
      v = text:match("^%-?0x[%x%.]+p[%+%-]%d+$") and tonumber(text)
      if v then v = v + 0.0 end
    end
    if v == nil then bad("not a number: '" .. text:sub(1, 30) .. "'") end
    return v, e + 1
  end
  if c == "s" then
    local colon = s:find(":", pos + 1, true)
    local len = colon and colon - pos <= 12 and tonumber(s:sub(pos + 1, colon - 1):match("^%d+$") or "")
    if not len or colon + len > #s then bad("a string without its length or its bytes") end
    return s:sub(colon + 1, colon + len), colon + len + 1
  end
  if c == "{" then
    local tab = {}
    pos = pos + 1
    while s:sub(pos, pos) ~= "}" do
      if pos > #s then bad("a table without its end") end
      local k, v
      k, pos = unpack_value(s, pos, depth + 1, where)
      if type(k) ~= "string" and math.type(k) ~= "integer" then bad("a key that is not a name or a whole number") end
      v, pos = unpack_value(s, pos, depth + 1, where)
      tab[k] = v
    end
    return tab, pos + 1
  end
  bad(c == "" and "the text ends early" or "unexpected '" .. c:gsub("%c", "?") .. "'")
end

-- FNV-1a of a script's text: a part is merged only with the script it was made by
local function text_hash(text)
  local h = 2166136261
  for i = 1, #text do h = ((h ~ text:byte(i)) * 16777619) & 0xffffffff end
  return string.format("%08x", h)
end

-- what a part must agree on with the others and with this run
local function part_header(exp, nunits)
  local opts = {}
  for i, o in ipairs(O.options) do opts[i] = {o[1], o[2]} end
  return {format = 1, memsim = memsim.version, script = O.script, script_hash = text_hash(read_script(O.script)),
          experiment = exp.name, options = opts, seed = O.seed, profile = O.profile or "",
          allocator = O.allocator or "", units = nunits}
end

-- a run's result, as a part keeps it (the row's figures, series, tables, maps, snapshots)
local function result_to_part(r)
  return {row = r.row, stats = r.stats, snapshots = r.snapshots, series = r.series, series_max = r.series_max,
          series_labels = r.series_labels, tables = r.tables, maps = r.maps,
          error = r.error and {msg = r.error.msg, trace = r.error.trace} or nil}
end

local function write_part(tag, exp, nunits, results)
  local body = {header = part_header(exp, nunits), results = results}
  local out = {}
  pack(body, out, 0)
  priv.write("part-" .. tag .. ".memsim-part", table.concat(out))
end

-- run UNITS (indices), write them as one part; 1 when a run failed in a way that stops everything
local function run_part(exp, units, which, tag)
  local results = {}
  local progress = progress_new(#which, O.quiet or O.worker ~= nil)
  for _, ui in ipairs(which) do
    local u = units[ui]
    progress:step(u.rn .. (u.suffix or string.format(" %s=%s", u.side.option, num(u.value))))
    local r = run_one(exp, u.rn, u.point, O.seed)
    if r.error and (priv.memory_error() or exp.on_failure == "stop") then
      progress:finish()
      priv.stderr(r.error.msg .. "\nmemsim: no results were written\n")
      return 1
    end
    results[ui] = result_to_part(r)
  end
  progress:finish()
  write_part(tag, exp, #units, results)
  return 0
end

-- the results of every unit, from the parts in DIRS; the header of the first
local function read_parts(dirs)
  local loaded, header, from = {}, nil, {}
  for _, dir in ipairs(dirs) do
    local entries, err = priv.dir(dir)
    if not entries then usage_error("merge: %s", err) end
    local found = 0
    for _, name in ipairs(entries) do
      if name:match("^part%-[%w%-]+%.memsim%-part$") then
        local path = dir .. "/" .. name
        local text, why = priv.read(path, true)
        if not text then usage_error("merge: %s: %s", path, why) end
        local ok, body = pcall(unpack_value, text, 1, 0, path)
        if not ok then
          usage_error("merge: %s is not a part memsim wrote (%s)", path,
                      type(body) == "table" and body.msg or tostring(body))
        end
        local h = type(body) == "table" and body.header
        if type(h) ~= "table" or h.format ~= 1 or type(body.results) ~= "table" then
          usage_error("merge: %s is not a part memsim wrote", path)
        end
        if h.memsim ~= memsim.version then
          usage_error("merge: %s was written by memsim %s, this is %s", path, tostring(h.memsim), memsim.version)
        end
        if header == nil then
          header = h
        else
          for _, k in ipairs({"script", "script_hash", "experiment", "seed", "profile", "allocator", "units"}) do
            if h[k] ~= header[k] then
              usage_error("merge: %s is from another run (its %s is %s, not %s)", path, k,
                          tostring(h[k]):sub(1, 80), tostring(header[k]):sub(1, 80))
            end
          end
          local a, b = {}, {}
          for _, o in ipairs(h.options or {}) do a[#a + 1] = tostring(o[1]) .. "=" .. tostring(o[2]) end
          for _, o in ipairs(header.options or {}) do b[#b + 1] = tostring(o[1]) .. "=" .. tostring(o[2]) end
          if table.concat(a, " ") ~= table.concat(b, " ") then
            usage_error("merge: %s is from a run with other options (%s, not %s)", path, table.concat(a, " "),
                        table.concat(b, " "))
          end
        end
        for ui, r in pairs(body.results) do
          if math.type(ui) ~= "integer" or ui < 1 or ui > header.units or type(r) ~= "table" or type(r.row) ~= "table" then
            usage_error("merge: %s holds a result that is not one of the run's", path)
          end
          if loaded[ui] then usage_error("merge: run %d is in both %s and %s", ui, from[ui], path) end
          local function is_list_of(x, kind)
            if type(x) ~= "table" then return false end
            for _, v in ipairs(x) do if type(v) ~= kind then return false end end
            return true
          end
          local okr = type(r.series) == "string" and type(r.stats) == "table" and
                      (r.tables == nil or type(r.tables) == "table") and (r.maps == nil or type(r.maps) == "table")
          for _, tb in pairs(r.tables or {}) do
            okr = okr and type(tb) == "table" and is_list_of(tb.columns, "string") and is_list_of(tb.rows, "table")
          end
          for _, mp in pairs(r.maps or {}) do okr = okr and type(mp) == "string" end
          if r.error ~= nil then okr = okr and type(r.error) == "table" and type(r.error.msg) == "string" end
          if not okr then usage_error("merge: %s holds a result memsim did not write", path) end
          loaded[ui], from[ui] = r, path
        end
        found = found + 1
      end
    end
    if found == 0 then usage_error("merge: %s holds no part (memsim run --point K writes one)", dir) end
  end
  return loaded, header
end


local function cmd_run()
  local loaded, header
  if O.merge then                          -- memsim merge DIR..., or the end of --jobs
    loaded, header = read_parts(O.merge)
    O.script, O.seed = header.script, header.seed
    O.profile = header.profile ~= "" and header.profile or nil
    O.allocator = header.allocator ~= "" and header.allocator or nil
    O.options = {}
    for i, o in ipairs(header.options or {}) do O.options[i] = {tostring(o[1]), tostring(o[2])} end
    local text = read_script(O.script)
    if text_hash(text) ~= header.script_hash then
      usage_error("merge: %s has changed since its parts were written", O.script)
    end
  end
  local path = O.script
  local env = make_env(path, O.sandbox, O.workdir)
  local chunk = load_script(path, env)
  local plain = not read_script(path):find("experiment", 1, true)
  if plain and O.help then                 -- said without running it
    say("%s is a plain script: `memsim run %s` runs it as it is; it takes no options.", path, path)
    return 0
  end
  if plain and #O.options > 0 then plain_script_options(path) end   -- known before it runs
  math.randomseed(O.seed)
  local ok, res = xpcall(chunk, traceback)
  if not ok then
    res = as_error(res)
    if getmetatable(res) == UsageError then error(res, 0) end
    priv.stderr(res.msg .. "\n")
    local tr = script_trace(res.trace or "")
    if tr ~= "" then priv.stderr(tr .. "\n") end
    return 1
  end
  local exp = experiments[res]
  if exp == nil then
    if O.help then say("%s is a plain script: it runs as it is and takes no options.", path) end
    if #O.options > 0 then plain_script_options(path) end
    priv.record("S")
    return 0
  end
  if O.help then print_help(exp, path); return 0 end
  for _, f in ipairs({"profile", "allocator"}) do       -- --profile, --allocator: for every run
    local known = f == "profile" and memsim.profiles or {"pymalloc", "malloc"}
    local found = O[f] == nil
    for _, p in ipairs(known) do found = found or p == O[f] end
    if not found then
      usage_error("--%s must be one of %s, not '%s'", f, table.concat(known, ", "), O[f]:sub(1, 60))
    end
  end
  local points, swept = sweep_points(exp, O.options)
  local names = run_names(exp)
  local total = #points * #names
  -- side sweeps asked for by sweep plots when the option is not swept
  local side = {}
  for _, p in ipairs(exp.plots) do
    if p.kind == "sweep" then
      local already = false
      for _, s in ipairs(swept) do already = already or s == p.option end
      if not already and p.values then
        side[#side + 1] = p
        total = total + #p.values * #(p.runs or names)
      end
    end
  end
  local units, plist = plan_units(points, swept, names, side)
  if O.list_points then                    -- --points
    for k, pt in ipairs(plist) do
      local runs = {}
      for _, ui in ipairs(pt.units) do runs[#runs + 1] = units[ui].rn end
      say("%4d  %s  (%s)", k, pt.label, #runs > 0 and table.concat(runs, ", ") or "made by the points above")
    end
    return 0
  end
  local parallel = exp.parallel ~= false
  if (O.point or O.worker) and not parallel then
    usage_error("%s keeps state from run to run (parallel = false): it runs whole, not by points", path)
  end
  if O.point then                          -- --point K: its runs, as a part
    if O.point > #plist then usage_error("--point %d: the sweep has %d point(s) (--points lists them)", O.point, #plist) end
    priv.record("N", exp.name .. "-point-" .. O.point)
    local rc = run_part(exp, units, plist[O.point].units, "point-" .. O.point)
    if rc == 0 then
      priv.record("D")
      say("point %d of %d (%s): %d run(s), merge the points' folders with memsim merge", O.point, #plist,
          plist[O.point].label, #plist[O.point].units)
    end
    return rc
  end
  local runnable = {}
  for ui, u in ipairs(units) do
    if not u.reuse then runnable[#runnable + 1] = ui end
  end
  if O.worker then                         -- one of --jobs' processes: every n-th run
    local which = {}
    for i, ui in ipairs(runnable) do
      if (i - 1) % O.worker[2] == O.worker[1] then which[#which + 1] = ui end
    end
    return run_part(exp, units, which, "worker-" .. O.worker[1])
  end
  if not loaded and parallel and (O.jobs or 1) > 1 and #runnable > 1 then
    priv.record("W", tostring(math.min(O.jobs, #runnable)))   -- the supervisor starts the workers
    return 3
  end
  if loaded then
    if header.units ~= #units then usage_error("merge: the parts are of %d runs, the script now makes %d", header.units, #units) end
    for k, pt in ipairs(plist) do
      for _, ui in ipairs(pt.units) do
        if not loaded[ui] then
          usage_error("merge: point %d (%s) is missing: memsim run %s --point %d writes it", k,
                      pt.label, path, k)
        end
      end
    end
  end
  priv.record("N", exp.name)
  if total > 200 and not loaded then
    warn("this asks for %d runs (%d points x %d runs): it may take a long time", total, #points, #names)
  end
  local outdir = O.out or ("results/" .. exp.name)   -- as people will see it
  -- a unit's result: made now, or read from a part
  local function result_for(ui)
    local u = units[ui]
    if not loaded then return run_one(exp, u.rn, u.point, O.seed) end
    local r = loaded[ui]
    FIGURE_SOURCES[r.row] = {snapshots = r.snapshots or {}, final = r.stats}
    r.snapshots, r.tables, r.maps = r.snapshots or {}, r.tables or {}, r.maps or {}
    return r
  end
  local unit = 0

  local t0 = priv.wallclock()
  local progress = progress_new(total, O.quiet)
  local rows, written, failures = {}, {}, 0
  local ctx = {series_files = {}, sweep_files = {}, breakdown_max = 0, latency_max = {}, latency_min = {},
               metric_max = {}, metric_min = {}, table_files = {}, map_files = {}}
  local breakdown_rows, latency_rows = {}, {alloc = {}, gc = {}, dealloc = {}}
  for pi, point in ipairs(points) do
    for _, rn in ipairs(names) do
      local suffix = point_suffix(point, swept, pi)
      progress:step(rn .. suffix)
      unit = unit + 1
      local r = result_for(unit)
      r.row._suffix = suffix
      rows[#rows + 1] = r.row
      if r.error and (priv.memory_error() or exp.on_failure == "stop") then   -- no going on
        progress:finish()
        priv.stderr(r.error.msg .. "\nmemsim: no results were written\n")
        return 1
      end
      if r.error then
        failures = failures + 1
        progress:finish()
        warn("run '%s%s' failed: %s", rn, suffix, r.error.msg)
        local tr = script_trace(r.error.trace or "")
        if tr ~= "" then priv.stderr(tr .. "\n") end
      else
        local file = rn .. suffix .. ".tsv"
        write(file, r.series, written)
        for _, tname in ipairs(sorted_keys(r.tables)) do   -- in name order: a part's tables come back unordered
          local t = r.tables[tname]
          local tfile = tname .. "-" .. rn .. suffix .. ".tsv"
          write(tfile, tsv(t.rows, t.columns), written)
          ctx.table_files[tname] = ctx.table_files[tname] or {}
          table.insert(ctx.table_files[tname], {file = tfile, run = rn .. suffix, rows = t.rows,
                                                title = t.title})
        end
        for _, mname in ipairs(sorted_keys(r.maps)) do
          local text = r.maps[mname]
          local mfile = "map-" .. mname .. "-" .. rn .. suffix .. ".tsv"
          write(mfile, text, written)
          ctx.map_files[mname] = ctx.map_files[mname] or {}
          local _, lines = text:gsub("\n", "")
          table.insert(ctx.map_files[mname], {file = mfile, run = rn .. suffix, pools = lines - 1})
        end
        ctx.series_files[rn] = ctx.series_files[rn] or {}
        table.insert(ctx.series_files[rn], {file = file, max = r.series_max, suffix = suffix,
                                             labels = r.series_labels})
        local at
        for _, p in ipairs(exp.plots) do
          if p.kind == "breakdown" and p.at then at = p.at end
        end
        local snaps = {}
        if at then
          for _, a in ipairs(at) do
            local snap = a == "end" and r.stats or r.snapshots[a]
            if snap then snaps[#snaps + 1] = {snap, string.format("%s%s (%s)", rn, suffix, a)} end
          end
        else
          snaps[1] = {r.snapshots.peak or r.stats, rn .. suffix}
        end
        for _, sn in ipairs(snaps) do
          local b = breakdown_of(sn[1])
          b.run = sn[2]
          breakdown_rows[#breakdown_rows + 1] = b
          local sum = 0
          for _, k in ipairs(BREAKDOWN) do sum = sum + b[k] end
          ctx.breakdown_max = math.max(ctx.breakdown_max, sum)
        end
        for which, rowsw in pairs(latency_rows) do
          local h = r.stats.latency[which]
          rowsw[#rowsw + 1] = {run = rn .. suffix, p50 = h.p50, p90 = h.p90, p99 = h.p99,
                               ["p99.9"] = h.p999, max = h.max}
          ctx.latency_max[which] = math.max(ctx.latency_max[which] or 0, h.max)
          for _, v in ipairs({h.p50, h.p90, h.p99, h.p999, h.max}) do
            if v > 0 and v < (ctx.latency_min[which] or math.huge) then ctx.latency_min[which] = v end
          end
        end
        for k, v in pairs(r.row) do
          if type(v) == "number" then
            ctx.metric_max[k] = math.max(ctx.metric_max[k] or 0, v)
            if v > 0 then ctx.metric_min[k] = math.min(ctx.metric_min[k] or math.huge, v) end
          end
        end
      end
    end
  end
  -- side sweeps: summaries only
  local side_rows = {}
  for _, p in ipairs(side) do
    for _, v in ipairs(p.values) do
      for _, rn in ipairs(p.runs or names) do
        local point = {}
        for k, x in pairs(points[1]) do point[k] = x end
        point[p.option] = v
        progress:step(string.format("%s %s=%s", rn, p.option, num(v)))
        unit = unit + 1
        local row
        for _, r in ipairs(rows) do        -- a point run already: reuse it
          if #points == 1 and r.run == rn and r[p.option] == v then row = r end
        end
        if not row then
          local r = result_for(unit)
          if r.error then
            failures = failures + 1
            warn("run '%s' at %s=%s failed: %s", rn, p.option, num(v), r.error.msg)
          end
          row = r.row
        end
        side_rows[#side_rows + 1] = {plot = p, row = row}
      end
    end
  end
  progress:finish()

  -- sweep tables: one per (plot, run)
  for _, p in ipairs(exp.plots) do
    if p.kind == "sweep" then
      for _, rn in ipairs(p.runs or names) do
        local srows = {}
        for _, sr in ipairs(side_rows) do
          if sr.plot == p and sr.row.run == rn and sr.row.status == "ok" then srows[#srows + 1] = sr.row end
        end
        if #srows == 0 then
          for _, r in ipairs(rows) do
            if r.run == rn and r.status == "ok" then srows[#srows + 1] = r end
          end
        end
        table.sort(srows, function(a, b) return a[p.option] < b[p.option] end)
        local cols = summary_columns(exp, srows)
        local file = "sweep-" .. p.name .. "-" .. rn .. ".tsv"
        write(file, tsv(srows, cols), written)
        local maxes = {}
        for _, r in ipairs(srows) do
          for k, v in pairs(r) do
            if type(v) == "number" then maxes[k] = math.max(maxes[k] or 0, v) end
          end
        end
        ctx.sweep_files[p.name .. ":" .. rn] = {file = file, max = maxes}
      end
    elseif p.kind == "bars" then
      local brows = {}
      for _, r in ipairs(rows) do
        if r.status == "ok" then
          local b = {run = r.run .. r._suffix}
          for _, m in ipairs(p.metrics) do b[m] = r[m] or 0 end
          brows[#brows + 1] = b
        end
      end
      local cols = {"run"}
      for _, m in ipairs(p.metrics) do cols[#cols + 1] = m end
      write("bars-" .. p.name .. ".tsv", tsv(brows, cols), written)
    end
  end
  local bcols = {"run"}
  for _, k in ipairs(BREAKDOWN) do bcols[#bcols + 1] = k end
  write("breakdown.tsv", tsv(breakdown_rows, bcols), written)
  for _, which in ipairs({"alloc", "gc", "dealloc"}) do
    write("latency-" .. which .. ".tsv",
          tsv(latency_rows[which], {"run", "p50", "p90", "p99", "p99.9", "max"}), written)
  end
  local clean = {}
  for i, r in ipairs(rows) do
    local c = {}
    for k, v in pairs(r) do if k ~= "_suffix" then c[k] = v end end
    clean[i] = c
  end
  local cols = summary_columns(exp, clean)
  write("summary.tsv", tsv(clean, cols), written)
  local options = {}
  for _, k in ipairs(sorted_keys(exp.options)) do options[k] = exp.options[k][1] end
  write("summary.json", json_value({experiment = exp.name, title = exp.title or exp.name,
                                             seed = O.seed, swept = swept, runs = clean,
                                             profile = O.profile or exp.profile or "cpython-3.11",
                                             allocator = O.allocator or exp.allocator or "pymalloc"}, 0) .. "\n",
        written)

  -- the plots: specs for the supervisor, which writes each .gp and draws it
  local drawn = {}
  for _, spec in ipairs(plan_plots(exp, ctx)) do
    local canplot = spec.kind == "stacked" or spec.kind == "bars" or (spec.lines and #spec.lines > 0)
    if canplot then
      priv.plot(spec)
      written[#written + 1] = spec.name .. ".gp"
      drawn[#drawn + 1] = spec
    end
  end
  local all_rows = {}
  for _, r in ipairs(rows) do all_rows[#all_rows + 1] = r end
  for _, sr in ipairs(side_rows) do all_rows[#all_rows + 1] = sr.row end
  local handout = fill_handouts(exp, all_rows, points[1], drawn, written)
  write_report(exp, rows, drawn, written, handout)
  print_summary(exp, rows, outdir, written, not loaded and priv.wallclock() - t0 or nil)
  priv.record("D")
  if exp.verdict and failures == 0 then     -- whether the result holds, said last
    local ok, holds, text = xpcall(exp.verdict, traceback, clean)
    if not ok then
      local e = as_error(holds)
      priv.stderr(e.msg .. "\n")
      return 1
    end
    if type(text) == "string" and text ~= "" then say("%s", (text:gsub("\n$", ""))) end
    if not holds then return 1 end
  end
  if failures > 0 then
    warn("%d run(s) failed; their rows in summary.tsv say status 'failed'", failures)
    return 1
  end
  return 0
end

------------------------------------------------------------------------
-- The list command
------------------------------------------------------------------------

local function cmd_list()
  local dir = O.script or "experiments"
  local entries, err = priv.dir(dir)      -- regular files only: a FIFO would block
  if not entries then usage_error("%s", err) end
  local n = 0
  for _, name in ipairs(entries) do
    if name:match("%.lua$") then
      local text = priv.read(dir .. "/" .. name)
      if text then
        local title = text:match("title%s*=%s*\"([^\"\n]*)\"") or text:match("title%s*=%s*'([^'\n]*)'")
        title = title and title:gsub("%c", " "):sub(1, 100)
        local is_exp = text:find("experiment%s*[{(]") ~= nil
        say("%-28s %s", name, is_exp and (title or "(no title)") or "(plain script)")
        n = n + 1
      end
    end
  end
  if n == 0 then say("no experiments (*.lua) in %s", dir) end
  return 0
end

------------------------------------------------------------------------

local ok, status = xpcall(function()
  if O.command == "list" then return cmd_list() end
  if O.command == "quiz" then      -- memsim quiz: quiz.lua, built in
    local chunk = assert(load(assert(priv.read("memsim:quiz.lua")), "=quiz.lua", "t", _ENV))
    return chunk()(O, say, usage_error, FORMATS.int)
  end
  return cmd_run()
end, traceback)
if ok then return status end
status = as_error(status)
if getmetatable(status) == UsageError then
  priv.stderr("memsim: " .. status.msg .. "\n")
  return 2
end
-- What reaches here failed in the runner, not in a script's call (those
-- are reported where they happen, with the script's line).
local msg = status.msg
if msg:find("^runner:") then msg = "memsim: " .. O.script .. ": internal error (please report): " .. msg end
priv.stderr(msg .. "\n")
if status.trace and os.getenv("MEMSIM_DEBUG") then priv.stderr(status.trace .. "\n") end
return 1
