/*
** lmemsim.c: the Lua binding.  The only file of memsim that includes
** lua.h: it turns Lua calls into core calls and core errors into Lua
** errors that carry the script's file and line.
**
** Types seen from Lua
**   memsim.Sim     a simulator: methods below, plus the tables sim.gc and
**                  sim.sys, whose functions are bound to it (called with
**                  a dot, as Python's gc.collect()).
**   memsim.object  a handle: (simulator, object id, serial).  A handle
**                  outlives its object; using it then is an error naming
**                  the object ("object 12 (float) was freed").
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "fileio.h"
#include "llab.h"
#include "lmemsim.h"
#include "plot.h"
#include "series.h"
#include "sim.h"
#include "trace.h"
#include "u64map.h"
#include "util.h"

#define SIM_MT "memsim.Sim"
#define OBJ_MT "memsim.object"
#define REPLAY_MT "memsim.replay"

/* the runner, written in Lua, built in by CMake (runner_lua.h) */
#include "runner_lua.h"
/* the measured start-up heaps, one per profile (sim/profiles/NAME.startup.lua) */
#include "startup_lua.h"
/* memsim replay's experiment (replay.lua), read as MS_BUILTIN_REPLAY */
#include "replay_lua.h"
/* memsim lab allocator's experiment (lab.lua), read as MS_BUILTIN_LAB */
#include "lab_lua.h"
/* memsim quiz (quiz.lua) */
#include "quiz_lua.h"

#define SIM_MAGIC 0x6d73696dU   /* "msim" */
#define OBJ_MAGIC 0x6d736f62U   /* "msob" */

typedef struct LSim {
  uint32_t magic;      /* SIM_MAGIC: a fast type test */
  ms_Sim *sim;
  ms_U64Map refs;      /* (serial, id) -> references the script holds */
  uint32_t serial;     /* tells simulators apart: handles carry it */
  int check;           /* run the invariant checker after every call */
  ms_Replay *replay;   /* sim:replay's real-to-simulated blocks, kept so that a
                          later call resumes where an earlier one stopped */
  char *kept;          /* sim:explain(n, "collect"): the lines, until sim:explained() */
  size_t kept_len, kept_cap;
  struct Pause *pauses;  /* the collections since sim.gc.pauses() last asked, the first PAUSES_MAX */
  uint32_t npauses;
  uint64_t pauses_dropped;
  int obj_mt_ref;      /* the registry slot of the handles' metatable */
} LSim;

/* one collection, as a gc.callbacks callback would have seen it */
struct Pause {
  uint64_t pause_ns, collected;
  int generation;
};
#define PAUSES_MAX 4096
static void note_pause(void *ud, int gen, uint64_t collected, uint64_t pause_ns);

typedef struct LObj {
  uint32_t magic;      /* OBJ_MAGIC */
  uint32_t simserial;
  uint32_t id;
  uint32_t serial;     /* the object's serial when the handle was made */
  uint8_t type;
} LObj;

static uint32_t sim_serials;

/* the registry's key for OBJ_MT by address: push_obj runs once per object */
static const char obj_mt_key;   /* the registry: the integer slot of OBJ_MT */

/* set at the time limit (1) and on Ctrl-C (2): the run ends at once */
static volatile int stop_flag;

/* ====================================================================
** Arguments
** ==================================================================== */

/*
** Type tests by size and magic word instead of luaL_checkudata's
** metatable lookups: these run once per argument of every call.
*/
/*
** A simulator or a handle: a full userdata of its size and magic.  A
** light userdata has a pointer too, but lua_rawlen gives 0 for it, so it
** is turned away before its memory is read; two calls into the API per
** check, not three (they are a tenth of a Lua loop's time).
*/
static LSim *test_sim(lua_State *L, int idx) {
  LSim *ls = lua_touserdata(L, idx);
  if (ls == NULL || lua_rawlen(L, idx) != sizeof(LSim) || ls->magic != SIM_MAGIC) return NULL;
  return ls;
}

static int is_sim(lua_State *L, int idx) { return test_sim(L, idx) != NULL; }

static LSim *check_sim(lua_State *L, int arg) {
  LSim *ls = test_sim(L, arg);
  if (ls == NULL) luaL_typeerror(L, arg, SIM_MT);
  if (ls->sim == NULL) luaL_argerror(L, arg, "simulator is closed");
  return ls;
}

static LObj *test_obj(lua_State *L, int arg) {
  LObj *h = lua_touserdata(L, arg);
  if (h == NULL || lua_rawlen(L, arg) != sizeof(LObj) || h->magic != OBJ_MAGIC) return NULL;
  return h;
}


/*
** The simulator of a function in sim.gc / sim.sys: upvalue 1.  Checked
** like an argument: debug.setupvalue can put anything there.
*/
static LSim *up_sim(lua_State *L) {
  LSim *ls = test_sim(L, lua_upvalueindex(1));
  if (ls == NULL) luaL_error(L, "this function is not bound to a simulator");
  if (ls->sim == NULL) luaL_error(L, "simulator is closed");
  return ls;
}

/* a table upvalue of the binding's own (type names, methods) */
static void check_up_table(lua_State *L, int i) {
  if (lua_type(L, lua_upvalueindex(i)) != LUA_TTABLE) luaL_error(L, "memsim: a binding table was replaced");
}

static uint32_t check_obj(lua_State *L, LSim *ls, int arg) {
  LObj *h = test_obj(L, arg);
  if (h == NULL) {
    const char *got = luaL_typename(L, arg);
    luaL_argerror(L, arg, lua_pushfstring(L, "object handle expected, got %s", got));
  }
  if (h->simserial != ls->serial) luaL_argerror(L, arg, "object belongs to another simulator");
  if (!ms_obj_alive(ls->sim, h->id, h->serial))
    luaL_argerror(L, arg, lua_pushfstring(L, "object %d (%s) was freed", (int)h->serial,
                                          ms_type_name(h->type)));
  return h->id;
}

/*
** The script's own references, counted per object: a script can only
** drop a reference it was given (by new, getitem, getattr, iter, incref).
** Without this count a script could decref an object that containers
** still hold, and the simulator would free it under them.
*/
static uint64_t ref_key(LSim *ls, uint32_t id) {
  return ((uint64_t)ms_obj_serial(ls->sim, id) << 32) | id;
}

static void script_ref_add(LSim *ls, uint32_t id) {
  int found;
  uint64_t k = ref_key(ls, id), n = u64map_get(&ls->refs, k, &found);
  u64map_put(&ls->refs, k, n + 1);
}

/* 0 when the script holds no reference to drop */
static int script_ref_drop(LSim *ls, uint32_t id) {
  uint64_t k = ref_key(ls, id), n;
  if (!u64map_take(&ls->refs, k, &n)) return 0;
  if (n > 1) u64map_put(&ls->refs, k, n - 1);
  return 1;
}

static void push_obj(lua_State *L, LSim *ls, uint32_t id) {
  script_ref_add(ls, id);
  LObj *h = lua_newuserdatauv(L, sizeof(LObj), 0);
  h->magic = OBJ_MAGIC;
  h->simserial = ls->serial;
  h->id = id;
  h->serial = ms_obj_serial(ls->sim, id);
  h->type = (uint8_t)ms_obj_type(ls->sim, id);
  /* OBJ_MT at an integer slot of the registry: its array part, no hashing */
  if (lua_rawgeti(L, LUA_REGISTRYINDEX, ls->obj_mt_ref) != LUA_TTABLE)
    luaL_error(L, "memsim: the registry was changed (debug.getregistry): object handles cannot be made");
  lua_setmetatable(L, -2);
}

static void stop_now(lua_State *L);
static void host_check(lua_State *L);

/* after a core call: raise its error, run the checker if asked */
static void done(lua_State *L, LSim *ls, int rc) {
  if (stop_flag) stop_now(L);
  host_check(L);
  if (rc < 0) luaL_error(L, "%s", ms_sim_error(ls->sim));
  if (ls->check && !ms_sim_is_valid(ls->sim)) {
    if (ls->check == 2) {                   /* check = "abort": for fuzzing */
      fprintf(stderr, "memsim: %s\n", ms_sim_error(ls->sim));
      abort();
    }
    luaL_error(L, "%s", ms_sim_error(ls->sim));
  }
}

static int64_t check_size(lua_State *L, int arg, const char *what) {
  lua_Integer n = luaL_checkinteger(L, arg);
  if (n < 0) luaL_argerror(L, arg, lua_pushfstring(L, "%s must be >= 0", what));
  if (n > MS_MAX_COUNT) luaL_argerror(L, arg, lua_pushfstring(L, "%s is too large", what));
  return n;
}

static const char *check_name(lua_State *L, int arg, const char *what) {
  size_t n;
  const char *name = luaL_checklstring(L, arg, &n);
  if (n == 0 || n > 200 || strlen(name) != n)
    luaL_argerror(L, arg, lua_pushfstring(L, "%s must be 1 to 200 characters", what));
  return name;
}

/*
** A call that will make the simulator hold BYTES more of host memory (a
** list's item array, say) is refused before it starts when they would
** not fit under --host-memory-limit: a MemoryError at the script's line.
*/
static void host_reserve(lua_State *L, uint64_t bytes);

/* ====================================================================
** memsim.new
** ==================================================================== */

static void explain_to_stdout(void *ud, const char *line);
static int l_module_index(lua_State *L);

static const char *const new_options[] = {"profile", "allocator", "gc", "seed", "memory_limit",
                                          "check", "startup", "hash_seed", "cost", NULL};

static uint64_t field_count(lua_State *L, int t, int i, const char *what) {
  lua_rawgeti(L, t, i);
  if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0 || lua_tointeger(L, -1) > MS_SHAPE_MAX_COUNT)
    luaL_error(L, "startup: %s must be whole numbers from 0 to 2^31-1", what);
  uint64_t v = (uint64_t)lua_tointeger(L, -1);
  lua_pop(L, 1);
  return v;
}

/* field K of table T: absent is 0, else a whole number from 0 to MAX */
static uint64_t opt_count(lua_State *L, int t, const char *k, int64_t max) {
  uint64_t v = 0;
  if (lua_getfield(L, t, k) != LUA_TNIL) {
    if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0 || lua_tointeger(L, -1) > max)
      luaL_error(L, "startup: %s must be a whole number from 0 to %I", k, (lua_Integer)max);
    v = (uint64_t)lua_tointeger(L, -1);
  }
  lua_pop(L, 1);
  return v;
}

static int by_size(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

/*
** large = {[bytes] = blocks, ...}: read in whatever order the table gives,
** made in ascending size (deterministic); ms_shape_heap checks the sizes.
*/
static void read_large(lua_State *L, int t, ms_HeapShape *h) {
  lua_pushnil(L);
  while (lua_next(L, t) != 0) {
    if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 0 || lua_tointeger(L, -2) > MS_SHAPE_MAX_LARGE_SIZE)
      luaL_error(L, "startup: large's keys must be sizes in bytes from 0 to %d", (int)MS_SHAPE_MAX_LARGE_SIZE);
    if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 || lua_tointeger(L, -1) > MS_SHAPE_MAX_LARGE_BLOCKS)
      luaL_error(L, "startup: large's values must be block counts from 1 to %d", (int)MS_SHAPE_MAX_LARGE_BLOCKS);
    if (h->nlarge == MS_SHAPE_MAX_LARGE) luaL_error(L, "startup: large has more than %d sizes", MS_SHAPE_MAX_LARGE);
    h->large[h->nlarge].size = (uint32_t)lua_tointeger(L, -2);
    h->large[h->nlarge].count = (uint32_t)lua_tointeger(L, -1);
    h->nlarge++;
    lua_pop(L, 1);
  }
  qsort(h->large, h->nlarge, sizeof h->large[0], by_size);
}

/* the measured start-up heap of PROFILE (the one its file names), or -1 */
static int startup_of(const char *profile) {
  const ms_Profile *p = ms_profile_find(profile);
  if (p != NULL) profile = p->startup_heap;
  for (int i = 0; startup_heaps[i].profile; i++)
    if (strcmp(startup_heaps[i].profile, profile) == 0) return i;
  return -1;
}

/*
** startup = true (the profile's measured fresh interpreter,
** sim/profiles/NAME.startup.lua) or a table of the same shape:
**   {classes = {[c] = {pools, blocks}}, gc_count = {c0, c1, c2},
**    gc_objects = {n0, n1, n2}, long_lived_total = n, long_lived_pending = n,
**    large = {[bytes] = blocks}, latin1 = {code points}}
*/
static void read_shape(lua_State *L, int idx, ms_HeapShape *h, const char *profile) {
  memset(h, 0, sizeof *h);
  idx = lua_absindex(L, idx);
  if (lua_isboolean(L, idx)) {            /* the measured heap, built in */
    int k = startup_of(profile);
    if (k < 0) luaL_error(L, "memsim.new: no measured start-up heap for %s (startup = false, or a table)", profile);
    if (luaL_loadbuffer(L, (const char *)startup_heaps[k].text, startup_heaps[k].len, "=startup") != LUA_OK)
      lua_error(L);
    lua_call(L, 0, 1);
    idx = lua_gettop(L);
  }
  if (!lua_istable(L, idx)) luaL_error(L, "startup must be true or a table");
  if (lua_getfield(L, idx, "classes") == LUA_TTABLE) {
    int t = lua_gettop(L);
    for (int c = 0; c < 32; c++) {
      if (lua_rawgeti(L, t, c) == LUA_TTABLE) {
        h->pools[c] = field_count(L, -1, 1, "pools");
        h->blocks[c] = field_count(L, -1, 2, "blocks");
      }
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  if (lua_getfield(L, idx, "gc_count") == LUA_TTABLE)
    for (int g = 0; g < 3; g++) h->gc_count[g] = (int64_t)field_count(L, -1, g + 1, "gc_count");
  lua_pop(L, 1);
  if (lua_getfield(L, idx, "gc_objects") == LUA_TTABLE)
    for (int g = 0; g < 3; g++) h->gc_objects[g] = field_count(L, -1, g + 1, "gc_objects");
  lua_pop(L, 1);
  h->long_lived_pending = h->gc_objects[2];
  if (lua_getfield(L, idx, "free_lists") == LUA_TTABLE) {
    int t = lua_gettop(L);
    h->free_floats = (uint32_t)opt_count(L, t, "float", 2000);
    h->free_lists = (uint32_t)opt_count(L, t, "list", 2000);
    h->free_dicts = (uint32_t)opt_count(L, t, "dict", 2000);
    if (lua_getfield(L, t, "tuple") == LUA_TTABLE)
      for (int k = 0; k < 20; k++) {
        h->free_tuples[k] = (uint32_t)field_count(L, -1, k + 1, "free tuples");
        if (h->free_tuples[k] > 2000) luaL_error(L, "startup: free tuples are at most 2000 per size");
      }
    lua_settop(L, t);
  }
  lua_pop(L, 1);
  if (lua_getfield(L, idx, "large") == LUA_TTABLE) read_large(L, lua_gettop(L), h);
  lua_pop(L, 1);
  if (lua_getfield(L, idx, "latin1") == LUA_TTABLE) {   /* {code points made before the script} */
    int t = lua_gettop(L);
    lua_Integer n = (lua_Integer)lua_rawlen(L, t);
    if (n > 256) luaL_error(L, "startup: latin1 lists at most 256 characters");
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, t, i);
      if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0 || lua_tointeger(L, -1) > 255)
        luaL_error(L, "startup: latin1 lists code points from 0 to 255");
      h->latin1[lua_tointeger(L, -1)] = 1;
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  h->arenas_aligned = (uint32_t)opt_count(L, idx, "arenas_aligned", 1 << 20);
  h->new_arenas = (uint32_t)opt_count(L, idx, "new_arenas", 1 << 20);
  h->new_arenas_aligned = (uint32_t)opt_count(L, idx, "new_arenas_aligned", 1 << 20);
  h->long_lived_total = opt_count(L, idx, "long_lived_total", MS_SHAPE_MAX_OBJECTS);
  h->gc_edges_each = (uint32_t)opt_count(L, idx, "gc_edges_each", 1 << 20);
  h->gc_bytes_each = (uint32_t)opt_count(L, idx, "gc_bytes_each", 1 << 20);
  if (lua_getfield(L, idx, "long_lived_pending") != LUA_TNIL)
    h->long_lived_pending = opt_count(L, idx, "long_lived_pending", MS_SHAPE_MAX_OBJECTS);
  lua_pop(L, 1);
}

/*
** A simulator's own metatable, made last: its __index is a table of the
** methods, sim.gc and sim.sys, so that `sim:append(...)` is one table
** lookup in the VM, not a call into C per method (the VM follows a table
** __index by itself).  Names that are not there reach l_module_index,
** which says what is.  The shared memsim.Sim metatable (set first, for
** its __gc should an error come before this) has the rest.
*/
/* every field of the table on top into the table just below it; the top popped */
static void copy_fields_down(lua_State *L) {
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, -5);
  }
  lua_pop(L, 1);
}

static void set_sim_metatable(lua_State *L, int self) {
  lua_createtable(L, 0, 5);                 /* the metatable */
  luaL_getmetatable(L, SIM_MT);             /* __gc, __close, __tostring, __metatable */
  copy_fields_down(L);
  lua_createtable(L, 0, 128);               /* its __index */
  lua_getfield(L, LUA_REGISTRYINDEX, "memsim.methods");
  copy_fields_down(L);
  lua_getiuservalue(L, self, 1);            /* sim.gc, sim.sys */
  lua_getfield(L, -1, "gc");
  lua_setfield(L, -3, "gc");
  lua_getfield(L, -1, "sys");
  lua_setfield(L, -3, "sys");
  lua_pop(L, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, "memsim.missing");
  lua_setmetatable(L, -2);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, self);
}

