-- runner.lua: the experiment runner (layer 3 of ../shared/DESIGN.md).
--
-- Built into the memsim program.  It loads a script; a plain script just
-- runs, an experiment (`return experiment{...}`) has each of its runs
-- executed on a fresh simulator for every point of the option sweep.  It
-- writes one TSV per run, summary.tsv, summary.json and a gnuplot script
-- per plot, then has the plot writer draw them.  Only simulated figures
-- go into the data files, so the same script, options and seed give
-- byte-identical files.

local O = ...                       -- options from the command line (lmemsim.c)
local memsim = require "memsim"

local NAME_PATTERN = "^[%a_][%w_%-]*$"

-- Columns of the per-run time series, written by sim:series_tsv().
local SERIES_COLUMNS = {
  live_bytes = "live heap", arena_bytes = "arenas mapped", mapped_bytes = "memory mapped",
  rss_bytes = "resident set", raw_bytes = "raw allocator in use", objects = "live objects",
  gc0 = "gen-0 collections", gc1 = "gen-1 collections", gc2 = "gen-2 collections",
}
local BYTE_COLUMNS = {live_bytes = true, arena_bytes = true, mapped_bytes = true,
                      rss_bytes = true, raw_bytes = true}

-- The summary metrics of every run, in column order.
local METRICS = {
  "peak_live_bytes", "final_live_bytes", "peak_rss_bytes", "arenas_highwater",
  "arenas_final", "objects_final", "allocs", "frees", "gc0", "gc1", "gc2",
  "gc_pause_p50_ns", "gc_pause_p99_ns", "gc_pause_max_ns", "alloc_p50_ns", "alloc_p99_ns",
  "alloc_max_ns", "dealloc_max_ns", "sim_time_ns",
}

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
  memsim._stderr("memsim: " .. string.format(fmt, ...) .. "\n")
end

-- An error of the user's (script, options): message, exit status.
local UsageError = {}
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

local Experiment = {}
local PLOT_KINDS = {series = true, sweep = true, breakdown = true, latency = true, bars = true,
                    table = true, heatmap = true}

local function check_experiment(t, level)
  local function bad(fmt, ...) error("experiment: " .. string.format(fmt, ...), level + 1) end
  if type(t) ~= "table" then bad("expects a table, got %s", type(t)) end
  if type(t.name) ~= "string" or not t.name:match(NAME_PATTERN) then
    bad("'name' must be a word of letters, digits, _ or - (got %s)", tostring(t.name))
  end
  if t.title ~= nil and type(t.title) ~= "string" then bad("'title' must be a string") end
  t.options = t.options or {}
  if type(t.options) ~= "table" then bad("'options' must be a table") end
  for k, v in pairs(t.options) do
    if type(k) ~= "string" or not k:match(NAME_PATTERN) then bad("option names must be words, got %s", tostring(k)) end
    if type(v) ~= "table" or v[1] == nil then
      bad("option '%s' must be {default, \"description\"}", k)
    end
    local d = type(v[1])
    if d ~= "number" and d ~= "string" and d ~= "boolean" then
      bad("option '%s': the default must be a number, string or boolean, got %s", k, d)
    end
    if v[2] ~= nil and type(v[2]) ~= "string" then bad("option '%s': the description must be a string", k) end
  end
  if type(t.runs) ~= "table" then bad("'runs' must be a table of functions") end
  local n = 0
  for k, v in pairs(t.runs) do
    n = n + 1
    if type(k) ~= "string" or not k:match(NAME_PATTERN) then bad("run names must be words, got %s", tostring(k)) end
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
    if type(p.name) ~= "string" or not p.name:match(NAME_PATTERN) then
      bad("plot %d needs a 'name' (a word)", i)
    end
    if names[p.name] then bad("two plots are named '%s'", p.name) end
    names[p.name] = true
    if not PLOT_KINDS[p.kind] then
      bad("plot '%s': unknown kind '%s' (series, sweep, breakdown, latency, bars)", p.name, tostring(p.kind))
    end
    if p.kind == "series" then
      if not SERIES_COLUMNS[p.y or ""] then
        bad("plot '%s': no series '%s' (live_bytes, arena_bytes, mapped_bytes, rss_bytes, raw_bytes, objects, gc0, gc1, gc2)",
            p.name, tostring(p.y))
      end
      if p.x ~= nil and p.x ~= "time" and p.x ~= "events" then
        bad("plot '%s': x must be \"time\" or \"events\"", p.name)
      end
    elseif p.kind == "sweep" then
      if not t.options[p.option or ""] then bad("plot '%s': no option '%s' to sweep", p.name, tostring(p.option)) end
      if type(p.y) ~= "string" then bad("plot '%s': 'y' must name a summary metric", p.name) end
      if p.values ~= nil then
        if type(p.values) ~= "table" or #p.values == 0 then bad("plot '%s': 'values' must be a list", p.name) end
      end
    elseif p.kind == "latency" then
      if p.which ~= nil and p.which ~= "alloc" and p.which ~= "gc" and p.which ~= "dealloc" then
        bad("plot '%s': 'which' must be alloc, gc or dealloc", p.name)
      end
    elseif p.kind == "bars" then
      if type(p.metrics) ~= "table" or #p.metrics == 0 then bad("plot '%s': 'metrics' must list summary metrics", p.name) end
    elseif p.kind == "table" then
      if type(p.table) ~= "string" or not p.table:match(NAME_PATTERN) then
        bad("plot '%s': 'table' must name a table a run writes with run:table()", p.name)
      end
      if type(p.x) ~= "string" then bad("plot '%s': 'x' must name a column", p.name) end
      if type(p.y) == "string" then p.y = {p.y} end
      if type(p.y) ~= "table" or #p.y == 0 then bad("plot '%s': 'y' must name columns", p.name) end
    elseif p.kind == "heatmap" then
      if type(p.map) ~= "string" or not p.map:match(NAME_PATTERN) then
        bad("plot '%s': 'map' must name an arena map a run takes with run:arena_map()", p.name)
      end
    end
  end
  return setmetatable(t, Experiment)
