/*
** fuzz_api.c: libFuzzer harness for the Lua API.  The input bytes choose a
** sequence of simulator calls and their arguments (handles, numbers,
** strings, nil, freed handles, other simulators' handles); each call runs
** under pcall, and the invariant checker runs after every call and aborts
** on a broken invariant.  Built with -DMEMSIM_FUZZ=ON and clang.
*/
#include <stddef.h>
#include <stdint.h>

/* the binding itself, for luaopen_memsim (static there) */
#include "../../sim/lua/lmemsim.c"

static const char driver[] =
  "local data = ...\n"
  /* empty heaps: the checker after every call walks the whole heap */
  "local sim = memsim.new{check = 'abort', memory_limit = 32 * 1048576, startup = false}\n"
  "local other = memsim.new{startup = false}\n"
  "local foreign = other:new('float')\n"
  "local h = {}\n"
  "local i = 1\n"
  "local function b() local x = data:byte(i) or 0; i = i + 1; return x end\n"
  "local types = {'int','float','str','bytes','tuple','list','dict','set','object','generator',\n"
  "  'function','range','range_iterator','None','nope', 'list_iterator'}\n"
  "local names = {'a', 'b', 'next', '', 'x'}\n"
  "local function arg()\n"
  "  local k = b() % 10\n"
  "  if k < 5 and #h > 0 then return h[b() % #h + 1] end\n"
  "  if k == 5 then return b() - 128 end\n"
  "  if k == 6 then return names[b() % #names + 1] end\n"
  "  if k == 7 then return nil end\n"
  "  if k == 8 then return foreign end\n"
  "  return b() * 65536 - 2^24\n"
  "end\n"
  "local specchars = '<>=^+- #0123456789,._eEfFgGdxXobs%cnz*(r'\n"
  "local function spec()\n"
  "  local t = {}\n"
  "  for _ = 1, b() % 8 do local c = b() % #specchars + 1; t[#t + 1] = specchars:sub(c, c) end\n"
  "  return table.concat(t)\n"
  "end\n"
  "local opnames = {'+', '-', '*', '/', '//', '%', '**', '<<', '|', '&', '+=', '**=', '%='}\n"
  "local ops = {\n"
  "  function() h[#h + 1] = sim:new(types[b() % #types + 1], arg()) end,\n"
  "  function() sim:append(arg(), arg()) end,\n"
  "  function() sim:setitem(arg(), arg(), arg()) end,\n"
  "  function() h[#h + 1] = sim:getitem(arg(), arg()) end,\n"
  "  function() sim:delitem(arg(), arg()) end,\n"
  "  function() sim:add(arg(), arg()) end,\n"
  "  function() sim:setattr(arg(), names[b() % #names + 1], arg()) end,\n"
  "  function() h[#h + 1] = sim:getattr(arg(), names[b() % #names + 1]) end,\n"
  "  function() sim:delattr(arg(), names[b() % #names + 1]) end,\n"
  "  function() sim:incref(arg()) end,\n"
  "  function() sim:decref(arg()) end,\n"
  "  function() sim:decref(arg()) end,\n"
  "  function() sim.gc.collect(b() % 4) end,\n"
  "  function() sim.gc.set_threshold(b() % 20, b() % 5, b() % 5) end,\n"
  "  function() sim.gc.freeze() end,\n"
  "  function() sim.gc.unfreeze() end,\n"
  "  function() local p = sim:malloc(b() * 4); h[#h + 1] = p end,\n"
  "  function() sim:free(arg()) end,\n"
  "  function() sim:realloc(arg(), b() * 8) end,\n"
  "  function() h[#h + 1] = sim:iter(arg()) end,\n"
  "  function() sim:exhaust(arg()) end,\n"
  "  function() sim:len(arg()) end,\n"
  "  function() sim.sys.getsizeof(arg()) end,\n"
  "  function() sim:sample(arg()) end,\n"
  "  function() local l = arg(); sim:append_range(l, 0, b() * 4) end,\n"
  "  function() sim.sys._debugmallocstats(); sim:stats() end,\n"
  /* numbers and formatting: arithmetic, format specs, % formats, f-strings */
  "  function() h[#h + 1] = sim:new('float', (b() - 128) / (b() + 1)) end,\n"
  "  function() h[#h + 1] = sim:op(arg(), opnames[b() % #opnames + 1], arg()) end,\n"
  "  function() h[#h + 1] = sim:format_value(arg(), spec()) end,\n"
  "  function() h[#h + 1] = sim:op(sim:literal('<' .. spec() .. '>'), '%', arg()) end,\n"
  "  function() h[#h + 1] = sim:fstring('<', {arg(), spec()}, '>') end,\n"
  "  function() h[#h + 1] = sim[({'neg', 'abs', 'int', 'float', 'round'})[b() % 5 + 1]](sim, arg()) end,\n"
  "  function() h[#h + 1] = sim:round(arg(), b() - 128) end,\n"
  "  function() h[#h + 1] = sim:split(sim:literal(spec() .. ' ' .. spec()), b() % 2 == 0 and sim:literal(spec()) or nil, b() - 128) end,\n"
  "  function() h[#h + 1] = sim:strip(arg()) end,\n"
  "  function() h[#h + 1] = sim[b() % 2 == 0 and 'upper' or 'lower'](sim, arg()) end,\n"
  "  function() h[#h + 1] = sim[b() % 2 == 0 and 'int' or 'float'](sim, sim:literal(spec())) end,\n"
  "}\n"
  "while i <= #data do\n"
  "  local op = ops[b() % #ops + 1]\n"
  "  pcall(op)\n"
  "end\n"
  "sim:close()\n"
  "other:close()\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096) return 0;
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  luaL_requiref(L, "memsim", luaopen_memsim, 1);
  lua_pop(L, 1);
  if (luaL_loadbuffer(L, driver, sizeof driver - 1, "=fuzz") != LUA_OK) abort();
  lua_pushlstring(L, (const char *)data, size);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    /* an error outside pcall in the driver itself is a bug of the harness */
    fprintf(stderr, "fuzz driver: %s\n", lua_tostring(L, -1));
    abort();
  }
  lua_close(L);
  return 0;
}