/*
** cost = {gc_edge = 2.5, ...}: the simulated clock's costs, in ns, over
** the profile's (profile.h says what each is; calibrate.py fits them).
*/
static void read_costs(lua_State *L, int t, ms_Config *c, ms_Costs *costs) {
  if (!lua_istable(L, t)) luaL_argerror(L, 1, "option 'cost' must be a table of name = nanoseconds");
  const ms_Profile *p = ms_profile_find(c->profile);
  if (p == NULL) luaL_argerror(L, 1, "unknown profile");
  *costs = p->cost;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    lua_Number ns = lua_tonumber(L, -1);
    if (k == NULL || !lua_isnumber(L, -1) || ms_cost_set(costs, k, ns) < 0) {
      luaL_Buffer b;
      luaL_buffinit(L, &b);
      luaL_addstring(&b, "option 'cost': each entry is a cost's name and a number of ns from 0 "
                         "to 10^6; the names are");
      for (int i = 0; ms_cost_name(i); i++) {
        luaL_addstring(&b, i ? ", " : " ");
        luaL_addstring(&b, ms_cost_name(i));
      }
      luaL_pushresult(&b);
      luaL_argerror(L, 1, lua_tostring(L, -1));
    }
    lua_pop(L, 1);
  }
  c->costs = costs;
}

static int l_new(lua_State *L) {
  ms_Config c;
  ms_Costs costs;
  ms_config_default(&c);
  ms_HeapShape shape;
  int check = 0, shaped = 0, explicit_startup = 0;
  if (!lua_isnoneornil(L, 1)) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 1)) {
      if (lua_type(L, -2) != LUA_TSTRING) luaL_argerror(L, 1, "option names must be strings");
      const char *k = lua_tostring(L, -2);
      int known = 0;
      for (int i = 0; new_options[i]; i++) known |= strcmp(k, new_options[i]) == 0;
      if (!known)
        luaL_argerror(L, 1, lua_pushfstring(L, "unknown option '%s' (profile, allocator, gc, "
                                               "seed, memory_limit, check, startup, hash_seed, cost)", k));
      lua_pop(L, 1);
    }
    if (lua_getfield(L, 1, "profile") != LUA_TNIL) c.profile = luaL_checkstring(L, -1);
    if (lua_getfield(L, 1, "allocator") != LUA_TNIL) c.allocator = luaL_checkstring(L, -1);
    if (lua_getfield(L, 1, "gc") != LUA_TNIL) {
      if (!lua_isboolean(L, -1)) luaL_argerror(L, 1, "option 'gc' must be true or false");
      c.gc_enabled = lua_toboolean(L, -1);
    }
    if (lua_getfield(L, 1, "seed") != LUA_TNIL) {
      if (!lua_isinteger(L, -1)) luaL_argerror(L, 1, "option 'seed' must be an integer");
      c.seed = (uint64_t)lua_tointeger(L, -1);
    }
    if (lua_getfield(L, 1, "hash_seed") != LUA_TNIL) {   /* PYTHONHASHSEED */
      if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0 || lua_tointeger(L, -1) > 4294967295)
        luaL_argerror(L, 1, "option 'hash_seed' must be a whole number from 0 to 4294967295 (PYTHONHASHSEED)");
      c.hash_seed = (uint32_t)lua_tointeger(L, -1);
    }
    if (lua_getfield(L, 1, "memory_limit") != LUA_TNIL) {
      lua_Number n = lua_tonumber(L, -1);
      if (!lua_isnumber(L, -1) || !(n >= 1048576 && n <= 1e15))   /* NaN fails too */
        luaL_argerror(L, 1, "option 'memory_limit' must be a number of bytes >= 1 MiB");
      c.memory_limit = (uint64_t)n;
    }
    if (lua_getfield(L, 1, "check") != LUA_TNIL) {
      const char *how = lua_tostring(L, -1);
      check = how && strcmp(how, "abort") == 0 ? 2 : lua_toboolean(L, -1);
    }
    int t = lua_getfield(L, 1, "startup");
    if (t != LUA_TNIL && t != LUA_TBOOLEAN && t != LUA_TTABLE)
      luaL_argerror(L, 1, "option 'startup' must be true, false or a table");
    if (t != LUA_TNIL && lua_toboolean(L, -1)) {
      read_shape(L, -1, &shape, c.profile ? c.profile : MS_PROFILE_DEFAULT);
      shaped = 1;
    }
    explicit_startup = t != LUA_TNIL;
    if (lua_getfield(L, 1, "cost") != LUA_TNIL) read_costs(L, lua_gettop(L), &c, &costs);
    lua_settop(L, 1);
  }
  /*
  ** The default heap is the real one: a script written as memsim.new{} is
  ** compared with a real interpreter, which has made thousands of objects
  ** before its first line.  Each profile's start-up heap was measured on
  ** its interpreter (scripts/measure_startup.py); a profile without one
  ** starts empty.  startup = false asks for the empty heap.
  */
  const char *profile_name = c.profile ? c.profile : MS_PROFILE_DEFAULT;
  if (!explicit_startup && startup_of(profile_name) >= 0) {
    int base = lua_gettop(L);
    lua_pushboolean(L, 1);
    read_shape(L, -1, &shape, profile_name);
    lua_settop(L, base);
    shaped = 1;
  }
  lua_getfield(L, LUA_REGISTRYINDEX, "memsim.check");
  check |= lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (c.memory_limit == 0) {                /* --memory-limit */
    lua_getfield(L, LUA_REGISTRYINDEX, "memsim.memory_limit");
    c.memory_limit = (uint64_t)lua_tointeger(L, -1);
    lua_pop(L, 1);
  }
  char err[256];
  LSim *ls = lua_newuserdatauv(L, sizeof(LSim), 1);
  memset(ls, 0, sizeof *ls);                /* every field, those added later too */
  ls->magic = SIM_MAGIC;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &obj_mt_key);
  ls->obj_mt_ref = (int)lua_tointeger(L, -1);
  lua_pop(L, 1);
  ls->sim = NULL;
  ls->replay = NULL;
  memset(&ls->refs, 0, sizeof ls->refs);
  luaL_setmetatable(L, SIM_MT);
  ls->sim = ms_sim_new(&c, err, sizeof err);
  if (ls->sim == NULL) return luaL_error(L, "memsim.new: %s", err);
  ls->serial = ++sim_serials;
  ls->check = check;
  ms_sim_set_stop(ls->sim, &stop_flag);
  ms_sim_on_gc(ls->sim, note_pause, ls);
  lua_getfield(L, LUA_REGISTRYINDEX, "memsim.explain");   /* --explain[=N] */
  lua_Integer explain = lua_tointeger(L, -1);
  lua_pop(L, 1);
  if (explain > 0) ms_sim_explain(ls->sim, explain_to_stdout, NULL, (uint64_t)explain);
  if (shaped && ms_shape_heap(ls->sim, &shape) < 0)
    return luaL_error(L, "memsim.new: %s", ms_sim_error(ls->sim));
  ms_series_start(ls->sim);
  /* sim.gc and sim.sys: tables of closures over the simulator */
  int self = lua_gettop(L);
  lua_createtable(L, 0, 2);
  lua_getfield(L, LUA_REGISTRYINDEX, "memsim.gcfuncs");
  lua_getfield(L, LUA_REGISTRYINDEX, "memsim.sysfuncs");
  for (int which = 0; which < 2; which++) {
    int lib = lua_gettop(L) - 1 + which;
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, lib)) {
      lua_CFunction f = lua_tocfunction(L, -1);
      lua_pop(L, 1);
      lua_pushvalue(L, -1);                 /* key */
      lua_pushvalue(L, self);
      lua_pushcclosure(L, f, 1);
      lua_settable(L, -4);
    }
    lua_createtable(L, 0, 3);             /* a name not there: AttributeError */
    lua_pushcfunction(L, l_module_index);
    lua_setfield(L, -2, "__index");
    lua_pushstring(L, which ? "sim.sys" : "sim.gc");
    lua_setfield(L, -2, "__memsim_name");
    lua_pushliteral(L, "memsim module");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_setfield(L, self + 1, which ? "sys" : "gc");
  }
  lua_pop(L, 2);
  lua_setiuservalue(L, self, 1);
  set_sim_metatable(L, self);
  return 1;
}

/* ====================================================================
** Objects
** ==================================================================== */

static int l_obj_new(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  check_up_table(L, 1);
  const char *name = luaL_checkstring(L, 2);
  lua_pushvalue(L, 2);
  int t = lua_rawget(L, lua_upvalueindex(1)) == LUA_TNUMBER ? (int)lua_tointeger(L, -1) : -1;
  lua_pop(L, 1);
  uint32_t id = 0;
  if (t == MS_NONE) {
    push_obj(L, ls, ms_new(ls->sim, MS_NONE, 0));
    return 1;
  }
  if (t < 0 || t == MS_SEQITER || t == MS_DICTITER || t == MS_SETITER || t == MS_SLOTTED || t == MS_DICTVIEW ||
      t == MS_BOOL)
    return luaL_argerror(L, 2, lua_pushfstring(L, "unknown type '%s' (int, float, str, bytes, "
                                                  "tuple, list, dict, set, object, generator, "
                                                  "function, range, range_iterator, cell, method; "
                                                  "iterators come from sim:iter, True and False from "
                                                  "sim:literal)", name));
  if (t == MS_INT) {
    if (lua_istable(L, 3)) {
      lua_getfield(L, 3, "digits");
      id = ms_new_bigint(ls->sim, (uint32_t)check_size(L, -1, "digits"));
    } else {
      if (!lua_isinteger(L, 3))
        return luaL_argerror(L, 3, "int value expected (an integer, or {digits = k})");
      id = ms_new_int(ls->sim, lua_tointeger(L, 3));
    }
  } else if (t == MS_FLOAT && !lua_isnoneornil(L, 3)) {   /* a float with a value */
    if (lua_type(L, 3) != LUA_TNUMBER) return luaL_argerror(L, 3, "a float's value: a number expected");
    id = ms_new_float(ls->sim, (double)lua_tonumber(L, 3));
  } else if (t == MS_OBJECT && lua_istable(L, 4)) {  /* class C: __slots__ = (...) */
    const char *cls = check_name(L, 3, "class name");
    lua_Integer n = luaL_len(L, 4);
    if (n > 30) return luaL_argerror(L, 4, "__slots__: at most 30 names");
    const char *names[30];
    for (lua_Integer i = 1; i <= n; i++) {
      if (lua_rawgeti(L, 4, i) != LUA_TSTRING) return luaL_argerror(L, 4, "__slots__ must be a list of names");
      names[i - 1] = check_name(L, -1, "a slot's name");
      lua_pop(L, 1);                       /* the list keeps the string alive */
    }
    id = ms_new_slotted(ls->sim, cls, names, (uint32_t)n);
  } else if (t == MS_OBJECT) {
    id = ms_new_instance(ls->sim, lua_isnoneornil(L, 3) ? "C" : check_name(L, 3, "class name"));
  } else if (t == MS_CELL) {                 /* a cell, empty or holding the object given */
    id = ms_new_cell(ls->sim, lua_isnoneornil(L, 3) ? 0 : check_obj(L, ls, 3));
  } else if (t == MS_METHOD) {               /* obj.f as a value */
    if (lua_isnoneornil(L, 3)) return luaL_argerror(L, 3, "a method needs its self: sim:new(\"method\", obj)");
    id = ms_new_method(ls->sim, check_obj(L, ls, 3));
  } else if (t == MS_FUNCTION && lua_istable(L, 3)) {   /* {closure = tuple of cells} */
    lua_getfield(L, 3, "closure");
    id = ms_new_function(ls->sim, lua_isnil(L, -1) ? 0 : check_obj(L, ls, lua_gettop(L)));
  } else if ((t == MS_STR || t == MS_BYTES) && lua_type(L, 3) == LUA_TSTRING) {
    size_t n;
    const char *text = lua_tolstring(L, 3, &n);
    host_reserve(L, 4 * (uint64_t)n);       /* the decoded characters */
    id = ms_new_text(ls->sim, t, text, n);
  } else if (t == MS_STR || t == MS_BYTES) {
    id = ms_new(ls->sim, t, check_size(L, 3, "size"));
  } else if (t == MS_RANGE) {                /* range(n): a length, or none */
    id = ms_new(ls->sim, t, lua_isnoneornil(L, 3) ? 0 : check_size(L, 3, "length"));
  } else if (t == MS_TUPLE || t == MS_LIST || t == MS_GENERATOR) {
    int64_t n = t == MS_TUPLE || !lua_isnoneornil(L, 3) ? check_size(L, 3, "size") : 0;
    host_reserve(L, 4 * (uint64_t)n);       /* the host's copy of the item array */
    id = ms_new(ls->sim, t, n);
  } else {
    if (!lua_isnoneornil(L, 3)) return luaL_argerror(L, 3, lua_pushfstring(L, "%s takes no size", name));
    id = ms_new(ls->sim, t, 0);
  }
  done(L, ls, id ? 0 : -1);
  push_obj(L, ls, id);
  return 1;
}


/* container index (0-based, negative from the end) or dict key */
static void item_arg(lua_State *L, LSim *ls, uint32_t c, int arg, int64_t *index, uint32_t *key) {
  int t = ms_obj_type(ls->sim, c);
  *index = 0;
  *key = 0;
  if (t == MS_DICT || t == MS_SET) {
    *key = check_obj(L, ls, arg);
  } else if (t == MS_LIST || t == MS_TUPLE || t == MS_GENERATOR) {
    if (!lua_isinteger(L, arg)) luaL_argerror(L, arg, "integer index expected");
    *index = lua_tointeger(L, arg);
  } else {
    luaL_argerror(L, 2, lua_pushfstring(L, "'%s' object is not a container", ms_type_name(t)));
  }
}

static int l_setitem(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t c = check_obj(L, ls, 2), key, v = check_obj(L, ls, 4);
  int64_t index;
  if (ms_obj_type(ls->sim, c) == MS_SET) return luaL_argerror(L, 2, "use sim:add(set, x) for sets");
  item_arg(L, ls, c, 3, &index, &key);
  done(L, ls, ms_setitem(ls->sim, c, index, key, v));
  return 0;
}

static int l_getitem(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t c = check_obj(L, ls, 2), key, out;
  int64_t index;
  item_arg(L, ls, c, 3, &index, &key);
  done(L, ls, ms_getitem(ls->sim, c, index, key, &out));
  push_obj(L, ls, out);
  return 1;
}

static int l_delitem(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t c = check_obj(L, ls, 2), key;
  int64_t index;
  item_arg(L, ls, c, 3, &index, &key);
  done(L, ls, ms_delitem(ls->sim, c, index, key));
  return 0;
}

static int l_append(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t l = check_obj(L, ls, 2), v = check_obj(L, ls, 3);
  if (ms_obj_type(ls->sim, l) != MS_LIST)
    return luaL_argerror(L, 2, lua_pushfstring(L, "list expected, got %s", ms_type_name(ms_obj_type(ls->sim, l))));
  done(L, ls, ms_append(ls->sim, l, v));
  return 0;
}

/* ---- list methods (listobject.c): the Python each stands for is in the README ---- */

static uint32_t check_list(lua_State *L, LSim *ls, int arg) {
  uint32_t l = check_obj(L, ls, arg);
  if (ms_obj_type(ls->sim, l) != MS_LIST)
    luaL_argerror(L, arg, lua_pushfstring(L, "list expected, got %s", ms_type_name(ms_obj_type(ls->sim, l))));
  return l;
}

static uint32_t check_seq(lua_State *L, LSim *ls, int arg) {
  uint32_t q = check_obj(L, ls, arg);
  int t = ms_obj_type(ls->sim, q);
  if (t != MS_LIST && t != MS_TUPLE)
    luaL_argerror(L, arg, lua_pushfstring(L, "list or tuple expected, got %s", ms_type_name(t)));
  return q;
}

static int64_t check_index(lua_State *L, int arg) {
  lua_Integer i = luaL_checkinteger(L, arg);
  if (i > MS_MAX_COUNT || i < -MS_MAX_COUNT) luaL_argerror(L, arg, "index out of range");
  return i;
}

/* a new list from a core call, or the core's error */
static int push_new(lua_State *L, LSim *ls, uint32_t id) {
  done(L, ls, id ? 0 : -1);
  push_obj(L, ls, id);
  return 1;
}

static int l_insert(lua_State *L) {                /* l.insert(i, x) */
  LSim *ls = check_sim(L, 1);
  uint32_t l = check_list(L, ls, 2);
  int64_t i = check_index(L, 3);
  uint32_t v = check_obj(L, ls, 4);
  host_reserve(L, 4 * ((uint64_t)ms_len(ls->sim, l) + 8));
  done(L, ls, ms_list_insert(ls->sim, l, i, v));
  return 0;
}