end

local function experiment(t)
  return check_experiment(t, 2)
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

local function make_env(path, sandbox, outdir)
  local hidden = sandbox and {debug = true} or {}
  local env = setmetatable({}, {__index = function(_, k)
    if hidden[k] then return nil end
    return _G[k]
  end})
  env.experiment = experiment
  env.memsim = memsim
  local dir = script_dir(path)
  local home = os.getenv("MEMSIM_SCRIPTS") or MEMSIM_SCRIPTS_DIR or "scripts"
  package.path = table.concat({dir .. "/?.lua", dir .. "/../scripts/?.lua", home .. "/?.lua"}, ";")
  if sandbox then
    package.cpath = ""
    package.loadlib = nil
    package.searchers[3] = nil
    package.searchers[4] = nil
    local safe_os = {time = os.time, clock = os.clock, date = os.date, getenv = os.getenv,
                     difftime = os.difftime}
    local function inside_out(p)
      return outdir and p:sub(1, #outdir + 1) == outdir .. "/" and not p:find("%.%.")
    end
    local safe_io = {write = io.write, read = io.read, lines = io.lines, stdout = io.stdout,
                     stderr = io.stderr, type = io.type}
    safe_io.open = function(p, mode)
      mode = mode or "r"
      if mode:find("[wa+]") and not inside_out(p) then
        return nil, p .. ": writing outside --out is not allowed in --sandbox"
      end
      return io.open(p, mode)
    end
    env.os = safe_os
    env.io = safe_io
    env.load = function(chunk, name, mode, e) return load(chunk, name, "t", e or env) end
    env.loadfile = function(p, mode, e) return loadfile(p, "t", e or env) end
    env.dofile = function(p) local f = assert(loadfile(p, "t", env)); return f() end
    -- (debug is hidden: it could lift the --timeout hook)
    -- modules load into the sandbox too, not into the runner's globals
    local loaded = {memsim = memsim}
    env.require = function(name)
      if loaded[name] ~= nil then return loaded[name] end
      local path, err = package.searchpath(name, package.path)
      if not path then error(err, 2) end
      local chunk = assert(loadfile(path, "t", env))
      local v = chunk(name, path)
      if v == nil then v = true end
      loaded[name] = v
      return v
    end
  end
  return env
end

local function load_script(path, env)
  if memsim._dir(path) then usage_error("%s is a directory, not a script", path) end
  local f = io.open(path, "r")
  if not f then usage_error("cannot open %s: no such file or not readable", path) end
  f:close()
  local chunk, err = loadfile(path, "t", env)
  if not chunk then error({msg = err, status = 1}, 0) end
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
    if v == nil or v ~= v or v == math.huge or v == -math.huge then
      usage_error("--%s=%s: not a number", name, text)
    end
    if math.type(default) == "integer" or (v == math.floor(v) and math.abs(v) < 2^53) then
      v = math.tointeger(v) or v
    end
    return v
  elseif kind == "boolean" then
    local map = {["true"] = true, ["1"] = true, yes = true, ["false"] = false, ["0"] = false, no = false}
    if map[text] == nil then usage_error("--%s=%s: expected true or false", name, text) end
    return map[text]
  end
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
      usage_error("unknown option --%s for experiment '%s' (it takes %s)", name, exp.name,
                  #known > 0 and table.concat(known, ", ") or "no options")
    end
    local list = {}
    for piece in (text .. ","):gmatch("([^,]*),") do
      if piece == "" then usage_error("--%s=%s: empty value in the list", name, text) end
      list[#list + 1] = parse_value(exp, name, piece)
    end
    values[name] = list
    if #list > 1 then swept[#swept + 1] = name end
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

local function point_suffix(point, swept)
  local parts = {}
  for _, name in ipairs(swept) do parts[#parts + 1] = name .. "=" .. num(point[name]) end
  return #parts > 0 and ("-" .. table.concat(parts, "-")) or ""
end

------------------------------------------------------------------------
-- Running
------------------------------------------------------------------------

local function traceback(e)
  if type(e) == "table" then return e end
  local msg = tostring(e)
  return {msg = msg, trace = debug.traceback(msg, 2), status = 1}
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
  return setmetatable({total = total, done = 0, on = not quiet and memsim._isatty(2),
                       t0 = memsim._wallclock()}, Progress)
end

function Progress:step(label)
  self.done = self.done + 1
  if not self.on then return end
  local width = 24
  local filled = math.floor(width * (self.done - 1) / self.total)
  memsim._stderr(string.format("\r[%s%s] %d/%d %-40.40s", string.rep("#", filled),
                               string.rep(".", width - filled), self.done, self.total, label))
end

function Progress:finish()
  if self.on then memsim._stderr("\r" .. string.rep(" ", 80) .. "\r") end
end

-- one run at one point on a fresh simulator: its summary row
local function run_one(exp, runname, point, seed)
  math.randomseed(seed)
  local sim = memsim.new{seed = seed, profile = exp.profile, allocator = exp.allocator,
                         gc = exp.gc}
  local ctx = {snapshots = {}, values = {}}
  function ctx:snapshot(name)
    if type(name) ~= "string" or not name:match(NAME_PATTERN) then
      error("snapshot name must be a word", 2)
    end
    self.snapshots[name] = sim:stats()
  end
  function ctx:record(name, value)
    if type(name) ~= "string" or not name:match(NAME_PATTERN) then error("record: name must be a word", 2) end
    if type(value) ~= "number" then error("record: value must be a number", 2) end
    self.values[name] = value
  end
  ctx.tables, ctx.maps = {}, {}
  -- run:table(name, {"col", ...}, rows): a table of the run's own figures
  function ctx:table(name, columns, rows)
    if type(name) ~= "string" or not name:match(NAME_PATTERN) then error("table: name must be a word", 2) end
    if type(columns) ~= "table" or #columns == 0 then error("table: columns must be a list of names", 2) end
    if type(rows) ~= "table" then error("table: rows must be a list of rows", 2) end
    for i, r in ipairs(rows) do
      if type(r) ~= "table" then error(string.format("table '%s': row %d is not a table", name, i), 2) end
      for _, c in ipairs(columns) do
        local v = r[c]
        if v ~= nil and type(v) ~= "number" and type(v) ~= "string" then
          error(string.format("table '%s': row %d, column '%s' is a %s", name, i, c, type(v)), 2)
        end
      end
    end
    self.tables[name] = {columns = columns, rows = rows}
  end
  -- run:arena_map(name): every pool of every arena and how full it is, now
  function ctx:arena_map(name)
    if type(name) ~= "string" or not name:match(NAME_PATTERN) then error("arena_map: name must be a word", 2) end
    self.maps[name] = sim:arena_map()
  end
  local opt = {}
  for k, v in pairs(point) do opt[k] = v end
  local ok, err = xpcall(exp.runs[runname], traceback, sim, opt, ctx)
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
  if type(err) == "table" and ok then
    for k, v in pairs(err) do
      if type(k) == "string" and type(v) == "number" and k:match(NAME_PATTERN) then row[k] = v end
    end
  end
  local result = {row = row, stats = st, snapshots = ctx.snapshots, series = sim:series_tsv(),
                  tables = ctx.tables, maps = ctx.maps, error = not ok and err or nil}
  sim:close()
  return result
end

------------------------------------------------------------------------
-- Writing results
------------------------------------------------------------------------

local function write(dir, name, text, written)
  memsim._write(dir .. "/" .. name, text)
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

local function summary_columns(exp, rows)
  local cols = {"run", "status"}
  for _, k in ipairs(sorted_keys(exp.options)) do cols[#cols + 1] = k end
  for _, m in ipairs(METRICS) do cols[#cols + 1] = m end
  local known = {}
  for _, c in ipairs(cols) do known[c] = true end
  local extra = {}
  for _, r in ipairs(rows) do
    for k in pairs(r) do
      if not known[k] then known[k] = true; extra[#extra + 1] = k end
    end
  end
  table.sort(extra)
  for _, k in ipairs(extra) do cols[#cols + 1] = k end
  return cols
end

------------------------------------------------------------------------
-- Plots
------------------------------------------------------------------------

-- the largest number in COLUMN of a TSV text (header row first)
local function max_of(tsvtext, column)
  local idx, max, header = nil, 0, true
  for line in tsvtext:gmatch("[^\n]+") do
    local i = 0
    for cell in (line .. "\t"):gmatch("([^\t]*)\t") do
      i = i + 1
      if header then
        if cell == column then idx = i end
      elseif i == idx then
        local v = tonumber(cell)
        if v and v > max then max = v end
      end
    end
    header = false
  end
  return max
end

local function plan_plots(exp, ctx)
  local specs = {}
  local names = run_names(exp)
  for _, p in ipairs(exp.plots) do
    if p.kind == "series" then
      local lines, maxy, maxx = {}, 0, 0
      local xcol = p.x == "events" and "events" or "t_ns"
      for _, rn in ipairs(names) do
        for _, f in ipairs(ctx.series_files[rn] or {}) do
          lines[#lines + 1] = {file = f.file, x = xcol, y = p.y, title = rn .. f.suffix:gsub("^%-", " ")}
          maxy = math.max(maxy, max_of(f.text, p.y))
          maxx = math.max(maxx, max_of(f.text, xcol))
        end
      end
      local unit, ydiv = "", 1
      if BYTE_COLUMNS[p.y] then unit, ydiv = byte_unit(maxy) end
      local xunit, xdiv = "events", 1
      if xcol == "t_ns" then xunit, xdiv = time_unit(maxx) end
      specs[#specs + 1] = {
        name = p.name, kind = "lines", lines = lines, ydiv = ydiv, xdiv = xdiv,
        title = p.title or (SERIES_COLUMNS[p.y] .. " over time"),
        xlabel = p.xlabel or (xcol == "t_ns" and ("simulated time (" .. xunit .. ")") or "allocation and free events"),
        ylabel = p.ylabel or (SERIES_COLUMNS[p.y] .. (unit ~= "" and (" (" .. unit .. ")") or "")),
        logx = p.logx, logy = p.logy,
      }
    elseif p.kind == "sweep" then
      local lines, maxy = {}, 0
      for _, rn in ipairs(names) do
        local f = ctx.sweep_files[p.name .. ":" .. rn]
        if f then
          lines[#lines + 1] = {file = f.file, x = p.option, y = p.y, title = rn}
          maxy = math.max(maxy, f.max[p.y] or 0)
        end
      end
      local unit, ydiv = "", 1
      if p.y:match("_bytes$") then unit, ydiv = byte_unit(maxy)
      elseif p.y:match("_ns$") then unit, ydiv = time_unit(maxy) end
      specs[#specs + 1] = {
        name = p.name, kind = "points", lines = lines, ydiv = ydiv,
        title = p.title or (p.y .. " against " .. p.option),
        xlabel = p.xlabel or (exp.options[p.option][2] or p.option),
        ylabel = p.ylabel or (p.y:gsub("_bytes$", ""):gsub("_ns$", ""):gsub("_", " ") ..
                 (unit ~= "" and (" (" .. unit .. ")") or "")),
        logx = p.logx, logy = p.logy,
      }
    elseif p.kind == "breakdown" then
      local unit, ydiv = byte_unit(ctx.breakdown_max)
      specs[#specs + 1] = {
        name = p.name, kind = "stacked", table = "breakdown.tsv", columns = BREAKDOWN,
        ydiv = ydiv, title = p.title or "Where the bytes go",
        xlabel = p.xlabel or "run", ylabel = p.ylabel or ("bytes (" .. unit .. ")"),
      }
    elseif p.kind == "latency" then
      local which = p.which or "alloc"
      local unit, ydiv = time_unit(ctx.latency_max[which] or 0)
      specs[#specs + 1] = {
        name = p.name, kind = "bars", table = "latency-" .. which .. ".tsv",
        columns = {"p50", "p90", "p99", "p99.9", "max"}, ydiv = ydiv, logy = p.logy,
        title = p.title or (({alloc = "Allocation latency", gc = "Collection pauses",
                              dealloc = "Deallocation pauses"})[which] .. " (percentiles)"),
        xlabel = p.xlabel or "run", ylabel = p.ylabel or ("simulated time (" .. unit .. ")"),
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
        ydiv = ydiv, title = p.title or p.name, xlabel = p.xlabel or p.x,
        ylabel = (p.ylabel or table.concat(p.y, ", ")) .. (unit and unit ~= "" and (" (" .. unit .. ")") or ""),
        logx = p.logx, logy = p.logy,
      }
    elseif p.kind == "heatmap" then
      for _, f in ipairs(ctx.map_files[p.map] or {}) do
        local suffix = f.run
        specs[#specs + 1] = {
          name = p.name .. "-" .. suffix, kind = "heatmap",
          lines = {{file = f.file, x = "pool", y = "arena"}}, z = "fullness",
          title = (p.title or ("Arenas and their pools: " .. p.map)) .. " (" .. f.run .. ")",
          xlabel = p.xlabel or "pool in the arena", ylabel = p.ylabel or "arena (highest address first)",
        }
      end
    elseif p.kind == "bars" then
      local file = "bars-" .. p.name .. ".tsv"
      local maxv = 0
      for _, m in ipairs(p.metrics) do maxv = math.max(maxv, ctx.metric_max[m] or 0) end
      local unit, ydiv = "", 1
      if p.metrics[1]:match("_bytes$") then unit, ydiv = byte_unit(maxv)
      elseif p.metrics[1]:match("_ns$") then unit, ydiv = time_unit(maxv) end
      specs[#specs + 1] = {
        name = p.name, kind = "bars", table = file, columns = p.metrics, ydiv = ydiv,
        title = p.title or table.concat(p.metrics, ", "), logy = p.logy,
        xlabel = p.xlabel or "run", ylabel = p.ylabel or (unit ~= "" and unit or "count"),
      }
    end
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
    say("  --%-20s %s (default %s)", k .. "=" .. type(o[1]):upper(), o[2] or "", num(o[1]))
  end
  say("\nruns: %s", table.concat(run_names(exp), ", "))
end

local function print_summary(exp, rows, dir, written, images, elapsed)
  say("%s: %s", exp.name, exp.title or exp.name)
  say("%-22s %12s %12s %8s %14s %12s %12s", "run", "peak live", "final live", "arenas",
      "gc 0/1/2", "max pause", "sim time")
  for _, r in ipairs(rows) do
    local label = r.run .. (r._suffix or "")
    say("%-22s %12s %12s %8s %14s %12s %12s%s", label, human_bytes(r.peak_live_bytes),
        human_bytes(r.final_live_bytes), num(r.arenas_highwater),
        string.format("%d/%d/%d", r.gc0, r.gc1, r.gc2),
        human_ns(math.max(r.gc_pause_max_ns or 0, r.dealloc_max_ns or 0)),
        human_ns(r.sim_time_ns), r.status == "ok" and "" or "  FAILED")
  end
  say("wrote %d files to %s/ in %.2f s", #written, dir, elapsed)
  for _, img in ipairs(images) do say("  %s/%s", dir, img) end
end

local function cmd_run()
  local path = O.script
  local outdir = O.out
  local env = make_env(path, O.sandbox, outdir)
  local chunk = load_script(path, env)
  math.randomseed(O.seed)
  local ok, res = xpcall(chunk, traceback)
  if not ok then
    io.stderr:write(res.msg, "\n")
    local tr = script_trace(res.trace or "")
    if tr ~= "" then io.stderr:write(tr, "\n") end
    return res.status or 1
  end
  if getmetatable(res) ~= Experiment then
    if O.help then say("%s is a plain script: it takes no options.", path) end
    return 0
  end
  local exp = res
  if O.help then print_help(exp, path); return 0 end

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
        total = total + #p.values * #names
      end
    end
  end
  if total > 200 then
    warn("this asks for %d runs (%d points x %d runs): it may take a long time", total, #points, #names)
  end
  outdir = outdir or ("results/" .. exp.name)
  local okdir, err = memsim._mkdirs(outdir)
  if not okdir then usage_error("%s", err) end
  if O.sandbox then env = make_env(path, true, outdir) end

  local t0 = memsim._wallclock()
  local progress = progress_new(total, O.quiet)
  local rows, written, failures = {}, {}, 0
  local ctx = {series_files = {}, sweep_files = {}, breakdown_max = 0, latency_max = {},
               metric_max = {}, table_files = {}, map_files = {}}
  local breakdown_rows, latency_rows = {}, {alloc = {}, gc = {}, dealloc = {}}
  for _, point in ipairs(points) do
    for _, rn in ipairs(names) do
      local suffix = point_suffix(point, swept)
      progress:step(rn .. suffix)
      local r = run_one(exp, rn, point, O.seed)
      r.row._suffix = suffix
      rows[#rows + 1] = r.row
      if r.error then
        failures = failures + 1
        progress:finish()
        warn("run '%s%s' failed: %s", rn, suffix, r.error.msg)
        local tr = script_trace(r.error.trace or "")
        if tr ~= "" then memsim._stderr(tr .. "\n") end
      else
        local file = rn .. suffix .. ".tsv"
        write(outdir, file, r.series, written)
        for tname, t in pairs(r.tables) do
          local tfile = tname .. "-" .. rn .. suffix .. ".tsv"
          write(outdir, tfile, tsv(t.rows, t.columns), written)
          ctx.table_files[tname] = ctx.table_files[tname] or {}
          table.insert(ctx.table_files[tname], {file = tfile, run = rn .. suffix, rows = t.rows})
        end
        for mname, text in pairs(r.maps) do
          local mfile = "map-" .. mname .. "-" .. rn .. suffix .. ".tsv"
          write(outdir, mfile, text, written)
          ctx.map_files[mname] = ctx.map_files[mname] or {}
          table.insert(ctx.map_files[mname], {file = mfile, run = rn .. suffix})
        end
        ctx.series_files[rn] = ctx.series_files[rn] or {}
        table.insert(ctx.series_files[rn], {file = file, text = r.series, suffix = suffix})
        local snap = r.snapshots.peak or r.stats
        local b = breakdown_of(snap)
        b.run = rn .. suffix
        breakdown_rows[#breakdown_rows + 1] = b
        local sum = 0
        for _, k in ipairs(BREAKDOWN) do sum = sum + b[k] end
        ctx.breakdown_max = math.max(ctx.breakdown_max, sum)
        for which, rowsw in pairs(latency_rows) do
          local h = r.stats.latency[which]
          rowsw[#rowsw + 1] = {run = rn .. suffix, p50 = h.p50, p90 = h.p90, p99 = h.p99,
                               ["p99.9"] = h.p999, max = h.max}
          ctx.latency_max[which] = math.max(ctx.latency_max[which] or 0, h.max)
        end
        for k, v in pairs(r.row) do
          if type(v) == "number" then ctx.metric_max[k] = math.max(ctx.metric_max[k] or 0, v) end
        end
      end
    end
  end
  -- side sweeps: summaries only
  local side_rows = {}
  for _, p in ipairs(side) do
    for _, v in ipairs(p.values) do
      for _, rn in ipairs(names) do
        local point = {}
        for k, x in pairs(points[1]) do point[k] = x end
        point[p.option] = v
        progress:step(string.format("%s %s=%s", rn, p.option, num(v)))
        local row
        for _, r in ipairs(rows) do        -- a point run already: reuse it
          if #points == 1 and r.run == rn and r[p.option] == v then row = r end
        end
        if not row then
          local r = run_one(exp, rn, point, O.seed)
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
      for _, rn in ipairs(names) do
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
        write(outdir, file, tsv(srows, cols), written)
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
      write(outdir, "bars-" .. p.name .. ".tsv", tsv(brows, cols), written)
    end
  end
  local bcols = {"run"}
  for _, k in ipairs(BREAKDOWN) do bcols[#bcols + 1] = k end
  write(outdir, "breakdown.tsv", tsv(breakdown_rows, bcols), written)
  for _, which in ipairs({"alloc", "gc", "dealloc"}) do
    write(outdir, "latency-" .. which .. ".tsv",
          tsv(latency_rows[which], {"run", "p50", "p90", "p99", "p99.9", "max"}), written)
  end
  local cols = summary_columns(exp, rows)
  local clean = {}
  for i, r in ipairs(rows) do
    local c = {}
    for k, v in pairs(r) do if k ~= "_suffix" then c[k] = v end end
    clean[i] = c
  end
  write(outdir, "summary.tsv", tsv(clean, cols), written)
  local options = {}
  for _, k in ipairs(sorted_keys(exp.options)) do options[k] = exp.options[k][1] end
  write(outdir, "summary.json", json_value({experiment = exp.name, title = exp.title or exp.name,
                                             seed = O.seed, swept = swept, runs = clean,
                                             profile = exp.profile or "cpython-3.11"}, 0) .. "\n",
        written)

  local images = {}
  local format = O.format or "png"
  local missing_gnuplot
  for _, spec in ipairs(plan_plots(exp, ctx)) do
    local canplot = spec.kind == "stacked" or spec.kind == "bars" or (spec.lines and #spec.lines > 0)
    if canplot then
      local out = memsim._plot(outdir, spec, format)
      written[#written + 1] = spec.name .. ".gp"
      if format ~= "none" and not missing_gnuplot then
        local rc, msg = memsim._render(outdir, spec.name .. ".gp")
        if rc == 0 then images[#images + 1] = out
        elseif rc == 1 then missing_gnuplot = msg
        else warn("%s", msg) end
      end
    end
  end
  print_summary(exp, rows, outdir, written, images, memsim._wallclock() - t0)
  if missing_gnuplot then warn("%s", missing_gnuplot) end
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
  local entries, err = memsim._dir(dir)
  if not entries then usage_error("%s", err) end
  local n = 0
  for _, name in ipairs(entries) do
    if name:match("%.lua$") then
      local f = io.open(dir .. "/" .. name, "r")
      if f then
        local text = f:read("a")
        f:close()
        local title = text:match("title%s*=%s*\"([^\"]*)\"") or text:match("title%s*=%s*'([^']*)'")
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
  return cmd_run()
end, traceback)
if ok then return status end
if getmetatable(status) == UsageError then
  memsim._stderr("memsim: " .. status.msg .. "\n")
  return 2
end
memsim._stderr((status.msg or tostring(status)) .. "\n")
if status.trace and os.getenv("MEMSIM_DEBUG") then memsim._stderr(status.trace .. "\n") end
return status.status or 1