static int l_pop(lua_State *L) {                   /* x = l.pop([i]), v = d.pop(k[, default]) */
  LSim *ls = check_sim(L, 1);
  uint32_t c = check_obj(L, ls, 2);
  if (ms_obj_type(ls->sim, c) == MS_DICT) {
    uint32_t k = check_obj(L, ls, 3), dflt = lua_isnoneornil(L, 4) ? 0 : check_obj(L, ls, 4), out = 0;
    done(L, ls, ms_dict_pop(ls->sim, c, k, dflt, &out));
    push_obj(L, ls, out);
    return 1;
  }
  if (ms_obj_type(ls->sim, c) == MS_SET) {
    uint32_t out = 0;
    done(L, ls, ms_set_pop(ls->sim, c, &out));
    push_obj(L, ls, out);
    return 1;
  }
  uint32_t l = check_list(L, ls, 2), out = 0;
  int has = !lua_isnoneornil(L, 3);
  int64_t i = has ? check_index(L, 3) : -1;
  done(L, ls, ms_list_pop(ls->sim, l, i, has, &out));
  push_obj(L, ls, out);
  return 1;
}

static int l_remove(lua_State *L) {                /* l.remove(x), s.remove(x): x found by identity */
  LSim *ls = check_sim(L, 1);
  uint32_t c = check_obj(L, ls, 2);
  if (ms_obj_type(ls->sim, c) == MS_SET) {
    done(L, ls, ms_set_discard(ls->sim, c, check_obj(L, ls, 3), 1));
    return 0;
  }
  uint32_t l = check_list(L, ls, 2), v = check_obj(L, ls, 3);
  done(L, ls, ms_list_remove(ls->sim, l, v));
  return 0;
}

static int l_clear(lua_State *L) {                 /* l.clear(), d.clear() */
  LSim *ls = check_sim(L, 1);
  uint32_t c = check_obj(L, ls, 2);
  if (ms_obj_type(ls->sim, c) == MS_DICT) done(L, ls, ms_dict_clear(ls->sim, c));
  else if (ms_obj_type(ls->sim, c) == MS_SET) done(L, ls, ms_set_clear(ls->sim, c));
  else done(L, ls, ms_list_clear(ls->sim, check_list(L, ls, 2)));
  return 0;
}

static uint32_t check_dict(lua_State *L, LSim *ls, int arg) {
  uint32_t d = check_obj(L, ls, arg);
  if (ms_obj_type(ls->sim, d) != MS_DICT)
    luaL_argerror(L, arg, lua_pushfstring(L, "dict expected, got %s", ms_type_name(ms_obj_type(ls->sim, d))));
  return d;
}

static int l_popitem(lua_State *L) {               /* (k, v) = d.popitem() */
  LSim *ls = check_sim(L, 1);
  uint32_t d = check_dict(L, ls, 2), out = 0;
  done(L, ls, ms_dict_popitem(ls->sim, d, &out));
  push_obj(L, ls, out);
  return 1;
}

static int l_setdefault(lua_State *L) {            /* v = d.setdefault(k, default) */
  LSim *ls = check_sim(L, 1);
  uint32_t d = check_dict(L, ls, 2), k = check_obj(L, ls, 3), dflt = check_obj(L, ls, 4), out = 0;
  host_reserve(L, 8 * ((uint64_t)ms_len(ls->sim, d) + 8));
  done(L, ls, ms_dict_setdefault(ls->sim, d, k, dflt, &out));
  push_obj(L, ls, out);
  return 1;
}

static int l_update(lua_State *L) {                /* d.update(other dict), s.update(set, list or tuple) */
  LSim *ls = check_sim(L, 1);
  uint32_t c = check_obj(L, ls, 2);
  if (ms_obj_type(ls->sim, c) == MS_SET) {
    uint32_t o = check_obj(L, ls, 3);
    host_reserve(L, 8 * ((uint64_t)ms_len(ls->sim, c) + (uint64_t)ms_len(ls->sim, o) + 8));
    done(L, ls, ms_set_update(ls->sim, c, o));
    return 0;
  }
  uint32_t d = check_dict(L, ls, 2), o = check_dict(L, ls, 3);
  host_reserve(L, 24 * ((uint64_t)ms_len(ls->sim, d) + (uint64_t)ms_len(ls->sim, o) + 8));
  done(L, ls, ms_dict_update(ls->sim, d, o));
  return 0;
}

static int l_extend(lua_State *L) {                /* l.extend(seq), l += seq */
  LSim *ls = check_sim(L, 1);
  uint32_t l = check_list(L, ls, 2), q = check_seq(L, ls, 3);
  host_reserve(L, 4 * ((uint64_t)ms_len(ls->sim, l) + (uint64_t)ms_len(ls->sim, q) + 8));
  done(L, ls, ms_list_extend(ls->sim, l, q));
  return 0;
}

/* i, j of a slice: Python's defaults (nil: the start, the end) */
static void slice_args(lua_State *L, LSim *ls, uint32_t l, int arg, int64_t *lo, int64_t *hi) {
  int64_t n = ms_len(ls->sim, l);
  *lo = lua_isnoneornil(L, arg) ? 0 : check_index(L, arg);
  *hi = lua_isnoneornil(L, arg + 1) ? n : check_index(L, arg + 1);
}

static int text_arg(LSim *ls, uint32_t id) {
  int t = ms_obj_type(ls->sim, id);
  return t == MS_STR || t == MS_BYTES;
}

static int l_slice(lua_State *L) {                 /* l[i:j], s[i:j] */
  LSim *ls = check_sim(L, 1);
  uint32_t c = check_obj(L, ls, 2);
  if (text_arg(ls, c)) {
    int64_t lo, hi;
    slice_args(L, ls, c, 3, &lo, &hi);
    host_reserve(L, 8 * (uint64_t)ms_len(ls->sim, c));
    return push_new(L, ls, ms_str_slice(ls->sim, c, lo, hi));
  }
  uint32_t l = check_list(L, ls, 2);
  int64_t lo, hi;
  slice_args(L, ls, l, 3, &lo, &hi);
  host_reserve(L, 4 * (uint64_t)ms_len(ls->sim, l));
  return push_new(L, ls, ms_list_slice(ls->sim, l, lo, hi));
}

static int l_copy(lua_State *L) {                  /* l.copy(), d.copy() */
  LSim *ls = check_sim(L, 1);
  uint32_t c = check_obj(L, ls, 2);
  if (ms_obj_type(ls->sim, c) == MS_DICT) {
    host_reserve(L, 24 * ((uint64_t)ms_len(ls->sim, c) + 8));
    return push_new(L, ls, ms_dict_copy(ls->sim, c));
  }
  if (ms_obj_type(ls->sim, c) == MS_SET) {
    host_reserve(L, 8 * ((uint64_t)ms_len(ls->sim, c) + 8));
    return push_new(L, ls, ms_set_from(ls->sim, c));
  }
  uint32_t l = check_list(L, ls, 2);
  host_reserve(L, 4 * (uint64_t)ms_len(ls->sim, l));
  return push_new(L, ls, ms_list_slice(ls->sim, l, 0, ms_len(ls->sim, l)));
}

/* l[i:j] = seq; negative i, j count from the end as in Python */
static void abs_slice(LSim *ls, uint32_t l, int64_t *lo, int64_t *hi) {
  int64_t n = ms_len(ls->sim, l);
  if (*lo < 0) *lo = *lo + n < 0 ? 0 : *lo + n;
  if (*hi < 0) *hi = *hi + n < 0 ? 0 : *hi + n;
}

static int l_setslice(lua_State *L) {              /* l[i:j] = seq */
  LSim *ls = check_sim(L, 1);
  uint32_t l = check_list(L, ls, 2);
  int64_t lo, hi;
  slice_args(L, ls, l, 3, &lo, &hi);
  uint32_t q = check_seq(L, ls, 5);
  abs_slice(ls, l, &lo, &hi);
  host_reserve(L, 4 * (2 * (uint64_t)ms_len(ls->sim, l) + (uint64_t)ms_len(ls->sim, q) + 8));
  done(L, ls, ms_list_setslice(ls->sim, l, lo, hi, q));
  return 0;
}

static int l_delslice(lua_State *L) {              /* del l[i:j] */
  LSim *ls = check_sim(L, 1);
  uint32_t l = check_list(L, ls, 2);
  int64_t lo, hi;
  slice_args(L, ls, l, 3, &lo, &hi);
  abs_slice(ls, l, &lo, &hi);
  done(L, ls, ms_list_setslice(ls->sim, l, lo, hi, 0));
  return 0;
}

static int l_concat(lua_State *L) {                /* a + b */
  LSim *ls = check_sim(L, 1);
  uint32_t x = check_obj(L, ls, 2);
  if (text_arg(ls, x)) {
    uint32_t y = check_obj(L, ls, 3);
    host_reserve(L, 8 * ((uint64_t)ms_len(ls->sim, x) + (uint64_t)ms_len(ls->sim, y)));
    return push_new(L, ls, ms_str_concat(ls->sim, x, y));
  }
  uint32_t a = check_list(L, ls, 2), b = check_list(L, ls, 3);
  host_reserve(L, 4 * ((uint64_t)ms_len(ls->sim, a) + (uint64_t)ms_len(ls->sim, b)));
  return push_new(L, ls, ms_list_concat(ls->sim, a, b));
}

static int64_t check_times(lua_State *L, LSim *ls, uint32_t l, int arg) {
  lua_Integer n = luaL_checkinteger(L, arg);
  uint64_t len = (uint64_t)ms_len(ls->sim, l);
  if (n > 0 && len > 0 && (uint64_t)n > MS_MAX_COUNT / len)
    luaL_argerror(L, arg, "the list would pass 2^31-1 items");
  if (n > 0) host_reserve(L, 4 * len * (uint64_t)n);
  return n;
}

/*
** a = sim:iconcat(a, b): Python's a += b.  The script's reference to A is
** the local being rebound: it is taken, and the result's handed back (the
** same object when a str grew in place or a list was extended).
*/
static int l_iconcat(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t a = check_obj(L, ls, 2), b = check_obj(L, ls, 3);
  int t = ms_obj_type(ls->sim, a);
  if (t != MS_STR && t != MS_BYTES && t != MS_LIST)
    return luaL_argerror(L, 2, lua_pushfstring(L, "a str, bytes or list expected, got %s", ms_type_name(t)));
  host_reserve(L, 8 * ((uint64_t)ms_len(ls->sim, a) + (uint64_t)ms_len(ls->sim, b)));
  if (!script_ref_drop(ls, a))
    return luaL_error(L, "iconcat: the script holds no reference to this %s to give up", ms_type_name(t));
  uint32_t r = ms_inplace_concat(ls->sim, a, b);
  if (r == 0) script_ref_add(ls, a);       /* failed: the script keeps its reference */
  return push_new(L, ls, r);
}

/*
** c = sim:op(a, OP, b): Python's a OP b.  Ints: + - * // % ** << (as
** long_add, long_sub, long_mul, long_div, long_mod, long_pow, long_lshift
** allocate); with a float, or int / int: + - * / // % ** (one float);
** str, bytes, lists: + and *
** (B an int object or a Lua integer, a constant); sets: | & -.  With
** "+=", "-=", "*=", "<<=": the augmented assignment, the script's
** reference to A taken (the rebound local) and the result's handed back.
*/
static int l_op(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t a = check_obj(L, ls, 2);
  size_t oplen;
  const char *op = luaL_checklstring(L, 3, &oplen);
  char base[4] = {0};
  int inplace = oplen >= 2 && op[oplen - 1] == '=' && oplen <= 3;
  if (oplen - (size_t)inplace > 2 || oplen == 0) return luaL_argerror(L, 3, "an operator expected: + - * / // % ** << | & (or +=, -=, ...)");
  memcpy(base, op, oplen - (size_t)inplace);
  uint32_t b;
  if (lua_type(L, 4) == LUA_TNUMBER) {     /* a constant of the code: static, the code object holds it */
    b = lua_isinteger(L, 4) ? ms_int_literal(ls->sim, lua_tointeger(L, 4))
                            : ms_float_literal(ls->sim, (double)lua_tonumber(L, 4));
    done(L, ls, b ? 0 : -1);
    ms_decref(ls->sim, b);
  } else {
    b = check_obj(L, ls, 4);
  }
  int ta = ms_obj_type(ls->sim, a), tb = ms_obj_type(ls->sim, b);
  uint32_t r = 0;
  int64_t la = ta == MS_INT ? 0 : ms_len(ls->sim, a), lb = tb == MS_INT ? 0 : ms_len(ls->sim, b);
  host_reserve(L, 8 * ((uint64_t)(la > 0 ? la : 0) + (uint64_t)(lb > 0 ? lb : 0)));   /* no len: -1 */
  if (inplace && !script_ref_drop(ls, a))
    return luaL_error(L, "%s: the script holds no reference to this %s to give up", op, ms_type_name(ta));
  int64_t n = 0;
  int numbers = (ta == MS_INT || ta == MS_FLOAT || ta == MS_BOOL) && (tb == MS_INT || tb == MS_FLOAT || tb == MS_BOOL);
  if (numbers && (ta == MS_FLOAT || tb == MS_FLOAT || strcmp(base, "/") == 0)) {
    r = ms_float_binop(ls->sim, a, base, b);
    if (r && inplace) ms_decref(ls->sim, a);
  } else if (ta == MS_INT) {
    r = ms_int_binop(ls->sim, a, base, b);
    if (r && inplace) ms_decref(ls->sim, a);
  } else if (strcmp(base, "+") == 0 && (ta == MS_STR || ta == MS_BYTES || ta == MS_LIST)) {
    r = inplace ? ms_inplace_concat(ls->sim, a, b) : ta == MS_LIST ? ms_list_concat(ls->sim, a, b) : ms_str_concat(ls->sim, a, b);
  } else if (strcmp(base, "*") == 0 && (ta == MS_STR || ta == MS_BYTES || ta == MS_LIST) && tb == MS_INT &&
             ms_int_value(ls->sim, b, &n)) {
    uint64_t len = (uint64_t)ms_len(ls->sim, a);
    if (n > 0 && len > 0 && (uint64_t)n > MS_MAX_COUNT / len) {
      if (inplace) script_ref_add(ls, a);
      return luaL_argerror(L, 4, "the result would pass 2^31-1 items");
    }
    if (n > 0) host_reserve(L, 8 * len * (uint64_t)n);
    if (ta == MS_LIST && inplace) {
      r = ms_list_irepeat(ls->sim, a, n) < 0 ? 0 : a;
    } else {
      r = ta == MS_LIST ? ms_list_repeat(ls->sim, a, n) : ms_str_repeat(ls->sim, a, n);
      if (r && inplace) ms_decref(ls->sim, a);
    }
  } else if (!inplace && ta == MS_STR && strcmp(base, "%") == 0) {
    r = ms_str_format(ls->sim, a, b);
  } else if (!inplace && ta == MS_SET && tb == MS_SET && (base[0] == '|' || base[0] == '&' || base[0] == '-') && !base[1]) {
    r = base[0] == '|' ? ms_set_union(ls->sim, a, b) : base[0] == '&' ? ms_set_intersection(ls->sim, a, b)
                                                      : ms_set_difference(ls->sim, a, b);
  } else {
    if (inplace) script_ref_add(ls, a);
    return luaL_error(L, "TypeError: memsim has no %s for '%s' and '%s' (ints: + - * / // %% ** <<; floats: + - * / // %% **; "
                         "str, bytes, list: + and *; str %% values; sets: | & -)", op, ms_type_name(ta), ms_type_name(tb));
  }
  if (r == 0 && inplace) script_ref_add(ls, a);
  return push_new(L, ls, r);
}

/* sep.join(seq) */
static int l_join(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t sep = check_obj(L, ls, 2), seq = check_obj(L, ls, 3);
  uint64_t total = ms_len(ls->sim, seq);
  if (ms_obj_type(ls->sim, seq) == MS_LIST || ms_obj_type(ls->sim, seq) == MS_TUPLE)
    total = total * (uint64_t)(ms_len(ls->sim, sep) + 16);
  host_reserve(L, 8 * total);
  return push_new(L, ls, ms_str_join(ls->sim, sep, seq));
}

/* str(o) */
static int l_str(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  return push_new(L, ls, ms_str_call(ls->sim, check_obj(L, ls, 2)));
}

/*
** f"...": sim:fstring("x = ", x, "!"): Lua strings are the constant parts,
** objects the {o} ones, a table {o, "spec"} a {o:spec}.
*/
static int l_fstring(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  int n = lua_gettop(L) - 1;
  if (n < 1 || n > 255) return luaL_argerror(L, 2, "1 to 255 pieces expected");
  luaL_checkstack(L, 2 * n, "f-string pieces");
  uint32_t objs[255];
  const char *texts[255], *specs[255];
  size_t lens[255], speclens[255], total = 0;
  int any_spec = 0;
  for (int i = 0; i < n; i++) {
    objs[i] = 0;
    texts[i] = specs[i] = NULL;
    lens[i] = speclens[i] = 0;
    int arg = i + 2, t = lua_type(L, arg);
    if (t == LUA_TSTRING) {
      texts[i] = lua_tolstring(L, arg, &lens[i]);
      total += lens[i];
      continue;
    }
    if (t == LUA_TTABLE) {                 /* {o, "spec"}: kept on the stack while in use */
      if (lua_rawgeti(L, arg, 2) != LUA_TSTRING || lua_rawlen(L, arg) != 2)
        return luaL_argerror(L, arg, "a formatted piece is {object, \"spec\"}");
      specs[i] = lua_tolstring(L, -1, &speclens[i]);
      any_spec = 1;
      lua_rawgeti(L, arg, 1);
      LObj *h = test_obj(L, -1);
      if (h == NULL) return luaL_argerror(L, arg, "a formatted piece is {object, \"spec\"}");
      lua_replace(L, arg);                 /* the object where the table was: checked as an argument */
    }
    objs[i] = check_obj(L, ls, arg);
    total += 24 + (ms_obj_type(ls->sim, objs[i]) == MS_STR ? (size_t)ms_len(ls->sim, objs[i]) : 0);
  }
  host_reserve(L, 8 * (uint64_t)total + 8 * 100000 * (uint64_t)any_spec);
  return push_new(L, ls, ms_fstring(ls->sim, (uint32_t)n, objs, texts, lens, any_spec ? specs : NULL, speclens));
}

/* s.split(sep=None, maxsplit=-1): sim:split(s [, sep [, maxsplit]]), SEP a str object or nil */
static int l_split(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t id = check_obj(L, ls, 2), sep = lua_isnoneornil(L, 3) ? 0 : check_obj(L, ls, 3);
  lua_Integer maxsplit = luaL_optinteger(L, 4, -1);
  host_reserve(L, 64 * ((uint64_t)ms_len(ls->sim, id) + 12));
  return push_new(L, ls, ms_str_split(ls->sim, id, sep, maxsplit));
}

/* s.strip(), s.lstrip(), s.rstrip(): whitespace */
static int strip_sides(lua_State *L, int left, int right) {
  LSim *ls = check_sim(L, 1);
  uint32_t id = check_obj(L, ls, 2);
  host_reserve(L, 8 * (uint64_t)ms_len(ls->sim, id));
  return push_new(L, ls, ms_str_strip(ls->sim, id, left, right));
}
static int str_case(lua_State *L, int upper) {
  LSim *ls = check_sim(L, 1);
  uint32_t id = check_obj(L, ls, 2);
  host_reserve(L, 16 * (uint64_t)ms_len(ls->sim, id));
  return push_new(L, ls, ms_str_case(ls->sim, id, upper));
}
static int l_upper(lua_State *L) { return str_case(L, 1); }
static int l_lower(lua_State *L) { return str_case(L, 0); }
static int l_strip(lua_State *L) { return strip_sides(L, 1, 1); }
static int l_lstrip(lua_State *L) { return strip_sides(L, 1, 0); }
static int l_rstrip(lua_State *L) { return strip_sides(L, 0, 1); }

/* -x, abs(x): sim:neg(x), sim:abs(x) */
static int l_neg(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  return push_new(L, ls, ms_number_unary(ls->sim, check_obj(L, ls, 2), "-"));
}

static int l_abs(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  return push_new(L, ls, ms_number_unary(ls->sim, check_obj(L, ls, 2), "abs"));
}

/* int(x), float(x) of a number: sim:int(x), sim:float(x) */
static int l_int(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  return push_new(L, ls, ms_number_call(ls->sim, "int", check_obj(L, ls, 2)));
}

static int l_float(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  return push_new(L, ls, ms_number_call(ls->sim, "float", check_obj(L, ls, 2)));
}

/* round(x), round(x, n): sim:round(x [, n]), N a Lua integer (a constant in the code) */
static int l_round(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t id = check_obj(L, ls, 2);
  int has_n = !lua_isnoneornil(L, 3);
  lua_Integer n = has_n ? luaL_checkinteger(L, 3) : 0;
  return push_new(L, ls, ms_number_round(ls->sim, id, has_n, n));
}

/* format(o, spec): sim:format_value(o, "spec") ("" or none: str(o)'s way) */
static int l_format_value(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t id = check_obj(L, ls, 2);
  size_t n = 0;
  const char *spec = luaL_optlstring(L, 3, "", &n);
  host_reserve(L, 8 * (uint64_t)(100000 + 24));
  return push_new(L, ls, ms_format(ls->sim, id, spec, n));
}

/* 'text' % (v1, v2, ...) as written in code; fmt % value is sim:op(fmt, "%", value) */
static int l_format(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  size_t len;
  const char *text = luaL_checklstring(L, 2, &len);
  int n = lua_gettop(L) - 2;
  if (n > 255) return luaL_argerror(L, 258, "at most 255 values");
  uint32_t vals[255];
  uint64_t total = len;
  for (int i = 0; i < n; i++) {
    vals[i] = check_obj(L, ls, i + 3);
    total += 24 + (ms_obj_type(ls->sim, vals[i]) == MS_STR ? (uint64_t)ms_len(ls->sim, vals[i]) : 0);
  }
  host_reserve(L, 8 * total);
  return push_new(L, ls, ms_str_format_code(ls->sim, text, len, (uint32_t)n, vals));
}

static int l_multiply(lua_State *L) {              /* l * n, s * n */
  LSim *ls = check_sim(L, 1);
  uint32_t x = check_obj(L, ls, 2);
  if (text_arg(ls, x)) {
    lua_Integer n = luaL_checkinteger(L, 3);
    uint64_t len = (uint64_t)ms_len(ls->sim, x);
    if (n > 0 && len > 0 && (uint64_t)n > MS_MAX_COUNT / len) return luaL_argerror(L, 3, "the result would pass 2^31-1 characters");
    if (n > 0) host_reserve(L, 8 * len * (uint64_t)n);
    return push_new(L, ls, ms_str_repeat(ls->sim, x, n));
  }
  uint32_t l = check_list(L, ls, 2);
  int64_t n = check_times(L, ls, l, 3);
  return push_new(L, ls, ms_list_repeat(ls->sim, l, n));
}

static int l_imultiply(lua_State *L) {             /* l *= n */
  LSim *ls = check_sim(L, 1);
  uint32_t l = check_list(L, ls, 2);
  int64_t n = check_times(L, ls, l, 3);
  done(L, ls, ms_list_irepeat(ls->sim, l, n));
  return 0;
}

static int l_reverse(lua_State *L) {               /* l.reverse() */
  LSim *ls = check_sim(L, 1);
  done(L, ls, ms_list_reverse(ls->sim, check_list(L, ls, 2)));
  return 0;
}

static int l_list(lua_State *L) {                  /* list(seq), list(range(n)) */
  LSim *ls = check_sim(L, 1);
  uint32_t q = check_obj(L, ls, 2);
  if (ms_obj_type(ls->sim, q) != MS_RANGE) q = check_seq(L, ls, 2);
  host_reserve(L, 4 * ((uint64_t)ms_len(ls->sim, q) + 2));
  return push_new(L, ls, ms_list_from(ls->sim, q));
}

/* ---- set methods (setobject.c) ---- */

static uint32_t check_set(lua_State *L, LSim *ls, int arg) {
  uint32_t e = check_obj(L, ls, arg);
  if (ms_obj_type(ls->sim, e) != MS_SET)
    luaL_argerror(L, arg, lua_pushfstring(L, "set expected, got %s", ms_type_name(ms_obj_type(ls->sim, e))));
  return e;
}

static int l_discard(lua_State *L) {               /* s.discard(x) */
  LSim *ls = check_sim(L, 1);
  uint32_t e = check_set(L, ls, 2);
  done(L, ls, ms_set_discard(ls->sim, e, check_obj(L, ls, 3), 0));
  return 0;
}

/* a | b, a & b, a - b: a new set */
static int set_binary(lua_State *L, uint32_t (*op)(ms_Sim *, uint32_t, uint32_t)) {
  LSim *ls = check_sim(L, 1);
  uint32_t a = check_set(L, ls, 2), b = check_set(L, ls, 3);
  host_reserve(L, 8 * ((uint64_t)ms_len(ls->sim, a) + (uint64_t)ms_len(ls->sim, b) + 8));
  return push_new(L, ls, op(ls->sim, a, b));
}

static int l_union(lua_State *L) { return set_binary(L, ms_set_union); }
static int l_intersection(lua_State *L) { return set_binary(L, ms_set_intersection); }
static int l_difference(lua_State *L) { return set_binary(L, ms_set_difference); }

static int l_set(lua_State *L) {                   /* set(x): x a set, list or tuple; none: set() */
  LSim *ls = check_sim(L, 1);
  uint32_t q = 0;
  if (!lua_isnoneornil(L, 2)) {
    q = check_obj(L, ls, 2);
    int t = ms_obj_type(ls->sim, q);
    if (t != MS_SET && t != MS_LIST && t != MS_TUPLE)
      return luaL_argerror(L, 2, lua_pushfstring(L, "set, list or tuple expected, got %s", ms_type_name(t)));
    host_reserve(L, 8 * ((uint64_t)ms_len(ls->sim, q) + 8));
  }
  return push_new(L, ls, ms_set_from(ls->sim, q));
}

static int l_add(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t e = check_obj(L, ls, 2), v = check_obj(L, ls, 3);
  if (ms_obj_type(ls->sim, e) != MS_SET)
    return luaL_argerror(L, 2, lua_pushfstring(L, "set expected, got %s", ms_type_name(ms_obj_type(ls->sim, e))));
  done(L, ls, ms_set_add(ls->sim, e, v));
  return 0;
}

/* sim:iter(seq): iter(list or tuple); iter(d) or, with "values" or "items", of d's view; iter(set) */
static int l_iter(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t seq = check_obj(L, ls, 2);
  int t = ms_obj_type(ls->sim, seq);
  uint32_t it;
  if (t == MS_DICT) {
    static const char *const kinds[] = {"keys", "values", "items", NULL};
    it = ms_new_dictiter(ls->sim, seq, luaL_checkoption(L, 3, "keys", kinds), !lua_isnoneornil(L, 3));
  } else if (t == MS_SET) {
    it = ms_new_setiter(ls->sim, seq);
  } else if (t != MS_LIST && t != MS_TUPLE) {
    return luaL_argerror(L, 2, lua_pushfstring(L, "list, tuple, dict or set expected, got %s", ms_type_name(t)));
  } else {
    it = ms_new_iter(ls->sim, seq);
  }
  return push_new(L, ls, it);
}

static int l_exhaust(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t it = check_obj(L, ls, 2);
  int t = ms_obj_type(ls->sim, it);
  if (t != MS_SEQITER && t != MS_DICTITER && t != MS_SETITER)
    return luaL_argerror(L, 2, "iterator expected (from sim:iter)");
  ms_iter_exhaust(ls->sim, it);
  done(L, ls, 0);
  return 0;
}

/* sim:append_range(list, start, stop [, local]) -> the new local */
static int l_append_range(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t l = check_obj(L, ls, 2);
  lua_Integer a = luaL_checkinteger(L, 3), b = luaL_checkinteger(L, 4);
  uint32_t local = lua_isnoneornil(L, 5) ? 0 : check_obj(L, ls, 5);
  /* b - a in unsigned arithmetic: signed, it overflows for far-apart ends */
  uint64_t count = b > a ? (uint64_t)b - (uint64_t)a : 0;
  if (count > (uint64_t)MS_MAX_COUNT) return luaL_argerror(L, 4, "range too long (at most 2^31-1 items)");
  host_reserve(L, 4 * count);
  if (local && !script_ref_drop(ls, local))      /* the loop drops it */
    return luaL_argerror(L, 5, "the script holds no reference to this object");
  int rc = ms_bulk_append_range(ls->sim, l, a, b, &local);
  if (rc < 0 && local) ms_decref(ls->sim, local);
  done(L, ls, rc);
  if (local) push_obj(L, ls, local);
  else lua_pushnil(L);
  return 1;
}

/* sim:slot_range(generator, slot, start, stop) */
static int l_slot_range(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t g = check_obj(L, ls, 2);
  lua_Integer slot = luaL_checkinteger(L, 3), a = luaL_checkinteger(L, 4), b = luaL_checkinteger(L, 5);
  if (slot < 0 || slot > 0x7fffffff) return luaL_argerror(L, 3, "bad slot");
  if (b > a && (uint64_t)b - (uint64_t)a > (uint64_t)MS_MAX_COUNT)
    return luaL_argerror(L, 5, "range too long (at most 2^31-1 steps)");
  done(L, ls, ms_bulk_slot_range(ls->sim, g, (uint32_t)slot, a, b));
  return 0;
}

static int l_len(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  int64_t n = ms_len(ls->sim, check_obj(L, ls, 2));
  done(L, ls, n < 0 ? -1 : 0);
  lua_pushinteger(L, n);
  return 1;
}


static int l_setattr(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t o = check_obj(L, ls, 2);
  const char *name = check_name(L, 3, "attribute name");
  done(L, ls, ms_setattr(ls->sim, o, name, check_obj(L, ls, 4)));
  return 0;
}

/* vars(obj) */
static int l_vars(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t o = check_obj(L, ls, 2), out;
  done(L, ls, ms_vars(ls->sim, o, &out));
  push_obj(L, ls, out);
  return 1;
}

static int l_getattr(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t o = check_obj(L, ls, 2), out;
  done(L, ls, ms_getattr(ls->sim, o, check_name(L, 3, "attribute name"), &out));
  push_obj(L, ls, out);
  return 1;
}

static int l_delattr(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t o = check_obj(L, ls, 2);
  done(L, ls, ms_delattr(ls->sim, o, check_name(L, 3, "attribute name")));
  return 0;
}

static int l_incref(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t o = check_obj(L, ls, 2);
  ms_incref(ls->sim, o);
  script_ref_add(ls, o);
  done(L, ls, 0);
  return 0;
}

static int l_decref(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t o = check_obj(L, ls, 2);
  if (!script_ref_drop(ls, o))
    return luaL_error(L, "decref below zero: the script holds no reference to this %s "
                         "(refcount %d is the containers')", ms_type_name(ms_obj_type(ls->sim, o)),
                      (int)ms_obj_refcnt(ls->sim, o));
  done(L, ls, ms_decref(ls->sim, o));
  return 0;
}

/*
** sim:literal(v [, "bytes"]): the constant v of a function's code, never
** allocated: a str (or bytes) from a Lua string, an int from an integer.
*/
static int l_literal(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t id;
  if (lua_type(L, 2) == LUA_TSTRING) {
    size_t n;
    const char *text = lua_tolstring(L, 2, &n);
    const char *kind = luaL_optstring(L, 3, "str");
    if (strcmp(kind, "str") != 0 && strcmp(kind, "bytes") != 0)
      return luaL_argerror(L, 3, "\"str\" or \"bytes\" expected");
    host_reserve(L, 4 * (uint64_t)n);
    id = ms_str_literal(ls->sim, kind[0] == 's' ? MS_STR : MS_BYTES, text, n);
  } else if (lua_isinteger(L, 2)) {
    id = ms_int_literal(ls->sim, lua_tointeger(L, 2));
  } else if (lua_type(L, 2) == LUA_TNUMBER) {   /* 1.5: a Lua float is a Python float */
    id = ms_float_literal(ls->sim, (double)lua_tonumber(L, 2));
  } else if (lua_isboolean(L, 2)) {          /* True, False */
    id = ms_bool(ls->sim, lua_toboolean(L, 2));
  } else {
    return luaL_argerror(L, 2, "a string (a str or bytes constant), a number or a boolean expected");
  }
  return push_new(L, ls, id);
}

/* sim:sort(l [, reverse]), sim:sorted(seq [, reverse]) */
static int l_sort(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t l = check_list(L, ls, 2);
  host_reserve(L, 8 * (uint64_t)ms_len(ls->sim, l));
  done(L, ls, ms_list_sort(ls->sim, l, lua_toboolean(L, 3)));
  return 0;
}

static int l_sorted(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t q = check_obj(L, ls, 2);
  if (ms_obj_type(ls->sim, q) != MS_RANGE) q = check_seq(L, ls, 2);
  host_reserve(L, 12 * ((uint64_t)ms_len(ls->sim, q) + 2));
  return push_new(L, ls, ms_sorted(ls->sim, q, lua_toboolean(L, 3)));
}

/* sim:reset_peak(): tracemalloc.reset_peak() (the peak of sim:stats() starts again from now) */
static int l_reset_peak(lua_State *L) {
  ms_sim_reset_peak(check_sim(L, 1)->sim);
  return 0;
}

/* sim:value(o): a Lua integer for an int made from a value (up to 64 bits),
   a Lua string for a str (UTF-8) or bytes made from text; nil otherwise */
static int l_value(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t id = check_obj(L, ls, 2);
  int64_t v;
  int t = ms_obj_type(ls->sim, id);
  if (t == MS_BOOL) {
    lua_pushboolean(L, id == ms_bool_id(ls->sim, 1));
    return 1;
  }
  if (ms_int_value(ls->sim, id, &v)) {
    lua_pushinteger(L, v);
    return 1;
  }
  double d;
  if (ms_float_value(ls->sim, id, &d)) {
    lua_pushnumber(L, (lua_Number)d);
    return 1;
  }
  if (t == MS_STR || t == MS_BYTES) {
    size_t cap = 4 * (size_t)ms_len(ls->sim, id) + 4;
    host_reserve(L, cap);
    char *buf = malloc(cap);
    if (buf == NULL) return luaL_error(L, "MemoryError: out of host memory");
    int64_t n = ms_text_of(ls->sim, id, buf, cap);
    if (n >= 0) lua_pushlstring(L, buf, (size_t)n);
    else lua_pushnil(L);
    free(buf);
    return 1;
  }
  lua_pushnil(L);
  return 1;
}

/*
** sim:display(kind, ...): a display, as the interpreter builds it from the
** values on its stack: "list" [a, b] (BUILD_LIST: exactly n slots), "tuple"
** (a, b), "set" {a, b} (BUILD_SET: an empty set, each added in order),
** "dict" {k: v, ...} (keys and values alternate; presized for n pairs).
*/
static int l_display(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  static const char *const kinds[] = {"list", "tuple", "set", "dict", NULL};
  int kind = luaL_checkoption(L, 2, NULL, kinds);
  int n = lua_gettop(L) - 2;
  if (n > 100000) return luaL_argerror(L, 3, "at most 100,000 items in a display");
  if (kind == 3 && n % 2 != 0) return luaL_argerror(L, 2 + n, "a dict display takes keys and values in pairs");
  uint32_t *items = malloc(((size_t)n + 1) * sizeof *items);
  if (items == NULL) return luaL_error(L, "MemoryError: out of host memory");
  for (int i = 0; i < n; i++) {
    LObj *h = test_obj(L, i + 3);
    if (h == NULL || !ms_obj_alive(ls->sim, h->id, h->serial) || h->simserial != ls->serial) {
      free(items);
      check_obj(L, ls, i + 3);             /* raises the argument error */
    }
    items[i] = h->id;
  }
  host_reserve(L, 32 * (uint64_t)n);
  uint32_t id = 0;
  if (kind == 3) {
    id = ms_dict_display(ls->sim, items, (uint32_t)n / 2);
  } else if (kind == 2) {
    id = ms_new(ls->sim, MS_SET, 0);
    for (int i = 0; id && i < n; i++)
      if (ms_set_add(ls->sim, id, items[i]) < 0) {
        ms_decref(ls->sim, id);
        id = 0;
      }
  } else {
    id = ms_new(ls->sim, kind == 0 ? MS_LIST : MS_TUPLE, n);
    for (int i = 0; id && i < n; i++) ms_setitem(ls->sim, id, i, 0, items[i]);
  }
  free(items);
  return push_new(L, ls, id);
}

/* sim:fromkeys(seq [, value]): dict.fromkeys(seq, value) (None by default) */
static int l_fromkeys(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint32_t seq = check_obj(L, ls, 2);
  uint32_t value = lua_isnoneornil(L, 3) ? 0 : check_obj(L, ls, 3);
  int t = ms_obj_type(ls->sim, seq);
  host_reserve(L, 48 * (uint64_t)(t == MS_LIST || t == MS_TUPLE || t == MS_DICT || t == MS_SET || t == MS_RANGE
                                      ? ms_len(ls->sim, seq) + 8 : 8));
  uint32_t none = value ? 0 : ms_new(ls->sim, MS_NONE, 0);
  uint32_t d = ms_dict_fromkeys(ls->sim, seq, value ? value : none);
  if (none) ms_decref(ls->sim, none);
  return push_new(L, ls, d);
}

/* sim:hash(o): Python's hash(o) */
static int l_hash(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  int64_t h = 0;
  done(L, ls, ms_hash(ls->sim, check_obj(L, ls, 2), &h));
  lua_pushinteger(L, h);
  return 1;
}

static int l_refcount(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  lua_pushinteger(L, ms_obj_refcnt(ls->sim, check_obj(L, ls, 2)));
  return 1;
}

static int l_alive(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  LObj *h = test_obj(L, 2);
  if (h == NULL) return luaL_typeerror(L, 2, OBJ_MT);
  if (h->simserial != ls->serial) return luaL_argerror(L, 2, "object belongs to another simulator");
  lua_pushboolean(L, ms_obj_alive(ls->sim, h->id, h->serial));
  return 1;
}

static int l_typeof(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  lua_pushstring(L, ms_type_name(ms_obj_type(ls->sim, check_obj(L, ls, 2))));
  return 1;
}

static int l_address(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  lua_pushinteger(L, (lua_Integer)ms_obj_address(ls->sim, check_obj(L, ls, 2)));
  return 1;
}

static int l_is_tracked(lua_State *L) {
  LSim *ls = up_sim(L);
  lua_pushboolean(L, ms_gc_is_tracked(ls->sim, check_obj(L, ls, 1)));
  return 1;
}

/* ====================================================================
** The allocator level
** ==================================================================== */

static int l_malloc(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  uint64_t p = ms_malloc(ls->sim, (size_t)check_size(L, 2, "size"));
  done(L, ls, p ? 0 : -1);
  lua_pushinteger(L, (lua_Integer)p);
  return 1;
}

static int l_realloc(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  lua_Integer p = luaL_checkinteger(L, 2);
  uint64_t q = ms_realloc(ls->sim, (uint64_t)p, (size_t)check_size(L, 3, "size"));
  done(L, ls, q ? 0 : -1);
  lua_pushinteger(L, (lua_Integer)q);
  return 1;
}

static int l_free(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  done(L, ls, ms_free(ls->sim, (uint64_t)luaL_checkinteger(L, 2)));
  return 0;
}

/* ====================================================================
** Measurement
** ==================================================================== */

/* sim:garbage(): the objects a full collection would free now (none is) */
static int l_garbage(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  lua_pushinteger(L, (lua_Integer)ms_gc_garbage(ls->sim));
  return 1;
}

static int l_now(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  lua_pushinteger(L, (lua_Integer)ms_sim_now(ls->sim));
  return 1;
}

static void set_int(lua_State *L, const char *k, uint64_t v) {
  lua_pushinteger(L, (lua_Integer)v);
  lua_setfield(L, -2, k);
}

static void push_hist(lua_State *L, const ms_Histogram *h) {
  lua_createtable(L, 0, 8);
  set_int(L, "count", h->count);
  set_int(L, "p50", hist_percentile(h, 0.50));
  set_int(L, "p90", hist_percentile(h, 0.90));
  set_int(L, "p99", hist_percentile(h, 0.99));
  set_int(L, "p999", hist_percentile(h, 0.999));
  set_int(L, "max", h->max);
  set_int(L, "total", h->sum);
}

static int l_stats(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  ms_Stats st;
  ms_stats(ls->sim, &st);
  lua_createtable(L, 0, 40);
  set_int(L, "now_ns", st.now_ns);
  lua_createtable(L, 0, 12);                /* bytes by kind */
  set_int(L, "requested", st.requested);
  set_int(L, "requested_small", st.requested_small);
  set_int(L, "in_blocks", st.in_blocks);
  set_int(L, "available", st.available);
  set_int(L, "unused_pools", st.unused_pools);
  set_int(L, "pool_headers", st.pool_headers);
  set_int(L, "quantization", st.quantization);
  set_int(L, "alignment", st.alignment);
  set_int(L, "arenas", st.arena_bytes);
  set_int(L, "raw_in_use", st.raw_in_use);
  set_int(L, "raw_free", st.raw_free);
  set_int(L, "raw_heap", st.raw_heap);
  set_int(L, "raw_mmapped", st.raw_mmapped);
  set_int(L, "mapped", st.mapped);
  lua_setfield(L, -2, "bytes");
  set_int(L, "live_bytes", st.live_bytes);
  set_int(L, "live_peak", st.live_peak);
  set_int(L, "rss", st.rss);
  set_int(L, "rss_peak", st.rss_peak);
  set_int(L, "arenas_current", st.arenas_current);
  set_int(L, "arenas_total", st.arenas_total);
  set_int(L, "arenas_reclaimed", st.arenas_reclaimed);
  set_int(L, "arenas_highwater", st.arenas_highwater);
  set_int(L, "pools", st.pools_used);
  lua_createtable(L, 32, 0);                /* per class */
  for (int i = 0; i < 32; i++) {
    lua_createtable(L, 0, 4);
    set_int(L, "size", st.cls[i].size);
    set_int(L, "pools", st.cls[i].pools);
    set_int(L, "blocks", st.cls[i].blocks);
    set_int(L, "avail", st.cls[i].avail);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "classes");
  set_int(L, "objects", st.objects);
  lua_createtable(L, 0, MS_NTYPES);
  for (int t = 1; t < MS_NTYPES; t++)
    if (st.objects_by_type[t]) set_int(L, ms_type_name(t), st.objects_by_type[t]);
  lua_setfield(L, -2, "objects_by_type");
  set_int(L, "allocated_blocks", st.allocated_blocks);
  set_int(L, "freelist_objects", st.freelist_objects);
  lua_createtable(L, 3, 0);
  for (int g = 0; g < 3; g++) {
    lua_createtable(L, 0, 4);
    set_int(L, "collections", st.gc[g].collections);
    set_int(L, "collected", st.gc[g].collected);
    set_int(L, "uncollectable", st.gc[g].uncollectable);
    set_int(L, "count", (uint64_t)st.gc_count[g]);
    lua_rawseti(L, -2, g + 1);
  }
  lua_setfield(L, -2, "gc");
  set_int(L, "gc_tracked", st.gc_tracked);
  set_int(L, "allocs", st.allocs);
  set_int(L, "frees", st.frees);
  set_int(L, "reallocs", st.reallocs);
  set_int(L, "deallocs", st.deallocs);
  lua_createtable(L, 0, 3);
  push_hist(L, &st.alloc_latency);
  lua_setfield(L, -2, "alloc");
  push_hist(L, &st.gc_pause);
  lua_setfield(L, -2, "gc");
  push_hist(L, &st.dealloc_pause);
  lua_setfield(L, -2, "dealloc");
  lua_setfield(L, -2, "latency");
  return 1;
}

static int l_sample(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  size_t n = 0;
  const char *label = luaL_optlstring(L, 2, NULL, &n);
  if (label && (n == 0 || n > 100 || strlen(label) != n))
    return luaL_argerror(L, 2, "a label must be 1 to 100 characters");
  for (size_t i = 0; label && i < n; i++)
    if ((unsigned char)label[i] < 0x20 || label[i] == 0x7f)
      return luaL_argerror(L, 2, "a label cannot hold tabs, newlines or other control characters");
  ms_series_sample(ls->sim, label);
  return 0;
}

/* the time series as TSV text, for the runner */
static int l_series_tsv(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  const ms_Series *se = ms_series(ls->sim);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "t_ns\tevents\tlive_bytes\tarena_bytes\tmapped_bytes\trss_bytes\traw_bytes"
                     "\tobjects\tgc0\tgc1\tgc2\tpools_used\tpools_full\tpools_empty\tlabel\n");
  char line[400];
  for (uint32_t i = 0; i < se->nrows; i++) {
    const ms_Row *r = &se->rows[i];
    snprintf(line, sizeof line, "%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t%u\t%u\t%u\t%u\t%u\t%u\t",
             (unsigned long long)r->t_ns, (unsigned long long)r->events,
             (unsigned long long)r->live, (unsigned long long)r->arena,
             (unsigned long long)r->mapped, (unsigned long long)r->rss,
             (unsigned long long)r->raw, (unsigned long long)r->objects, r->gc[0], r->gc[1],
             r->gc[2], r->pools_used, r->pools_full, r->pools_empty);
    luaL_addstring(&b, line);
    luaL_addstring(&b, r->label >= 0 ? se->labels[r->label] : "-");
    luaL_addchar(&b, '\n');
  }
  luaL_pushresult(&b);
  return 1;
}

/* the largest value of each series column, for plot axes (no TSV parsing) */
static int l_series_max(lua_State *L) {
  enum { NCOLS = 14 };
  LSim *ls = check_sim(L, 1);
  const ms_Series *se = ms_series(ls->sim);
  uint64_t m[NCOLS] = {0};
  for (uint32_t i = 0; i < se->nrows; i++) {
    const ms_Row *r = &se->rows[i];
    const uint64_t v[NCOLS] = {r->t_ns, r->events, r->live, r->arena, r->mapped, r->rss, r->raw,
                               r->objects, r->gc[0], r->gc[1], r->gc[2], r->pools_used,
                               r->pools_full, r->pools_empty};
    for (int k = 0; k < NCOLS; k++)
      if (v[k] > m[k]) m[k] = v[k];
  }
  static const char *const names[NCOLS] = {"t_ns", "events", "live_bytes", "arena_bytes",
                                           "mapped_bytes", "rss_bytes", "raw_bytes", "objects",
                                           "gc0", "gc1", "gc2", "pools_used", "pools_full",
                                           "pools_empty"};
  lua_createtable(L, 0, NCOLS);
  for (int k = 0; k < NCOLS; k++) set_int(L, names[k], m[k]);
  return 1;
}

/* the labelled rows of the series: {t_ns =, events =, label =}, a run of
   one label given once (its first row) */
static int l_series_labels(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  const ms_Series *se = ms_series(ls->sim);
  lua_newtable(L);
  int n = 0, last = -1;
  for (uint32_t i = 0; i < se->nrows; i++) {
    const ms_Row *r = &se->rows[i];
    if (r->label < 0 || r->label == last) continue;
    last = r->label;
    lua_createtable(L, 0, 3);
    set_int(L, "t_ns", r->t_ns);
    set_int(L, "events", r->events);
    lua_pushstring(L, se->labels[r->label]);
    lua_setfield(L, -2, "label");
    lua_rawseti(L, -2, ++n);
  }
  return 1;
}

static int l_arena_map(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  size_t n = ms_arena_map_tsv(ls->sim, NULL, 0);
  char *buf = malloc(n + 1);
  if (buf == NULL) return luaL_error(L, "out of memory");
  ms_arena_map_tsv(ls->sim, buf, n + 1);
  lua_pushlstring(L, buf, n);
  free(buf);
  return 1;
}

/* step mode's lines go to standard output as they come */
static void explain_to_stdout(void *ud, const char *line) {
  (void)ud;
  fputs(line, stdout);
  fputc('\n', stdout);
}

/* the lines kept for sim:explained(), at most 1 MiB (a line that does
   not fit is dropped whole); never Lua from inside the core */
static void explain_to_buffer(void *ud, const char *line) {
  LSim *ls = ud;
  size_t n = strlen(line);
  if (ls->kept_len + n + 1 > (1u << 20)) return;
  if (ls->kept_len + n + 1 > ls->kept_cap) {
    size_t cap = ls->kept_cap ? ls->kept_cap : 4096;
    while (cap < ls->kept_len + n + 1) cap *= 2;
    char *grown = realloc(ls->kept, cap);
    if (grown == NULL) return;
    ls->kept = grown;
    ls->kept_cap = cap;
  }
  memcpy(ls->kept + ls->kept_len, line, n);
  ls->kept[ls->kept_len + n] = '\n';
  ls->kept_len += n + 1;
}

/*
** sim:explain(on [, lines]): step mode for this simulator (true: 200
** lines); sim:explain("collect" [, lines]): the same lines kept for
** sim:explained() instead of printed (at most 10,000 unless told)
*/
static int l_explain(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  lua_Integer n = 0;
  if (lua_type(L, 2) == LUA_TSTRING) {
    if (strcmp(lua_tostring(L, 2), "collect") != 0) return luaL_argerror(L, 2, "\"collect\", true, false or a number");
    n = luaL_optinteger(L, 3, 10000);
    if (n < 0 || n > 10000000) return luaL_argerror(L, 3, "lines must be 0 to 10,000,000");
    ms_sim_explain(ls->sim, n > 0 ? explain_to_buffer : NULL, ls, (uint64_t)n);
    return 0;
  }
  if (lua_isinteger(L, 2)) n = lua_tointeger(L, 2);
  else if (lua_toboolean(L, 2)) n = luaL_optinteger(L, 3, 200);
  else if (!lua_isnoneornil(L, 2) && !lua_isboolean(L, 2))
    return luaL_argerror(L, 2, "true, false, or a number of lines");
  if (n < 0 || n > 10000000) return luaL_argerror(L, 2, "lines must be 0 to 10,000,000");
  ms_sim_explain(ls->sim, n > 0 ? explain_to_stdout : NULL, NULL, (uint64_t)n);
  return 0;
}

/* sim:explained(): the lines sim:explain("collect") kept, and they are forgotten */
static int l_explained(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  lua_pushlstring(L, ls->kept ? ls->kept : "", ls->kept_len);
  ls->kept_len = 0;
  return 1;
}

static int l_close(lua_State *L) {
  if (!is_sim(L, 1)) return luaL_typeerror(L, 1, SIM_MT);
  LSim *ls = lua_touserdata(L, 1);
  ms_xfree(ls->pauses);
  ls->pauses = NULL;
  free(ls->kept);
  ls->kept = NULL;
  ls->kept_len = ls->kept_cap = 0;
  ms_replay_free(ls->replay);
  ls->replay = NULL;
  ms_sim_free(ls->sim);
  u64map_free(&ls->refs);
  ls->sim = NULL;
  return 0;
}

/* ====================================================================
** sim:replay(path [, options]): a recorded program into this simulator
** ==================================================================== */

/*
** What a replay holds while it runs, in a userdata whose __gc frees it:
** an error (a script's, a corrupt trace's) leaves by longjmp and the
** trace file is closed when Lua collects this.
*/
typedef struct LReplay {
  ms_Trace *trace;
  char *end_text;          /* the end record's statistics, kept for verify */
  size_t end_len;
  ms_TraceEvent end;
  int ended;
} LReplay;

static int l_replay_gc(lua_State *L) {
  LReplay *rp = luaL_checkudata(L, 1, REPLAY_MT);
  ms_trace_close(rp->trace);
  free(rp->end_text);
  memset(rp, 0, sizeof *rp);
  return 0;
}

/* a position in the trace: an item number, or a mark's name */
typedef struct Where {
  int set;
  uint64_t seq;
  const char *mark;
  size_t marklen;
} Where;

static Where opt_where(lua_State *L, int opts, const char *key) {
  Where w = {0, 0, NULL, 0};
  int t = lua_getfield(L, opts, key);
  if (t == LUA_TNUMBER) {
    if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0)
      luaL_error(L, "replay: '%s' must be an item number (0 or more) or a mark's name", key);
    w.set = 1;
    w.seq = (uint64_t)lua_tointeger(L, -1);
  } else if (t == LUA_TSTRING) {
    w.set = 1;
    w.mark = lua_tolstring(L, -1, &w.marklen);       /* kept alive by the options table */
    if (w.marklen == 0 || w.marklen > 200) luaL_error(L, "replay: '%s' must name a mark of 1 to 200 bytes", key);
  } else if (t != LUA_TNIL) {
    luaL_error(L, "replay: '%s' must be an item number or a mark's name, not a %s", key, lua_typename(L, t));
  }
  lua_pop(L, 1);
  return w;
}

static int at_where(const Where *w, const ms_TraceEvent *e) {
  if (!w->set) return 0;
  if (w->mark == NULL) return e->seq >= w->seq;
  return e->kind == MS_TR_MARK && e->textlen == w->marklen && memcmp(e->text, w->mark, w->marklen) == 0;
}

/* a mark's name as a series label: printable, 1 to 100 bytes */
static void mark_label(const ms_TraceEvent *e, char *out, size_t n) {
  size_t k = e->textlen < n - 1 ? e->textlen : n - 1;
  if (k > 100) k = 100;
  for (size_t i = 0; i < k; i++) {
    unsigned char c = (unsigned char)e->text[i];
    out[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
  }
  out[k] = '\0';
  if (k == 0) snprintf(out, n, "mark");
}

/* every(event) with {seq, kind, name | generation, collected, ...} */
static void call_every(lua_State *L, int fn, LSim *ls, const ms_TraceEvent *e, const char *kind,
                       const char *label) {
  lua_pushvalue(L, fn);
  lua_createtable(L, 0, 6);
  lua_pushinteger(L, (lua_Integer)e->seq);
  lua_setfield(L, -2, "seq");
  lua_pushstring(L, kind);
  lua_setfield(L, -2, "kind");
  if (label) {
    lua_pushstring(L, label);
    lua_setfield(L, -2, "name");
  }
  if (e->kind == MS_TR_GC) {
    lua_pushinteger(L, (lua_Integer)e->generation);
    lua_setfield(L, -2, "generation");
    lua_pushinteger(L, (lua_Integer)(e->collected & INT64_MAX));
    lua_setfield(L, -2, "collected");
    lua_pushinteger(L, (lua_Integer)(e->uncollectable & INT64_MAX));
    lua_setfield(L, -2, "uncollectable");
    lua_pushinteger(L, (lua_Integer)(e->duration_ns & INT64_MAX));
    lua_setfield(L, -2, "duration_ns");
  }
  lua_call(L, 1, 0);
  if (ls->sim == NULL) luaL_error(L, "replay: the simulator was closed during the replay");
}

/*
** sim:replay(path [, {from =, to =, step =, every =}]) -> summary table.
** Applies the trace's items from `from` (an item number or a mark: the
** items before it are skipped, as after an earlier replay that stopped
** there) up to `to` (the item before it, or the mark itself).  Each mark
** takes a labelled sample; every(event) is called at each mark, each
** collection and, with step = N, every N items.  A path that is not a
** trace is refused before a byte of it is shown anywhere.
*/
static int l_replay(lua_State *L) {
  LSim *ls = check_sim(L, 1);
  size_t plen;
  const char *path = luaL_checklstring(L, 2, &plen);
  if (plen == 0 || plen > 4096 || strlen(path) != plen)
    return luaL_argerror(L, 2, "a trace's path of 1 to 4096 bytes");
  int opts = 0, every = 0;
  lua_Integer step = 0;
  Where from = {0, 0, NULL, 0}, to = {0, 0, NULL, 0};
  if (!lua_isnoneornil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    opts = 3;
    from = opt_where(L, opts, "from");
    to = opt_where(L, opts, "to");
    if (lua_getfield(L, opts, "step") != LUA_TNIL) {
      if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1)
        return luaL_error(L, "replay: 'step' must be a whole number of items, 1 or more");
      step = lua_tointeger(L, -1);
    }
    lua_pop(L, 1);
    if (lua_getfield(L, opts, "every") != LUA_TNIL) {
      if (lua_type(L, -1) != LUA_TFUNCTION) return luaL_error(L, "replay: 'every' must be a function");
      every = lua_gettop(L);
    } else {
      lua_pop(L, 1);
    }
  }
  LReplay *rp = lua_newuserdatauv(L, sizeof(LReplay), 0);
  memset(rp, 0, sizeof *rp);
  luaL_setmetatable(L, REPLAY_MT);
  char err[600];
  rp->trace = ms_trace_open(path, err, sizeof err);
  if (rp->trace == NULL) return luaL_error(L, "replay: %s", err);
  if (ls->replay == NULL) ls->replay = ms_replay_new(ls->sim);
  ms_Replay *replay = ls->replay;
  ms_ReplayCounts before = *ms_replay_counts(replay);
  int started = !from.set, k;
  uint64_t n = 0;
  ms_TraceEvent e;
  while ((k = ms_trace_next(rp->trace, &e)) == 1) {
    if ((++n & 0xFFFF) == 0) {
      if (stop_flag) stop_now(L);
      host_check(L);
    }
    if (!started) {
      started = at_where(&from, &e);
      if (!started || from.mark != NULL) continue;      /* resume after the mark */
    }
    if (to.set && to.mark == NULL && at_where(&to, &e)) break;
    if (ms_replay_apply(replay, &e) < 0)
      return luaL_error(L, "replay: %s: item %I: %s", path, (lua_Integer)e.seq, ms_sim_error(ls->sim));
    char label[128];
    if (e.kind == MS_TR_MARK) {
      mark_label(&e, label, sizeof label);
      ms_series_sample(ls->sim, label);
      if (every) call_every(L, every, ls, &e, "mark", label);
      if (to.set && at_where(&to, &e)) break;
    } else if (e.kind == MS_TR_GC) {
      if (every) call_every(L, every, ls, &e, "gc", NULL);
    } else if (e.kind == MS_TR_END) {
      rp->ended = 1;
      rp->end = e;
      rp->end_text = malloc(e.textlen + 1);
      if (rp->end_text == NULL) return luaL_error(L, "replay: out of memory");
      memcpy(rp->end_text, e.text, e.textlen);
      rp->end_len = e.textlen;
      rp->end.text = rp->end_text;
    }
    if (every && step && e.kind == MS_TR_ALLOC && (ms_replay_counts(replay)->items - before.items) % (uint64_t)step == 0)
      call_every(L, every, ls, &e, "step", NULL);
  }
  if (k < 0) return luaL_error(L, "replay: %s: %s", path, ms_trace_error(rp->trace));
  if (from.set && !started)
    return luaL_error(L, "replay: %s: 'from' (%s) is not in the trace", path, from.mark ? from.mark : "item");
  done(L, ls, 0);
  const ms_ReplayCounts *c = ms_replay_counts(replay);   /* this call's share */
  lua_createtable(L, 0, 12);
  set_int(L, "items", c->items - before.items);
  set_int(L, "applied", c->applied - before.applied);
  set_int(L, "nested", c->nested - before.nested);
  set_int(L, "unknown_frees", c->unknown_frees - before.unknown_frees);
  set_int(L, "moved", c->moved - before.moved);
  set_int(L, "marks", c->marks - before.marks);
  set_int(L, "collections", c->collections - before.collections);
  lua_pushboolean(L, rp->ended);
  lua_setfield(L, -2, "ended");
  const char *v = ms_trace_header(rp->trace, "python_version");
  lua_pushstring(L, v ? v : "?");
  lua_setfield(L, -2, "python");
  if (rp->ended) {
    set_int(L, "program_ns", rp->end.program_ns);
    char *out = malloc(16384);
    if (out == NULL) return luaL_error(L, "replay: out of memory");
    int ok = ms_replay_verify(ls->sim, &rp->end, out, 16384);
    lua_pushstring(L, out);
    free(out);
    lua_setfield(L, -2, "verify");
    if (ok >= 0) {
      lua_pushboolean(L, ok == 1);
      lua_setfield(L, -2, "verify_ok");
    }
  }
  return 1;
}

/*
** memsim.trace_info(path [, marks]) -> {python, profile, items, ended,
** size, header = {key = value}, marks = {...} (only when MARKS is true:
** that reads the whole trace)}.  Counting items reads block headers only.
*/
static int l_trace_info(lua_State *L) {
  size_t plen;
  const char *path = luaL_checklstring(L, 1, &plen);
  if (plen == 0 || plen > 4096 || strlen(path) != plen)
    return luaL_argerror(L, 1, "a trace's path of 1 to 4096 bytes");
  int want_marks = lua_toboolean(L, 2);
  LReplay *rp = lua_newuserdatauv(L, sizeof(LReplay), 0);
  memset(rp, 0, sizeof *rp);
  luaL_setmetatable(L, REPLAY_MT);
  char err[600];
  rp->trace = ms_trace_open(path, err, sizeof err);
  if (rp->trace == NULL) return luaL_error(L, "trace_info: %s", err);
  lua_createtable(L, 0, 8);
  uint64_t items = 0;
  if (ms_trace_scan(rp->trace, &items, &rp->ended) < 0)
    return luaL_error(L, "trace_info: %s: %s", path, ms_trace_error(rp->trace));
  if (want_marks) {
    lua_newtable(L);
    int nmarks = 0, k;
    uint64_t n = 0;
    ms_TraceEvent e;
    while ((k = ms_trace_next(rp->trace, &e)) == 1) {
      if ((++n & 0xFFFF) == 0 && stop_flag) stop_now(L);
      if (e.kind == MS_TR_MARK && nmarks < 1000) {
        char label[128];
        mark_label(&e, label, sizeof label);
        lua_pushstring(L, label);
        lua_rawseti(L, -2, ++nmarks);
      }
    }
    if (k < 0) return luaL_error(L, "trace_info: %s: %s", path, ms_trace_error(rp->trace));
    lua_setfield(L, -2, "marks");
  }
  set_int(L, "items", items);
  set_int(L, "size", ms_trace_size(rp->trace));
  lua_pushboolean(L, rp->ended);
  lua_setfield(L, -2, "ended");
  const char *v = ms_trace_header(rp->trace, "python_version");
  lua_pushstring(L, v ? v : "?");
  lua_setfield(L, -2, "python");
  char prof[64];
  if (ms_trace_profile_name(rp->trace, prof, sizeof prof) == 0) {
    lua_pushstring(L, prof);
    lua_setfield(L, -2, "profile");
  }
  lua_newtable(L);                          /* header */
  const char *line = ms_trace_header_text(rp->trace);
  while (*line) {
    const char *nl = strchr(line, '\n'), *eq = strchr(line, '=');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    if (eq && eq < line + n && eq > line) {
      lua_pushlstring(L, line, (size_t)(eq - line));
      lua_pushlstring(L, eq + 1, n - (size_t)(eq - line) - 1);
      lua_rawset(L, -3);
    }
    line += n + (nl != NULL);
  }
  lua_setfield(L, -2, "header");
  return 1;
}

static int l_sim_tostring(lua_State *L) {
  if (!is_sim(L, 1)) return luaL_typeerror(L, 1, SIM_MT);
  LSim *ls = lua_touserdata(L, 1);
  if (ls->sim == NULL) lua_pushstring(L, "memsim simulator (closed)");
  else lua_pushfstring(L, "memsim simulator %d (%s)", (int)ls->serial, ms_sim_profile(ls->sim)->name);
  return 1;
}

/* edit distance of two short names (a misspelling is one or two edits away) */
static int edits(const char *a, const char *b) {
  size_t na = strlen(a), nb = strlen(b);
  if (na > 40 || nb > 40) return 99;
  int d[41][41];
  for (size_t i = 0; i <= na; i++) d[i][0] = (int)i;
  for (size_t j = 0; j <= nb; j++) d[0][j] = (int)j;
  for (size_t i = 1; i <= na; i++)
    for (size_t j = 1; j <= nb; j++) {
      int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
      d[i][j] = best;
    }
  return d[na][nb];
}

/*
** A name that is not there, as Python says it: an AttributeError naming
** the closest name and all of them, at the script's line (level 1: the
** code that indexed), never "attempt to call a nil value".
*/
static int no_such_name(lua_State *L, const char *what, const char *key, int names,
                        const char *const *extra) {
  names = lua_absindex(L, names);
  const char *closest = NULL;
  int best = 3;
  /* the names, sorted: a Lua list, then table.sort */
  lua_newtable(L);
  int list = lua_gettop(L), n = 0;
  lua_pushnil(L);
  while (lua_next(L, names)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING && strncmp(lua_tostring(L, -1), "__", 2) != 0) {  /* not __index */
      lua_pushvalue(L, -1);
      lua_rawseti(L, list, ++n);
    }
  }
  for (int i = 0; extra && extra[i]; i++) {
    lua_pushstring(L, extra[i]);
    lua_rawseti(L, list, ++n);
  }
  lua_getglobal(L, "table");
  if (lua_istable(L, -1) && lua_getfield(L, -1, "sort") == LUA_TFUNCTION) {
    lua_pushvalue(L, list);
    lua_call(L, 1, 0);
  }
  lua_settop(L, list);
  for (int i = 1; i <= n; i++) {          /* the strings stay alive in the list */
    lua_rawgeti(L, list, i);
    const char *name = lua_tostring(L, -1);
    int e = edits(key, name);
    if (e < best) best = e, closest = name;
    lua_pop(L, 1);
  }
  int top = lua_gettop(L);
  luaL_where(L, 1);                     /* the script line that indexed */
  lua_pushfstring(L, "AttributeError: %s has no '%s'", what, key);
  if (closest) lua_pushfstring(L, "; did you mean '%s'?", closest);
  lua_pushliteral(L, " (it has: ");
  lua_concat(L, lua_gettop(L) - top);
  for (int i = 1; i <= n; i++) {
    lua_rawgeti(L, list, i);
    lua_pushstring(L, i < n ? ", " : ")");
    lua_concat(L, 3);
  }
  return lua_error(L);
}

/* sim.X, sim.gc.X and sim.sys.X that are not there */
static int l_module_index(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);       /* called by hand, outside --sandbox */
  if (lua_type(L, 2) != LUA_TSTRING) return 0;      /* sim[1]: nil, as any table */
  const char *key = lua_tostring(L, 2), *what = NULL;
  if (lua_getmetatable(L, 1)) {
    lua_pushliteral(L, "__memsim_name");
    if (lua_rawget(L, -2) == LUA_TSTRING) what = lua_tostring(L, -1);
  }
  return no_such_name(L, what ? what : "this module", key, 1, NULL);
}


/* ====================================================================
** sim.gc: Python's gc module
** ==================================================================== */

static int check_generation(lua_State *L, int arg) {
  lua_Integer g = luaL_optinteger(L, arg, 2);
  if (g < 0 || g > 2) luaL_argerror(L, arg, "invalid generation (0, 1 or 2)");
  return (int)g;
}

static int l_gc_collect(lua_State *L) {
  LSim *ls = up_sim(L);
  int64_t n = ms_gc_collect(ls->sim, check_generation(L, 1));
  done(L, ls, n < 0 ? -1 : 0);
  lua_pushinteger(L, n);
  return 1;
}

/* the collector's report of each collection (ms_sim_on_gc) */
static void note_pause(void *ud, int gen, uint64_t collected, uint64_t pause_ns) {
  LSim *ls = ud;
  if (ls->pauses == NULL) ls->pauses = ms_xmalloc(PAUSES_MAX * sizeof *ls->pauses);   /* counted */
  if (ls->npauses == PAUSES_MAX) {
    ls->pauses_dropped++;
    return;
  }
  ls->pauses[ls->npauses++] = (struct Pause){pause_ns, collected, gen};
}

/*
** sim.gc.pauses(): the collections since the last call, in order, each
** {generation =, collected =, pause_ns =} as gc.callbacks would see them
** (pause_ns: simulated); the first 4096, and `dropped` says how many more.
*/
static int l_gc_pauses(lua_State *L) {
  LSim *ls = up_sim(L);
  lua_createtable(L, (int)ls->npauses, 1);
  for (uint32_t i = 0; i < ls->npauses; i++) {
    lua_createtable(L, 0, 3);
    set_int(L, "generation", ls->pauses[i].generation);
    set_int(L, "collected", ls->pauses[i].collected);
    set_int(L, "pause_ns", ls->pauses[i].pause_ns);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  set_int(L, "dropped", ls->pauses_dropped);
  ls->npauses = 0;
  ls->pauses_dropped = 0;
  return 1;
}

static int l_gc_get_count(lua_State *L) {
  int64_t c[3];
  ms_gc_get_count(up_sim(L)->sim, c);
  for (int i = 0; i < 3; i++) lua_pushinteger(L, c[i]);
  return 3;
}

static int l_gc_get_stats(lua_State *L) {
  ms_GenStats st[3];
  ms_gc_get_stats(up_sim(L)->sim, st);
  lua_createtable(L, 3, 0);
  for (int g = 0; g < 3; g++) {
    lua_createtable(L, 0, 3);
    set_int(L, "collections", st[g].collections);
    set_int(L, "collected", st[g].collected);
    set_int(L, "uncollectable", st[g].uncollectable);
    lua_rawseti(L, -2, g + 1);
  }
  return 1;
}

static int l_gc_get_threshold(lua_State *L) {
  int64_t t[3];
  ms_gc_get_threshold(up_sim(L)->sim, t);
  for (int i = 0; i < 3; i++) lua_pushinteger(L, t[i]);
  return 3;
}

static int l_gc_set_threshold(lua_State *L) {
  LSim *ls = up_sim(L);
  int64_t t[3];
  ms_gc_get_threshold(ls->sim, t);
  for (int i = 0; i < 3; i++) {
    if (i > 0 && lua_isnoneornil(L, i + 1)) break;
    lua_Integer v = luaL_checkinteger(L, i + 1);
    if (v < 0 || v > 0x7fffffff) luaL_argerror(L, i + 1, "threshold must be 0 .. 2^31-1");
    t[i] = v;
  }
  ms_gc_set_threshold(ls->sim, t);
  return 0;
}

static int l_gc_enable(lua_State *L) { ms_gc_enable(up_sim(L)->sim, 1); return 0; }
static int l_gc_disable(lua_State *L) { ms_gc_enable(up_sim(L)->sim, 0); return 0; }
static int l_gc_isenabled(lua_State *L) { lua_pushboolean(L, ms_gc_isenabled(up_sim(L)->sim)); return 1; }
static int l_gc_freeze(lua_State *L) { ms_gc_freeze(up_sim(L)->sim); return 0; }
static int l_gc_unfreeze(lua_State *L) { ms_gc_unfreeze(up_sim(L)->sim); return 0; }
static int l_gc_get_freeze_count(lua_State *L) {
  lua_pushinteger(L, ms_gc_get_freeze_count(up_sim(L)->sim));
  return 1;
}

/* gc.get_objects([generation]) */
static int l_gc_get_objects(lua_State *L) {
  LSim *ls = up_sim(L);
  lua_Integer g = luaL_optinteger(L, 1, -1);
  if (g < -1 || g > 2) return luaL_argerror(L, 1, "a generation, 0 to 2 (or none: all)");
  host_reserve(L, 4 * (uint64_t)ms_getallocatedblocks(ls->sim));   /* at most one item a block */
  uint32_t id = ms_gc_get_objects(ls->sim, (int)g);
  return push_new(L, ls, id);
}

static const luaL_Reg gc_funcs[] = {
  {"get_objects", l_gc_get_objects},
  {"collect", l_gc_collect}, {"get_count", l_gc_get_count}, {"get_stats", l_gc_get_stats},
  {"get_threshold", l_gc_get_threshold}, {"set_threshold", l_gc_set_threshold},
  {"enable", l_gc_enable}, {"disable", l_gc_disable}, {"isenabled", l_gc_isenabled},
  {"freeze", l_gc_freeze}, {"unfreeze", l_gc_unfreeze},
  {"get_freeze_count", l_gc_get_freeze_count}, {"is_tracked", l_is_tracked},
  {"pauses", l_gc_pauses}, {NULL, NULL}};

/* ====================================================================
** sim.sys: Python's sys module
** ==================================================================== */

/* sys.getrefcount(o): the count, and the call's own reference to its
   argument (an immortal object's count is the constant, never + 1) */
static int l_sys_getrefcount(lua_State *L) {
  LSim *ls = up_sim(L);
  uint32_t id = check_obj(L, ls, 1);
  int64_t n = ms_obj_refcnt(ls->sim, id);
  lua_pushinteger(L, n >= 4294967295 ? n : n + 1);
  return 1;
}

static int l_sys_getsizeof(lua_State *L) {
  LSim *ls = up_sim(L);
  lua_pushinteger(L, ms_getsizeof(ls->sim, check_obj(L, ls, 1)));
  return 1;
}

static int l_sys_getallocatedblocks(lua_State *L) {
  lua_pushinteger(L, ms_getallocatedblocks(up_sim(L)->sim));
  return 1;
}

static int l_sys_debugmallocstats(lua_State *L) {
  LSim *ls = up_sim(L);
  size_t n = ms_debugmallocstats(ls->sim, NULL, 0);
  char *buf = malloc(n + 1);
  if (buf == NULL) return luaL_error(L, "out of memory");
  ms_debugmallocstats(ls->sim, buf, n + 1);
  lua_pushlstring(L, buf, n);
  free(buf);
  return 1;
}

/* sys.intern(s): the interned str equal to s (a new reference) */
static int l_sys_intern(lua_State *L) {
  LSim *ls = up_sim(L);
  uint32_t id = ms_intern(ls->sim, check_obj(L, ls, 1));
  return push_new(L, ls, id);
}

static const luaL_Reg sys_funcs[] = {
  {"getsizeof", l_sys_getsizeof}, {"getallocatedblocks", l_sys_getallocatedblocks},
  {"intern", l_sys_intern}, {"getrefcount", l_sys_getrefcount},
  {"_debugmallocstats", l_sys_debugmallocstats}, {NULL, NULL}};

/* ====================================================================
** Handles
** ==================================================================== */

static int l_obj_tostring(lua_State *L) {
  LObj *h = luaL_checkudata(L, 1, OBJ_MT);
  lua_pushfstring(L, "<%s object %d>", ms_type_name(h->type), (int)h->serial);
  return 1;
}

static int l_obj_eq(lua_State *L) {
  LObj *a = luaL_checkudata(L, 1, OBJ_MT), *b = luaL_checkudata(L, 2, OBJ_MT);
  lua_pushboolean(L, a->simserial == b->simserial && a->id == b->id && a->serial == b->serial);
  return 1;
}

static const luaL_Reg sim_methods[] = {
  {"new", NULL}, {"setitem", l_setitem}, {"getitem", l_getitem}, {"delitem", l_delitem},
  {"append", l_append}, {"add", l_add}, {"iter", l_iter}, {"exhaust", l_exhaust},
  {"append_range", l_append_range}, {"slot_range", l_slot_range},
  {"len", l_len}, {"setattr", l_setattr}, {"getattr", l_getattr}, {"delattr", l_delattr}, {"vars", l_vars},
  {"incref", l_incref}, {"decref", l_decref}, {"refcount", l_refcount}, {"alive", l_alive},
  {"type", l_typeof}, {"address", l_address}, {"malloc", l_malloc}, {"realloc", l_realloc},
  {"free", l_free}, {"now", l_now}, {"stats", l_stats}, {"sample", l_sample},
  {"garbage", l_garbage},
  {"series_tsv", l_series_tsv}, {"series_max", l_series_max}, {"series_labels", l_series_labels},
  {"arena_map", l_arena_map}, {"explain", l_explain}, {"replay", l_replay},
  {"insert", l_insert}, {"pop", l_pop}, {"remove", l_remove}, {"clear", l_clear},
  {"extend", l_extend}, {"slice", l_slice}, {"copy", l_copy}, {"setslice", l_setslice},
  {"delslice", l_delslice}, {"concat", l_concat}, {"multiply", l_multiply},
  {"imultiply", l_imultiply}, {"reverse", l_reverse}, {"list", l_list},
  {"popitem", l_popitem}, {"setdefault", l_setdefault}, {"update", l_update},
  {"discard", l_discard}, {"union", l_union}, {"intersection", l_intersection},
  {"difference", l_difference}, {"set", l_set}, {"explained", l_explained},
  {"literal", l_literal}, {"hash", l_hash}, {"iconcat", l_iconcat}, {"join", l_join},
  {"str", l_str}, {"fstring", l_fstring}, {"format_value", l_format_value},
  {"split", l_split}, {"upper", l_upper}, {"lower", l_lower}, {"strip", l_strip}, {"lstrip", l_lstrip}, {"rstrip", l_rstrip},
  {"neg", l_neg}, {"abs", l_abs}, {"int", l_int}, {"float", l_float}, {"round", l_round}, {"format", l_format}, {"op", l_op}, {"sort", l_sort}, {"sorted", l_sorted},
  {"reset_peak", l_reset_peak}, {"value", l_value}, {"display", l_display}, {"fromkeys", l_fromkeys},
  {"close", l_close}, {NULL, NULL}};


/* ====================================================================
** Host memory: Lua's heap and the simulators' own
** ==================================================================== */

/*
** Every byte Lua allocates passes through host_alloc, and every byte the
** core allocates is counted by util.c (ms_host_bytes).  Their sum may not
** pass --host-memory-limit.  Lua's allocator refuses what would pass it
** (Lua then raises "not enough memory", which carries no line: the line
** is taken here, when the allocation is refused); the core's growth is
** checked after every call (host_check) and before calls that ask for
** large bodies (host_reserve).
*/
typedef struct HostMem {
  size_t lua_bytes;
  uint64_t limit;          /* 0: none */
  lua_State *L;
  int refused;
  char message[512];       /* the refusal, with the script's line */
} HostMem;

static HostMem hostmem;

/* "FILE:LINE" of the innermost function of the script (not the runner's) */
static void script_where(lua_State *L, char *out, size_t n) {
  lua_Debug ar;
  out[0] = '\0';
  for (int level = 0; lua_getstack(L, level, &ar); level++) {
    if (!lua_getinfo(L, "Sl", &ar)) break;
    if (ar.currentline > 0 && ar.source[0] == '@') {
      snprintf(out, n, "%s:%d: ", ar.short_src, ar.currentline);
      return;
    }
  }
}

static void format_limit(char *out, size_t n, uint64_t bytes) {
  if (bytes % (1ULL << 30) == 0) snprintf(out, n, "%llu GiB", (unsigned long long)(bytes >> 30));
  else snprintf(out, n, "%llu MiB", (unsigned long long)(bytes >> 20));
}

static const char *script_path;    /* for messages that find no line of the script */

static void set_refusal(lua_State *L) {
  char where[300], lim[32];
  if (L) script_where(L, where, sizeof where);
  else where[0] = '\0';
  if (where[0] == '\0' && script_path) snprintf(where, sizeof where, "%s: ", script_path);
  format_limit(lim, sizeof lim, hostmem.limit);
  snprintf(hostmem.message, sizeof hostmem.message,
           "%sMemoryError: the host memory limit (%s, --host-memory-limit) was reached", where, lim);
  hostmem.refused = 1;
}

/*
** Lua's small blocks (a handle's userdata, short strings, small tables)
** come and go by the million in a loop: freed ones of up to 64 bytes are
** kept on a list per 16-byte size and handed out again, which costs a
** fraction of glibc's malloc and free.  Such a block always has the room
** of its whole size class (asked for rounded up), so any block whose size
** is in a class can go on its list; each list keeps 4096 at most.
*/
#define SMALL_MAX 64
#define SMALL_KEEP 4096
static struct {
  void *head[SMALL_MAX / 16];
  uint32_t n[SMALL_MAX / 16];
} small_blocks;

static size_t small_class(size_t n) { return (n - 1) >> 4; }   /* n from 1 to SMALL_MAX */

static void small_free(void *p, size_t n) {
  if (p == NULL) return;
  size_t c = small_class(n);
  if (n > SMALL_MAX || small_blocks.n[c] >= SMALL_KEEP) {
    free(p);
    return;
  }
  *(void **)p = small_blocks.head[c];
  small_blocks.head[c] = p;
  small_blocks.n[c]++;
}

/* at exit: the kept blocks given back (memory checkers see nothing left) */
static void small_release(void) {
  for (size_t c = 0; c < SMALL_MAX / 16; c++) {
    while (small_blocks.head[c] != NULL) {
      void *p = small_blocks.head[c];
      small_blocks.head[c] = *(void **)p;
      free(p);
    }
    small_blocks.n[c] = 0;
  }
}

static void *small_alloc(size_t n) {
  size_t c = small_class(n);
  void *p = small_blocks.head[c];
  if (p != NULL) {
    small_blocks.head[c] = *(void **)p;
    small_blocks.n[c]--;
    return p;
  }
  return malloc((c + 1) << 4);
}

static void *host_realloc(void *ptr, size_t osize, size_t nsize) {
  if (nsize > SMALL_MAX && (ptr == NULL || osize > SMALL_MAX)) return realloc(ptr, nsize);
  if (ptr != NULL && osize <= SMALL_MAX && nsize <= SMALL_MAX && small_class(osize) == small_class(nsize))
    return ptr;                            /* the same class: the room is there */
  void *q = nsize <= SMALL_MAX ? small_alloc(nsize) : malloc(nsize);
  if (q != NULL && ptr != NULL) {
    memcpy(q, ptr, osize < nsize ? osize : nsize);
    small_free(ptr, osize);
  }
  return q;
}

static void *host_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    if (ptr != NULL) small_free(ptr, osize);
    hostmem.lua_bytes -= old;
    return NULL;
  }
  if (hostmem.limit && nsize > old &&
      hostmem.lua_bytes - old + nsize + ms_host_bytes() > hostmem.limit) {
    set_refusal(hostmem.L);
    return NULL;
  }
  void *q = host_realloc(ptr, old, nsize);
  if (q != NULL) hostmem.lua_bytes = hostmem.lua_bytes - old + nsize;
  return q;
}

static void memory_error(lua_State *L) {
  char lim[32];
  format_limit(lim, sizeof lim, hostmem.limit);
  hostmem.refused = 1;
  luaL_error(L, "MemoryError: the host memory limit (%s, --host-memory-limit) was reached", lim);
}

static void host_check(lua_State *L) {
  if (hostmem.limit && hostmem.lua_bytes + ms_host_bytes() > hostmem.limit) memory_error(L);
}

static void host_reserve(lua_State *L, uint64_t bytes) {
  if (hostmem.limit && hostmem.lua_bytes + ms_host_bytes() + bytes > hostmem.limit) memory_error(L);
}

/* ====================================================================
** Stopping: the time limit and Ctrl-C, which no script can catch
** ==================================================================== */

/*
** An error raised in a hook could be caught by the script's pcall, and
** a hook can be removed with debug.sethook.  So the stop is no error:
** the process says where the script was and leaves; the supervisor
** removes the work directory.  (A script stuck where no hook runs, in a
** blocking read say, is killed by the supervisor after a grace period.)
*/
static double timeout_seconds;

static void stop_now(lua_State *L) {
  char where[300];
  script_where(L, where, sizeof where);
  fflush(stdout);
  if (stop_flag == 1)
    fprintf(stderr, "memsim: %stime limit reached (--timeout %g s): the script was stopped; "
                    "no results were written\n", where, timeout_seconds);
  else
    fprintf(stderr, "memsim: %sinterrupted (Ctrl-C): no results were written\n", where);
  fflush(stderr);
  _exit(1);
}

/*
** How a running script is stopped.  A count hook on every thread would
** cost each Lua instruction a call (the VM traps every instruction while
** a hook is set: about a tenth of a Lua-loop workload), so the main
** thread runs without one and the signal sets it, as lua.c does:
** lua_sethook may be called from a signal handler.  The stop then comes
** at the next instruction, call or return.  Coroutines are other
** threads, which that hook does not reach: each gets a count hook of its
** own when it starts (p_guard_thread, through the runner's wrapped
** coroutine.create and .wrap).  C loops of the core check stop_flag in
** done() and in their own loops.
*/
static lua_State *volatile limit_L;

static void limit_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  if (stop_flag) stop_now(L);
}

static void stop_soon(void) {
  lua_State *L = limit_L;
  if (L) lua_sethook(L, limit_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

static void on_alarm(int sig) {
  (void)sig;
  stop_flag = 1;
  stop_soon();
}

static void on_sigint(int sig) {
  (void)sig;
  stop_flag = 2;
  stop_soon();
}

static void start_limits(lua_State *L, const ms_RunOptions *o) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_sigint;
  sigaction(SIGINT, &sa, NULL);
  if (o->timeout > 0) {
    timeout_seconds = o->timeout;
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it;
    memset(&it, 0, sizeof it);
    it.it_value.tv_sec = (time_t)o->timeout;
    it.it_value.tv_usec = (suseconds_t)((o->timeout - (double)(time_t)o->timeout) * 1e6);
    if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0) it.it_value.tv_usec = 1;
    setitimer(ITIMER_REAL, &it, NULL);
  }
  limit_L = L;
}

/* the end of a run: the count hook again for what lua_close runs (__gc) */
static void end_limits(lua_State *L) {
  limit_L = NULL;
  lua_sethook(L, limit_hook, LUA_MASKCOUNT, 10000);
}

/* ====================================================================
** Services for the runner: files, plot records, clocks
**
** They reach the runner as the second argument of its chunk and nowhere
** else: not in `memsim`, not in package.loaded, not in a global.
** ==================================================================== */

static const char *workdir;        /* the supervisor's work directory, or NULL */
static int manifest_fd = -1;

/* priv.write(name, text): a file of the run's results, in the work directory */
static int p_write(lua_State *L) {
  size_t n;
  const char *name = luaL_checkstring(L, 1), *data = luaL_checklstring(L, 2, &n);
  if (!ms_plot_safe_name(name)) return luaL_error(L, "bad result file name '%s'", name);
  if (workdir == NULL) return luaL_error(L, "no results directory");
  char path[4400], err[600];
  snprintf(path, sizeof path, "%s/%s", workdir, name);
  if (ms_write_file(path, data, n, err, sizeof err) != 0) return luaL_error(L, "%s", err);
  return 0;
}

/* one manifest field: \, tab and newline escaped */
static void add_field(luaL_Buffer *b, const char *s) {
  luaL_addchar(b, '\t');
  for (; s && *s; s++) {
    if (*s == '\\') luaL_addstring(b, "\\\\");
    else if (*s == '\t') luaL_addstring(b, "\\t");
    else if (*s == '\n') luaL_addstring(b, "\\n");
    else luaL_addchar(b, *s);
  }
}

static void send_record(lua_State *L, luaL_Buffer *b) {
  luaL_addchar(b, '\n');
  luaL_pushresult(b);
  size_t n;
  const char *rec = lua_tolstring(L, -1, &n);
  while (manifest_fd >= 0 && n > 0) {
    ssize_t k = write(manifest_fd, rec, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return (void)luaL_error(L, "the supervisor is gone: %s", strerror(errno));
    rec += k;
    n -= (size_t)k;
  }
  lua_pop(L, 1);
}

static const char *spec_string(lua_State *L, int t, const char *k) {
  lua_getfield(L, t, k);
  const char *v = lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER ? lua_tostring(L, -1) : NULL;
  lua_pop(L, 1);                        /* the string stays alive in the spec table */
  return v;
}

/* priv.record(kind [, field ...]): N name, D (done), S (a plain script) */
static int p_record(lua_State *L) {
  luaL_Buffer b;
  int n = lua_gettop(L);
  for (int i = 1; i <= n; i++) luaL_checkstring(L, i);
  luaL_buffinit(L, &b);
  luaL_addstring(&b, lua_tostring(L, 1));
  for (int i = 2; i <= n; i++) add_field(&b, lua_tostring(L, i));
  send_record(L, &b);
  return 0;
}

/* priv.plot(spec): the supervisor writes and draws it (supervise.h) */
static int p_plot(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addchar(&b, 'P');
  static const char *const fields[] = {"name", "kind", "title", "xlabel", "ylabel", "table", "z"};
  for (int i = 0; i < 7; i++) add_field(&b, spec_string(L, 1, fields[i]));
  char num[64];
  lua_getfield(L, 1, "xdiv");
  snprintf(num, sizeof num, "%.17g", lua_tonumber(L, -1));
  lua_pop(L, 1);
  add_field(&b, num);
  lua_getfield(L, 1, "ydiv");
  snprintf(num, sizeof num, "%.17g", lua_tonumber(L, -1));
  lua_pop(L, 1);
  add_field(&b, num);
  lua_getfield(L, 1, "logx");
  add_field(&b, lua_toboolean(L, -1) ? "1" : "0");
  lua_getfield(L, 1, "logy");
  add_field(&b, lua_toboolean(L, -1) ? "1" : "0");
  lua_pop(L, 2);
  for (int i = 0; i < 2; i++) {
    lua_getfield(L, 1, i ? "ymax" : "ymin");
    snprintf(num, sizeof num, "%.17g", lua_tonumber(L, -1));
    lua_pop(L, 1);
    add_field(&b, num);
  }
  lua_getfield(L, 1, "rotate_xtics");      /* many runs: their names slanted */
  add_field(&b, lua_toboolean(L, -1) ? "1" : "0");
  lua_pop(L, 1);
  send_record(L, &b);
  if (lua_getfield(L, 1, "lines") == LUA_TTABLE) {
    lua_Integer n = luaL_len(L, -1);
    for (lua_Integer i = 1; i <= n && i <= 64; i++) {
      lua_rawgeti(L, -1, i);
      int t = lua_gettop(L);
      luaL_buffinit(L, &b);
      luaL_addchar(&b, 'L');
      add_field(&b, spec_string(L, t, "file"));
      add_field(&b, spec_string(L, t, "x"));
      add_field(&b, spec_string(L, t, "y"));
      add_field(&b, spec_string(L, t, "title"));
      send_record(L, &b);
      lua_settop(L, t - 1);
    }
  }
  lua_pop(L, 1);
  lua_getfield(L, 1, "column_titles");
  int titles = lua_gettop(L);
  if (lua_getfield(L, 1, "columns") == LUA_TTABLE) {
    lua_Integer n = luaL_len(L, -1);
    for (lua_Integer i = 1; i <= n && i <= 64; i++) {
      lua_rawgeti(L, -1, i);
      const char *column = lua_tostring(L, -1);   /* before the buffer's own stack slot */
      const char *title = NULL;
      if (lua_istable(L, titles)) {
        lua_rawgeti(L, titles, i);
        title = lua_tostring(L, -1);
      }
      luaL_buffinit(L, &b);
      luaL_addchar(&b, 'C');
      add_field(&b, column);
      add_field(&b, title);
      send_record(L, &b);
      lua_settop(L, titles + 1);
    }
  }
  lua_settop(L, titles - 1);
  if (lua_getfield(L, 1, "marks") == LUA_TTABLE) {   /* phases: {x =, text =} */
    lua_Integer n = luaL_len(L, -1);
    for (lua_Integer i = 1; i <= n && i <= 64; i++) {
      lua_rawgeti(L, -1, i);
      int t = lua_gettop(L);
      lua_getfield(L, t, "x");
      snprintf(num, sizeof num, "%.17g", lua_tonumber(L, -1));
      const char *text = spec_string(L, t, "text");
      luaL_buffinit(L, &b);
      luaL_addchar(&b, 'M');
      add_field(&b, num);
      add_field(&b, text);
      send_record(L, &b);
      lua_settop(L, t - 1);
    }
  }
  lua_pop(L, 1);
  return 0;
}

static int p_isatty(lua_State *L) {
  lua_pushboolean(L, isatty((int)luaL_checkinteger(L, 1)));
  return 1;
}

static int p_wallclock(lua_State *L) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  lua_pushnumber(L, (double)ts.tv_sec + ts.tv_nsec / 1e9);
  return 1;
}

static int p_stderr(lua_State *L) {
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  fwrite(s, 1, n, stderr);
  fflush(stderr);
  return 0;
}

/* priv.dir(path): sorted names of the regular files and directories in
   it (never a FIFO, which would block whoever opens it), or nil, message */
static int p_dir(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  DIR *d = opendir(path);
  if (d == NULL) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", path, strerror(errno));
    return 2;
  }
  lua_newtable(L);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    struct stat st;
    if (fstatat(dirfd(d), e->d_name, &st, 0) != 0 || !S_ISREG(st.st_mode)) continue;
    lua_pushstring(L, e->d_name);
    lua_rawseti(L, -2, ++n);
  }
  closedir(d);
  lua_getglobal(L, "table");
  lua_getfield(L, -1, "sort");
  lua_pushvalue(L, -3);
  lua_call(L, 1, 0);
  lua_pop(L, 1);
  return 1;
}

#define MAX_SCRIPT_BYTES (16u << 20)
#define MAX_DATA_BYTES (256u << 20)        /* priv.read(path, true): a part of a run's results */

/*
** priv.read(path) -> text | nil, message, kind: a script's text.  Only a
** regular file: opened without blocking (a FIFO would wait forever for a
** writer), checked with fstat on what was opened, at most 16 MiB.
*/
static int p_read(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  size_t limit = lua_toboolean(L, 2) ? MAX_DATA_BYTES : MAX_SCRIPT_BYTES;
  if (strcmp(path, MS_BUILTIN_REPLAY) == 0) {   /* memsim replay's experiment, built in */
    lua_pushlstring(L, (const char *)replay_lua, sizeof replay_lua);
    return 1;
  }
  if (strcmp(path, "memsim:quiz.lua") == 0) {   /* memsim quiz */
    lua_pushlstring(L, (const char *)quiz_lua, sizeof quiz_lua);
    return 1;
  }
  if (strcmp(path, MS_BUILTIN_LAB) == 0) {      /* memsim lab allocator's experiment */
    lua_pushlstring(L, (const char *)lab_lua, sizeof lab_lua);
    return 1;
  }
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  struct stat st;
  const char *why = NULL, *kind = "open";
  if (fd < 0) {
    why = strerror(errno);
    kind = errno == ENOENT ? "missing" : "open";
  } else if (fstat(fd, &st) != 0) {
    why = strerror(errno);
  } else if (S_ISDIR(st.st_mode)) {
    why = "is a directory, not a script";
    kind = "dir";
  } else if (!S_ISREG(st.st_mode)) {
    why = "is not a regular file (a FIFO, a device or a socket cannot be a script)";
  } else if (st.st_size > (off_t)limit) {
    why = limit == MAX_SCRIPT_BYTES ? "is larger than 16 MiB: not a script" : "is larger than 256 MiB";
  }
  if (why) {
    if (fd >= 0) close(fd);
    lua_pushnil(L);
    lua_pushstring(L, why);
    lua_pushstring(L, kind);
    return 3;
  }
  luaL_Buffer b;
  char *p = luaL_buffinitsize(L, &b, (size_t)st.st_size + 1);
  size_t got = 0;
  for (;;) {
    ssize_t k = read(fd, p + got, (size_t)st.st_size + 1 - got);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) break;
    got += (size_t)k;
    if (got == (size_t)st.st_size + 1) break;
  }
  close(fd);
  luaL_pushresultsize(&b, got > limit ? limit : got);
  return 1;
}

/* priv.memory_error(): the refusal that ended the script, or nil */
static int p_memory_error(lua_State *L) {
  if (!hostmem.refused) return 0;
  if (hostmem.message[0]) lua_pushstring(L, hostmem.message);
  else lua_pushliteral(L, "MemoryError: the host memory limit was reached");
  return 1;
}

/* priv.check_stop(): leave now if the run was stopped (an error that
   follows the time limit, an open interrupted by it, is the time limit) */
/* priv.guard_thread(): the running coroutine stops at the time limit */
static int p_guard_thread(lua_State *L) {
  lua_sethook(L, limit_hook, LUA_MASKCOUNT, 10000);
  return 0;
}

static int p_check_stop(lua_State *L) {
  if (stop_flag) stop_now(L);
  return 0;
}

/* priv.closed(sim): the simulator was closed (by the script) */
static int p_closed(lua_State *L) {
  if (!is_sim(L, 1)) return luaL_typeerror(L, 1, SIM_MT);
  lua_pushboolean(L, ((LSim *)lua_touserdata(L, 1))->sim == NULL);
  return 1;
}

/* priv.sandbox_env(): what C must do for the Lua sandbox */
static int p_seal(lua_State *L) {
  /*
  ** The string metatable is shared by every chunk: a script that could
  ** reach it would change string methods under the runner.  And file
  ** handles' methods are the runner's too.
  */
  lua_pushliteral(L, "");
  if (lua_getmetatable(L, -1)) {
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
  }
  lua_settop(L, 0);
  luaL_getmetatable(L, LUA_FILEHANDLE);
  if (lua_istable(L, -1)) {
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
  }
  return 0;
}

static const luaL_Reg private_funcs[] = {
  {"write", p_write}, {"record", p_record}, {"plot", p_plot}, {"isatty", p_isatty},
  {"wallclock", p_wallclock}, {"stderr", p_stderr}, {"dir", p_dir}, {"read", p_read},
  {"memory_error", p_memory_error}, {"closed", p_closed}, {"seal", p_seal},
  {"check_stop", p_check_stop}, {"guard_thread", p_guard_thread}, {NULL, NULL}};

/* ====================================================================
** Opening the library, and the way in from main()
** ==================================================================== */

static int luaopen_memsim(lua_State *L) {
  luaL_newmetatable(L, OBJ_MT);
  lua_pushcfunction(L, l_obj_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pushcfunction(L, l_obj_eq);
  lua_setfield(L, -2, "__eq");
  lua_pushliteral(L, "memsim.object");
  lua_setfield(L, -2, "__name");
  lua_pushliteral(L, "memsim.object");      /* getmetatable(handle): no way to the binding */
  lua_setfield(L, -2, "__metatable");
  lua_pushinteger(L, luaL_ref(L, LUA_REGISTRYINDEX));   /* its slot, which memsim.new hands each simulator */
  lua_rawsetp(L, LUA_REGISTRYINDEX, &obj_mt_key);

  luaL_newmetatable(L, REPLAY_MT);
  lua_pushcfunction(L, l_replay_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushliteral(L, "memsim.replay");
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 1);

  luaL_newmetatable(L, SIM_MT);
  luaL_newlib(L, sim_methods);
  lua_newtable(L);                          /* type names for sim:new */
  for (int t = 0; t < MS_NTYPES; t++) {
    lua_pushinteger(L, t);
    lua_setfield(L, -2, ms_type_name(t));
  }
  lua_pushinteger(L, MS_NONE);
  lua_setfield(L, -2, "None");
  lua_pushinteger(L, MS_ITERATOR);
  lua_setfield(L, -2, "iterator");
  lua_pushcclosure(L, l_obj_new, 1);
  lua_setfield(L, -2, "new");
  lua_setfield(L, LUA_REGISTRYINDEX, "memsim.methods");
  lua_createtable(L, 0, 3);                 /* a simulator's name not there */
  lua_pushcfunction(L, l_module_index);
  lua_setfield(L, -2, "__index");
  lua_pushliteral(L, "a memsim simulator");
  lua_setfield(L, -2, "__memsim_name");
  lua_pushliteral(L, "memsim module");
  lua_setfield(L, -2, "__metatable");
  lua_setfield(L, LUA_REGISTRYINDEX, "memsim.missing");
  lua_pushcfunction(L, l_close);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, l_close);
  lua_setfield(L, -2, "__close");
  lua_pushcfunction(L, l_sim_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pushliteral(L, "memsim.Sim");
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 1);

  luaL_newlib(L, gc_funcs);
  lua_setfield(L, LUA_REGISTRYINDEX, "memsim.gcfuncs");
  luaL_newlib(L, sys_funcs);
  lua_setfield(L, LUA_REGISTRYINDEX, "memsim.sysfuncs");

  lua_createtable(L, 0, 4);
  lua_pushcfunction(L, l_new);
  lua_setfield(L, -2, "new");
  lua_pushcfunction(L, l_trace_info);
  lua_setfield(L, -2, "trace_info");
  ms_lab_register(L);                 /* lab_trace, lab_run, lab_compare */
  lua_pushliteral(L, MEMSIM_VERSION);
  lua_setfield(L, -2, "version");
  lua_newtable(L);
  const char *const *names = ms_profile_names();
  for (int i = 0; names[i]; i++) {
    lua_pushstring(L, names[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "profiles");
  return 1;
}

static int traceback(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  luaL_traceback(L, L, msg, 1);
  return 1;
}

static void set_string(lua_State *L, const char *k, const char *v) {
  if (v) {
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
  }
}

int ms_lua_main(const ms_RunOptions *o) {
  hostmem.limit = o->host_memory_limit;
  atexit(small_release);                   /* host_alloc's kept blocks, at exit */
  lua_State *L = lua_newstate(host_alloc, NULL);
  if (L == NULL) {
    fprintf(stderr, "memsim: cannot create a Lua state\n");
    return 1;
  }
  hostmem.L = L;
  script_path = o->script;
  workdir = o->workdir;
  manifest_fd = o->manifest_fd;
  luaL_openlibs(L);
  luaL_requiref(L, "memsim", luaopen_memsim, 1);
  lua_pop(L, 1);
  lua_pushboolean(L, o->check);
  lua_setfield(L, LUA_REGISTRYINDEX, "memsim.check");
  lua_pushinteger(L, (lua_Integer)o->memory_limit);
  lua_setfield(L, LUA_REGISTRYINDEX, "memsim.memory_limit");
  lua_pushinteger(L, (lua_Integer)o->explain);
  lua_setfield(L, LUA_REGISTRYINDEX, "memsim.explain");
  start_limits(L, o);

  lua_pushcfunction(L, traceback);
  int tb = lua_gettop(L);
  if (luaL_loadbuffer(L, (const char *)runner_lua, sizeof runner_lua, "=runner") != LUA_OK) {
    fprintf(stderr, "memsim: internal error loading the runner: %s\n", lua_tostring(L, -1));
    lua_close(L);
    return 1;
  }
  lua_createtable(L, 0, 16);
  set_string(L, "command", o->command);
  set_string(L, "script", o->script);
  set_string(L, "profile", o->profile);
  set_string(L, "allocator", o->allocator);
  set_string(L, "out", o->out);
  set_string(L, "workdir", o->workdir);
  set_string(L, "format", o->format);
  set_string(L, "scripts_dir", MEMSIM_SCRIPTS_DIR);
  lua_pushinteger(L, o->seed);
  lua_setfield(L, -2, "seed");
  lua_pushboolean(L, o->quiet);
  lua_setfield(L, -2, "quiet");
  lua_pushboolean(L, o->help);
  lua_setfield(L, -2, "help");
  lua_pushboolean(L, o->sandbox);
  lua_setfield(L, -2, "sandbox");
  lua_pushboolean(L, o->answers);
  lua_setfield(L, -2, "answers");
  lua_pushinteger(L, o->jobs);
  lua_setfield(L, -2, "jobs");
  if (o->list_points) {
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "list_points");
  }
  if (o->point > 0) {
    lua_pushinteger(L, o->point);
    lua_setfield(L, -2, "point");
  }
  if (o->worker_n > 0) {
    lua_createtable(L, 2, 0);
    lua_pushinteger(L, o->worker_k);
    lua_rawseti(L, -2, 1);
    lua_pushinteger(L, o->worker_n);
    lua_rawseti(L, -2, 2);
    lua_setfield(L, -2, "worker");
  }
  if (o->nmerge > 0) {
    lua_createtable(L, o->nmerge, 0);
    for (int i = 0; i < o->nmerge; i++) {
      lua_pushstring(L, o->merge_dirs[i]);
      lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "merge");
  }
  lua_newtable(L);
  for (int i = 0; i < o->nopts; i++) {
    lua_createtable(L, 2, 0);
    lua_pushstring(L, o->names[i]);
    lua_rawseti(L, -2, 1);
    lua_pushstring(L, o->values[i]);
    lua_rawseti(L, -2, 2);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "options");
  luaL_newlib(L, private_funcs);
  int status;
  int rc = lua_pcall(L, 2, 1, tb);
  if (stop_flag) stop_now(L);
  if (rc != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    if (hostmem.refused) fprintf(stderr, "memsim: %s\n", hostmem.message);
    else fprintf(stderr, "memsim: internal error: %s\n", msg ? msg : "(no message)");
    status = 1;
  } else {
    status = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : 1;
  }
  end_limits(L);
  lua_close(L);
  return status;
}
