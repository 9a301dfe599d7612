/*
** llab.c: the allocator lab's driver (memsim lab allocator), the C side.
**
** A student's allocator is a Lua module.  It runs in a Lua state of its
** own, made here for each trace, never in the runner's: it sees Lua's
** safe libraries and one object, the simulated heap (sim/core/labheap.h),
** and nothing of memsim, the runner or the files.  Its memory is capped
** (its blocks' metadata belongs in the heap, not in Lua tables: beside
** its compiled code, its data may take LUA_ALLOWANCE at most, whether
** made when it loads, in init or later), and every call into it has
** an instruction budget, so an endless loop is an error and not a hang.
**
** The driver replays a trace (sim/trace/labtrace.h) through it as the
** CS:APP malloc lab's driver does: every block it returns is checked
** (aligned to 16, inside the heap, overlapping no live block), its
** payload is filled with a pattern, and the pattern is checked at free
** and across realloc.  The first wrong block is an error naming the
** request, its trace line and what is wrong.
**
** For comparison, the same trace replays through memsim's own allocators
** (lab_compare): pymalloc and the raw allocator, on a fresh simulator.
**
**   memsim.lab_trace(path)                       -> trace (text or recorded)
**   memsim.lab_run(module_path, trace, opts)     -> result table, or error
**   memsim.lab_compare(trace, {allocator =, profile =}) -> result table
*/
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

#include "labheap.h"
#include "labtrace.h"
#include "llab.h"
#include "sim.h"

#define TRACE_MT "memsim.labtrace"
#define HEAP_MT "memsim.labheap"
#define LUA_ALLOWANCE (256u << 10)      /* the allocator's Lua data beside its code, at most */
#define LUA_LOAD_LIMIT (16u << 20)      /* the state with its code, while it compiles */
#define HOOK_STEP 1000                  /* instructions between two looks of the hook */
#define BUDGET_DEFAULT 100000000ull     /* instructions one call may run */
#define MAX_FILE (512u << 20)

/* ====================================================================
** Files: a regular file, read whole
** ==================================================================== */

/* the file's bytes (malloc'd, *N long), or NULL with ERR */
static char *read_file(const char *path, size_t max, size_t *n, char *err, size_t errlen) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  struct stat st;
  if (fd < 0) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return NULL;
  }
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
    snprintf(err, errlen, "%s: not a regular file of at most %zu MiB", path, max >> 20);
    close(fd);
    return NULL;
  }
  char *buf = malloc((size_t)st.st_size + 1);
  size_t got = 0;
  while (buf && got < (size_t)st.st_size) {
    ssize_t k = read(fd, buf + got, (size_t)st.st_size - got);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) break;
    got += (size_t)k;
  }
  close(fd);
  if (buf == NULL) {
    snprintf(err, errlen, "%s: out of memory", path);
    return NULL;
  }
  buf[got] = '\0';
  *n = got;
  return buf;
}

/* ====================================================================
** Traces
** ==================================================================== */

static int trace_gc(lua_State *L) {
  ms_labtrace_free((ms_LabTrace *)luaL_checkudata(L, 1, TRACE_MT));
  return 0;
}

static void set_int(lua_State *L, const char *k, uint64_t v) {
  lua_pushinteger(L, (lua_Integer)v);
  lua_setfield(L, -2, k);
}

static void set_num(lua_State *L, const char *k, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, k);
}

/* trace:info() -> {requests, allocs, frees, reallocs, blocks, live_peak, recorded} */
static int trace_info(lua_State *L) {
  ms_LabTrace *t = luaL_checkudata(L, 1, TRACE_MT);
  lua_createtable(L, 0, 7);
  set_int(L, "requests", t->nops);
  set_int(L, "allocs", t->allocs);
  set_int(L, "frees", t->frees);
  set_int(L, "reallocs", t->reallocs);
  set_int(L, "blocks", t->nslots);
  set_int(L, "live_peak", t->live_peak);
  lua_pushboolean(L, t->recorded);
  lua_setfield(L, -2, "recorded");
  return 1;
}

static int l_lab_trace(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  char err[512];
  ms_LabTrace *t = lua_newuserdatauv(L, sizeof *t, 0);
  memset(t, 0, sizeof *t);
  luaL_setmetatable(L, TRACE_MT);
  /* memsim record's traces begin with their magic; anything else is text */
  char magic[8] = {0};
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  struct stat st;
  if (fd < 0) return luaL_error(L, "%s: %s", path, strerror(errno));
  int regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  ssize_t k = regular ? read(fd, magic, sizeof magic) : -1;
  close(fd);
  if (!regular) return luaL_error(L, "%s: not a regular file", path);
  if (k == (ssize_t)sizeof magic && memcmp(magic, "MEMSIMTR", 8) == 0) {
    ms_Trace *tr = ms_trace_open(path, err, sizeof err);
    if (tr == NULL) return luaL_error(L, "%s", err);
    int rc = ms_labtrace_from_recorded(t, tr, err, sizeof err);
    ms_trace_close(tr);
    if (rc != 0) return luaL_error(L, "%s: item %s", path, err);
    return 1;
  }
  size_t n;
  char *text = read_file(path, MAX_FILE, &n, err, sizeof err);
  if (text == NULL) return luaL_error(L, "%s", err);
  int rc = ms_labtrace_parse(t, text, n, err, sizeof err);
  free(text);
  if (rc != 0) return luaL_error(L, "%s:%s", path, err);
  return 1;
}

/* ====================================================================
** The student's Lua state
** ==================================================================== */

typedef struct Student {
  lua_State *S;
  ms_LabHeap *h;
  size_t used, limit;
  int denied;              /* the memory cap refused a request */
  uint64_t insns, budget;
  char doing[96];          /* the call under way, for the hook's message */
} Student;

static Student *student_of(lua_State *S) { return *(Student **)lua_getextraspace(S); }

static void *student_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  Student *st = ud;
  if (ptr == NULL) osize = 0;
  if (nsize == 0) {
    free(ptr);
    st->used -= osize;
    return NULL;
  }
  if (nsize > osize && st->used + (nsize - osize) > st->limit) {
    st->denied = 1;
    return NULL;
  }
  void *q = realloc(ptr, nsize);
  if (q != NULL) st->used = st->used - osize + nsize;
  return q;
}

static void student_hook(lua_State *S, lua_Debug *ar) {
  (void)ar;
  Student *st = student_of(S);
  st->insns += HOOK_STEP;
  if (st->insns > st->budget) {
    char msg[200];
    snprintf(msg, sizeof msg, "%s ran %" PRIu64 " million Lua instructions without returning "
             "(an endless loop?)", st->doing, st->budget / 1000000);
    luaL_where(S, 1);
    lua_pushstring(S, msg);
    lua_concat(S, 2);
    lua_error(S);
  }
}

/* the heap's methods, as the allocator calls them: heap:read(p) ... */
static ms_LabHeap *heap_arg(lua_State *S) {
  luaL_checkudata(S, 1, HEAP_MT);
  return student_of(S)->h;
}

static int heap_sbrk(lua_State *S) {
  ms_LabHeap *h = heap_arg(S);
  lua_Integer d = luaL_checkinteger(S, 2);
  uint64_t old;
  int rc = ms_labheap_sbrk(h, (int64_t)d, &old);
  if (rc < 0) return luaL_error(S, "heap:%s", h->err);
  if (rc > 0) {
    luaL_pushfail(S);
    lua_pushstring(S, "out of memory: the heap's space is full");
    return 2;
  }
  lua_pushinteger(S, (lua_Integer)old);
  return 1;
}

static int heap_mmap(lua_State *S) {
  ms_LabHeap *h = heap_arg(S);
  lua_Integer n = luaL_checkinteger(S, 2);
  luaL_argcheck(S, n > 0, 2, "a mapping of at least one byte");
  uint64_t p;
  int rc = ms_labheap_mmap(h, (uint64_t)n, &p);
  if (rc < 0) return luaL_error(S, "heap:%s", h->err);
  if (rc > 0) {
    luaL_pushfail(S);
    lua_pushstring(S, "out of memory: no room in the heap's space");
    return 2;
  }
  lua_pushinteger(S, (lua_Integer)p);
  return 1;
}

static int heap_munmap(lua_State *S) {
  ms_LabHeap *h = heap_arg(S);
  lua_Integer p = luaL_checkinteger(S, 2), n = luaL_checkinteger(S, 3);
  luaL_argcheck(S, n > 0, 3, "a length of at least one byte");
  if (ms_labheap_munmap(h, (uint64_t)p, (uint64_t)n) != 0) return luaL_error(S, "heap:%s", h->err);
  return 0;
}

static int heap_read(lua_State *S) {
  ms_LabHeap *h = heap_arg(S);
  int64_t v;
  if (ms_labheap_read(h, (uint64_t)luaL_checkinteger(S, 2), &v) != 0) return luaL_error(S, "heap:%s", h->err);
  lua_pushinteger(S, (lua_Integer)v);
  return 1;
}

static int heap_write(lua_State *S) {
  ms_LabHeap *h = heap_arg(S);
  lua_Integer p = luaL_checkinteger(S, 2), v = luaL_checkinteger(S, 3);
  if (ms_labheap_write(h, (uint64_t)p, (int64_t)v) != 0) return luaL_error(S, "heap:%s", h->err);
  return 0;
}

static int heap_copy(lua_State *S) {
  ms_LabHeap *h = heap_arg(S);
  lua_Integer d = luaL_checkinteger(S, 2), s = luaL_checkinteger(S, 3), n = luaL_checkinteger(S, 4);
  luaL_argcheck(S, n >= 0, 4, "a length of zero or more bytes");
  if (ms_labheap_copy(h, (uint64_t)d, (uint64_t)s, (uint64_t)n) != 0) return luaL_error(S, "heap:%s", h->err);
  return 0;
}

static int heap_tostring(lua_State *S) {
  ms_LabHeap *h = heap_arg(S);
  lua_pushfstring(S, "heap (brk area 0x%I to 0x%I, %I bytes mmapped)", (lua_Integer)h->base,
                  (lua_Integer)h->brk, (lua_Integer)h->mapped_bytes);
  return 1;
}

/* print() goes to stderr, at most 200 lines a trace: the student's debugging */
static int student_print(lua_State *S) {
  static const int max_lines = 200;
  int n = lua_gettop(S);
  lua_getfield(S, LUA_REGISTRYINDEX, "memsim.printed");
  lua_Integer lines = lua_tointeger(S, -1) + 1;
  lua_pop(S, 1);
  lua_pushinteger(S, lines);
  lua_setfield(S, LUA_REGISTRYINDEX, "memsim.printed");
  if (lines > max_lines) return 0;
  luaL_Buffer b;
  luaL_buffinit(S, &b);
  luaL_addstring(&b, "allocator: ");
  for (int i = 1; i <= n; i++) {
    if (i > 1) luaL_addchar(&b, '\t');
    luaL_tolstring(S, i, NULL);
    luaL_addvalue(&b);
  }
  luaL_addstring(&b, lines == max_lines ? "\n(further prints of this trace are not shown)\n" : "\n");
  luaL_pushresult(&b);
  size_t len;
  const char *s = lua_tolstring(S, -1, &len);
  fwrite(s, 1, len, stderr);
  return 0;
}

/*
** A state with Lua's safe libraries only: no io, os, package, debug; no
** load, loadfile, dofile, require or string.dump (no code but the
** module's own, no binary chunks); no collectgarbage (the cap and the
** emergency collection are the driver's).
*/
static int student_open(Student *st, char *err, size_t errlen) {
  st->limit = LUA_LOAD_LIMIT;
  lua_State *S = lua_newstate(student_alloc, st);
  if (S == NULL) {
    snprintf(err, errlen, "no memory for the allocator's Lua state");
    return -1;
  }
  st->S = S;
  *(Student **)lua_getextraspace(S) = st;
  static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base}, {LUA_STRLIBNAME, luaopen_string},
                                  {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
                                  {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL}};
  for (const luaL_Reg *l = libs; l->name; l++) {
    luaL_requiref(S, l->name, l->func, 1);
    lua_pop(S, 1);
  }
  static const char *const removed[] = {"dofile", "loadfile", "load", "require", "collectgarbage", NULL};
  for (int i = 0; removed[i]; i++) {
    lua_pushnil(S);
    lua_setglobal(S, removed[i]);
  }
  lua_getglobal(S, "string");
  lua_pushnil(S);
  lua_setfield(S, -2, "dump");
  lua_pop(S, 1);
  lua_pushcfunction(S, student_print);
  lua_setglobal(S, "print");
  /* math.random: the same numbers every run */
  lua_getglobal(S, "math");
  lua_getfield(S, -1, "randomseed");
  lua_pushinteger(S, 1);
  lua_call(S, 1, 0);
  lua_pop(S, 1);
  static const luaL_Reg methods[] = {{"sbrk", heap_sbrk}, {"mmap", heap_mmap}, {"munmap", heap_munmap},
                                     {"read", heap_read}, {"write", heap_write}, {"copy", heap_copy},
                                     {NULL, NULL}};
  luaL_newmetatable(S, HEAP_MT);
  luaL_newlib(S, methods);
  lua_pushinteger(S, MS_LAB_PAGE);
  lua_setfield(S, -2, "PAGE");
  lua_pushinteger(S, MS_LAB_GRANULE);
  lua_setfield(S, -2, "ALIGNMENT");
  lua_setfield(S, -2, "__index");
  lua_pushcfunction(S, heap_tostring);
  lua_setfield(S, -2, "__tostring");
  lua_pushliteral(S, "heap");
  lua_setfield(S, -2, "__metatable");
  lua_pop(S, 1);
  lua_sethook(S, student_hook, LUA_MASKCOUNT, HOOK_STEP);
  return 0;
}

/* the error of a failed call, with the allocator's own stack under it */
static int on_error(lua_State *S) {
  const char *msg = lua_tostring(S, 1);
  luaL_traceback(S, S, msg ? msg : "(an error that is not a string)", 1);
  return 1;
}

/*
** Call the module's function NAME with NARGS arguments on the stack.
** 0 with its one result on the stack, or -1 with the message in ERR.
*/
static int student_call(Student *st, const char *name, int nargs, const char *doing, char *err, size_t errlen) {
  lua_State *S = st->S;
  int base = lua_gettop(S) - nargs;
  lua_pushstring(S, name);                       /* the module table is at 1: raw, */
  lua_rawget(S, 1);                              /* no metamethod runs unprotected */
  if (!lua_isfunction(S, -1)) {
    lua_settop(S, base);
    snprintf(err, errlen, "the allocator has no function %s (the module returns a table with "
             "init, malloc, free and realloc)", name);
    return -1;
  }
  lua_insert(S, base + 1);
  lua_pushcfunction(S, on_error);
  lua_insert(S, base + 1);
  snprintf(st->doing, sizeof st->doing, "%s", doing);
  st->insns = 0;
  ms_labheap_charge_call(st->h);
  int rc = lua_pcall(S, nargs, 1, base + 1);
  lua_remove(S, base + 1);                       /* the handler */
  if (rc != LUA_OK) {
    const char *m = lua_tostring(S, -1);
    if (st->denied)
      snprintf(err, errlen, "%s: the allocator's own Lua data passed its limit (%u KiB beside its "
               "code): a block's size, links and flags belong in the heap (heap:write), "
               "not in Lua tables", doing, LUA_ALLOWANCE >> 10);
    else
      snprintf(err, errlen, "%s failed: %s", doing, m ? m : "an error that is not a string");
    lua_settop(S, base);
    return -1;
  }
  return 0;
}

/* ====================================================================
** The replay
** ==================================================================== */

typedef struct Block {
  uint64_t addr;
  uint32_t size;
  uint64_t line, seed;     /* where it was allocated (or resized); its pattern */
  uint64_t name;           /* its ID in the trace */
} Block;

typedef struct Samples {
  lua_Integer *op, *heap, *live;
  size_t n, cap;
} Samples;

static void sample(Samples *s, uint64_t op, uint64_t heap, uint64_t live) {
  if (s->n == s->cap) return;
  s->op[s->n] = (lua_Integer)op;
  s->heap[s->n] = (lua_Integer)heap;
  s->live[s->n] = (lua_Integer)live;
  s->n++;
}

static int samples_init(Samples *s, lua_Integer want) {
  s->cap = (size_t)(want + 2);
  s->n = 0;
  s->op = calloc(s->cap, sizeof *s->op);
  s->heap = calloc(s->cap, sizeof *s->heap);
  s->live = calloc(s->cap, sizeof *s->live);
  return s->op && s->heap && s->live ? 0 : -1;
}

static void samples_free(Samples *s) {
  free(s->op);
  free(s->heap);
  free(s->live);
}

static void push_samples(lua_State *L, const Samples *s) {
  lua_createtable(L, 0, 3);
  const char *names[] = {"op", "heap", "live"};
  lua_Integer *cols[] = {s->op, s->heap, s->live};
  for (int c = 0; c < 3; c++) {
    lua_createtable(L, (int)s->n, 0);
    for (size_t i = 0; i < s->n; i++) {
      lua_pushinteger(L, cols[c][i]);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, names[c]);
  }
  lua_setfield(L, -2, "samples");
}

static const char *where(const ms_LabTrace *t) { return t->recorded ? "item" : "line"; }

/* "12: a 5 40" (a text trace's line), "12: realloc 300" (a recorded trace's item) */
static void describe(const ms_LabTrace *t, const ms_LabOp *o, char *out, size_t n) {
  if (t->recorded)
    snprintf(out, n, "%" PRIu64 ": %s %" PRIu32, o->line,
             o->kind == 'a' ? "malloc" : o->kind == 'c' ? "calloc" : o->kind == 'r' ? "realloc" : "free",
             o->size);
  else if (o->kind == 'f')
    snprintf(out, n, "%" PRIu64 ": f %" PRIu64, o->line, o->name);
  else
    snprintf(out, n, "%" PRIu64 ": %c %" PRIu64 " %" PRIu32, o->line, o->kind, o->name, o->size);
}

/* "block 7" or "the block from item 12" */
static void block_name(const ms_LabTrace *t, const Block *b, char *out, size_t n) {
  if (t->recorded) snprintf(out, n, "the block of item %" PRIu64, b->line);
  else snprintf(out, n, "block %" PRIu64, b->name);
}

/* check the address the allocator returned for OP; 0, or -1 with ERR */
static int check_result(Student *st, const ms_LabTrace *t, const ms_LabOp *o, const Block *blocks,
                        const char *what, uint64_t *out, char *err, size_t errlen) {
  lua_State *S = st->S;
  char op[160];
  describe(t, o, op, sizeof op);
  int isnum;
  lua_Integer q = lua_tointegerx(S, -1, &isnum);
  int type = lua_type(S, -1);
  lua_pop(S, 1);
  if (!isnum) {
    if (type == LUA_TNIL || type == LUA_TBOOLEAN)
      snprintf(err, errlen, "%s: %s returned nil: out of memory (the heap's space is %" PRIu64 " MiB)",
               op, what, st->h->limit >> 20);
    else
      snprintf(err, errlen, "%s: %s returned a %s, not an address", op, what, lua_typename(S, type));
    return -1;
  }
  uint32_t other = 0;
  switch (ms_labheap_check_block(st->h, (uint64_t)q, o->size, &other)) {
    case MS_LAB_OK:
      *out = (uint64_t)q;
      return 0;
    case MS_LAB_MISALIGNED:
      snprintf(err, errlen, "%s: %s returned 0x%" PRIx64 ": not aligned to 16 bytes", op, what, (uint64_t)q);
      return -1;
    case MS_LAB_OUTSIDE:
      snprintf(err, errlen, "%s: %s returned 0x%" PRIx64 ": its %" PRIu32 " bytes are not all "
               "inside the heap (the brk area is 0x%" PRIx64 " to 0x%" PRIx64 ")", op, what, (uint64_t)q,
               o->size, st->h->base, st->h->brk);
      return -1;
    case MS_LAB_OVERLAP: {
      char bn[80];
      block_name(t, &blocks[other], bn, sizeof bn);
      snprintf(err, errlen, "%s: %s returned 0x%" PRIx64 ", which overlaps %s (0x%" PRIx64
               ", %" PRIu32 " bytes, from %s %" PRIu64 "), still live", op, what, (uint64_t)q,
               bn, blocks[other].addr, blocks[other].size, where(t), blocks[other].line);
      return -1;
    }
  }
  return -1;
}

/* the payload of a live block is as the driver wrote it; 0, or -1 with ERR */
static int check_payload(Student *st, const ms_LabTrace *t, const ms_LabOp *o, const Block *b, char *err,
                         size_t errlen) {
  int64_t bad = ms_labheap_check_fill(st->h, b->addr, b->size, b->seed);
  if (bad < 0) return 0;
  char op[160], bn[80];
  describe(t, o, op, sizeof op);
  block_name(t, b, bn, sizeof bn);
  snprintf(err, errlen, "%s: the payload of %s (0x%" PRIx64 ", %" PRIu32 " bytes, from %s %" PRIu64
           ") changed at byte %" PRId64 " while it was live: the allocator wrote over a block it had "
           "handed out", op, bn, b->addr, b->size, where(t), b->line, bad);
  return -1;
}

static int replay(Student *st, const ms_LabTrace *t, Block *blocks, Samples *smp, uint64_t every,
                  char *err, size_t errlen) {
  lua_State *S = st->S;
  ms_LabHeap *h = st->h;
  char doing[96];
  uint64_t i_failed = 0;
  for (uint64_t i = 0; i < t->nops; i++) {
    const ms_LabOp *o = &t->ops[i];
    i_failed = i;
    Block *b = &blocks[o->slot];
    if (o->kind == 'a' || o->kind == 'c') {
      /* calloc: the allocator's own when it has one, else malloc and a
         memset the driver charges as the C library's calloc would */
      int own_calloc = 0;
      if (o->kind == 'c') {
        lua_pushliteral(S, "calloc");
        lua_rawget(S, 1);
        own_calloc = lua_isfunction(S, -1);
        lua_pop(S, 1);
      }
      if (own_calloc) {
        lua_pushinteger(S, 1);
        lua_pushinteger(S, o->size);
        snprintf(doing, sizeof doing, "calloc(1, %" PRIu32 ")", o->size);
        if (student_call(st, "calloc", 2, doing, err, errlen) != 0) goto failed;
      } else {
        lua_pushinteger(S, o->size);
        snprintf(doing, sizeof doing, "malloc(%" PRIu32 ")", o->size);
        if (student_call(st, "malloc", 1, doing, err, errlen) != 0) goto failed;
      }
      uint64_t q;
      if (check_result(st, t, o, blocks, doing, &q, err, errlen) != 0) return -1;
      if (own_calloc) {
        int64_t nz = ms_labheap_check_zero(h, q, o->size);
        if (nz >= 0) {
          char op[160];
          describe(t, o, op, sizeof op);
          snprintf(err, errlen, "%s: %s returned 0x%" PRIx64 ", whose byte %" PRId64 " is not zero",
                   op, doing, q, nz);
          return -1;
        }
      } else if (o->kind == 'c') {
        memset(h->bytes + (q - h->base), 0, o->size);
        h->now_ns += ((uint64_t)o->size * h->cost.copy_per_kib + 1023) / 1024;
      }
      *b = (Block){q, o->size, o->line, i, o->name};
      ms_labheap_add_block(h, q, o->size, o->slot);
      ms_labheap_fill(h, q, o->size, i);
    } else if (o->kind == 'f') {
      if (check_payload(st, t, o, b, err, errlen) != 0) return -1;
      ms_labheap_remove_block(h, b->addr, b->size);
      lua_pushinteger(S, (lua_Integer)b->addr);
      snprintf(doing, sizeof doing, "free(0x%" PRIx64 ")", b->addr);
      if (student_call(st, "free", 1, doing, err, errlen) != 0) goto failed;
      lua_pop(S, 1);
    } else {
      if (check_payload(st, t, o, b, err, errlen) != 0) return -1;
      Block old = *b;
      ms_labheap_remove_block(h, b->addr, b->size);
      lua_pushinteger(S, (lua_Integer)b->addr);
      lua_pushinteger(S, o->size);
      snprintf(doing, sizeof doing, "realloc(0x%" PRIx64 ", %" PRIu32 ")", b->addr, o->size);
      if (student_call(st, "realloc", 2, doing, err, errlen) != 0) goto failed;
      uint64_t q;
      if (check_result(st, t, o, blocks, doing, &q, err, errlen) != 0) return -1;
      uint64_t keep = old.size < o->size ? old.size : o->size;
      int64_t bad = ms_labheap_check_fill(h, q, keep, old.seed);
      if (bad >= 0) {
        char op[160];
        describe(t, o, op, sizeof op);
        snprintf(err, errlen, "%s: %s returned 0x%" PRIx64 " but lost the payload: byte %" PRId64
                 " of the %" PRIu64 " it must keep differs", op, doing, q, bad, keep);
        return -1;
      }
      *b = (Block){q, o->size, o->line, i, o->name};
      ms_labheap_add_block(h, q, o->size, o->slot);
      ms_labheap_fill(h, q, o->size, i);
    }
    if (i % every == 0 || i + 1 == t->nops) sample(smp, i + 1, h->heap_bytes, h->live_bytes);
  }
  return 0;
failed: {
    /* the allocator's own error: say which request of the trace it was serving */
    char op[160], msg[2048];
    describe(t, &t->ops[i_failed], op, sizeof op);
    snprintf(msg, sizeof msg, "%s: %s", op, err);
    snprintf(err, errlen, "%s", msg);
    return -1;
  }
}

static lua_Integer opt_int(lua_State *L, int t, const char *k, lua_Integer dflt, lua_Integer lo, lua_Integer hi) {
  if (lua_type(L, t) != LUA_TTABLE) return dflt;
  lua_getfield(L, t, k);
  lua_Integer v = lua_isnil(L, -1) ? dflt : luaL_checkinteger(L, -1);
  lua_pop(L, 1);
  if (v < lo || v > hi) luaL_error(L, "lab: %s must be from %I to %I", k, lo, hi);
  return v;
}

/* memsim.lab_run(module_path, trace [, {limit =, samples =, budget =}]) */
static int l_lab_run(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  ms_LabTrace *t = luaL_checkudata(L, 2, TRACE_MT);
  lua_Integer limit = opt_int(L, 3, "limit", (lua_Integer)MS_LAB_LIMIT_DEFAULT, 1 << 20, (lua_Integer)MS_LAB_LIMIT_MAX);
  lua_Integer want = opt_int(L, 3, "samples", 400, 2, 100000);
  lua_Integer budget = opt_int(L, 3, "budget", (lua_Integer)BUDGET_DEFAULT, 100000, 10000000000);
  char err[2048] = "";
  Student st = {0};
  st.budget = (uint64_t)budget;
  Block *blocks = NULL;
  Samples smp = {0};
  size_t n = 0;
  char *text = NULL;
  int ok = 0;
  st.h = ms_labheap_new((uint64_t)limit / MS_LAB_PAGE * MS_LAB_PAGE);
  if (st.h == NULL) {
    snprintf(err, sizeof err, "no host memory for a heap of %" PRIu64 " MiB", (uint64_t)limit >> 20);
    goto done;
  }
  blocks = calloc(t->nslots ? t->nslots : 1, sizeof *blocks);
  if (blocks == NULL || samples_init(&smp, want) != 0) {
    snprintf(err, sizeof err, "out of host memory for the trace's blocks");
    goto done;
  }
  if (student_open(&st, err, sizeof err) != 0) goto done;
  text = read_file(path, 16u << 20, &n, err, sizeof err);
  if (text == NULL) goto done;
  lua_State *S = st.S;
  char chunkname[600];
  const char *base = strrchr(path, '/');
  snprintf(chunkname, sizeof chunkname, "@%s", base ? base + 1 : path);
  if (luaL_loadbufferx(S, text, n, chunkname, "t") != LUA_OK) {
    snprintf(err, sizeof err, "%s", lua_tostring(S, -1));
    goto done;
  }
  /* from here on, the module's own data (made at load, in init or later)
     may take LUA_ALLOWANCE beyond its compiled code, no more */
  lua_gc(S, LUA_GCCOLLECT);
  st.limit = st.used + LUA_ALLOWANCE;
  lua_pushcfunction(S, on_error);
  lua_insert(S, -2);
  snprintf(st.doing, sizeof st.doing, "loading the module");
  if (lua_pcall(S, 0, 1, 1) != LUA_OK) {
    snprintf(err, sizeof err, "loading the allocator failed: %s", st.denied
             ? "its Lua data passed its limit beside its code: sizes, links and flags belong in "
               "the heap (heap:write), not in Lua tables" : lua_tostring(S, -1));
    goto done;
  }
  lua_remove(S, 1);
  if (!lua_istable(S, 1)) {
    snprintf(err, sizeof err, "%s must return a table {init =, malloc =, free =, realloc =} (it returned %s)",
             chunkname + 1, luaL_typename(S, 1));
    goto done;
  }
  lua_settop(S, 1);
  lua_pushliteral(S, "init");
  lua_rawget(S, 1);
  int has_init = lua_isfunction(S, -1);
  lua_pop(S, 1);
  if (has_init) {
    lua_newuserdatauv(S, 0, 0);
    luaL_setmetatable(S, HEAP_MT);
    if (student_call(&st, "init", 1, "init(heap)", err, sizeof err) != 0) goto done;
    lua_pop(S, 1);
  }
  uint64_t every = t->nops / (uint64_t)want + 1;
  sample(&smp, 0, st.h->heap_bytes, 0);
  if (replay(&st, t, blocks, &smp, every, err, sizeof err) != 0) goto done;
  ok = 1;
done:
  free(text);
  free(blocks);
  if (ok) {
    ms_LabHeap *h = st.h;
    lua_createtable(L, 0, 16);
    set_int(L, "requests", t->nops);
    set_int(L, "time_ns", h->now_ns);
    set_int(L, "heap_peak", h->heap_peak);
    set_int(L, "live_peak", t->live_peak);
    set_num(L, "utilisation", h->heap_peak ? (double)t->live_peak / (double)h->heap_peak : 0);
    set_num(L, "ops_per_us", h->now_ns ? (double)t->nops * 1000.0 / (double)h->now_ns : 0);
    set_int(L, "words_read", h->words_read);
    set_int(L, "words_written", h->words_written);
    set_int(L, "bytes_copied", h->bytes_copied);
    set_int(L, "syscalls", h->syscalls);
    set_int(L, "lua_bytes", st.used);
    push_samples(L, &smp);
  }
  samples_free(&smp);
  if (st.S) lua_close(st.S);
  ms_labheap_free(st.h);
  if (!ok) {
    lua_pushstring(L, err);
    return lua_error(L);
  }
  return 1;
}

/* ====================================================================
** The same trace through memsim's allocators
** ==================================================================== */

/* memsim.lab_compare(trace, {allocator = "pymalloc"|"malloc", profile =, samples =}) */
static int l_lab_compare(lua_State *L) {
  ms_LabTrace *t = luaL_checkudata(L, 1, TRACE_MT);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_getfield(L, 2, "allocator");
  lua_getfield(L, 2, "profile");
  ms_Config c;
  ms_config_default(&c);
  c.allocator = luaL_optstring(L, -2, "pymalloc");
  c.profile = luaL_optstring(L, -1, NULL);
  lua_Integer want = opt_int(L, 2, "samples", 400, 2, 100000);
  char err[512];
  ms_Sim *s = ms_sim_new(&c, err, sizeof err);
  if (s == NULL) return luaL_error(L, "lab_compare: %s", err);
  uint64_t *addr = calloc(t->nslots ? t->nslots : 1, sizeof *addr);
  Samples smp = {0};
  if (addr == NULL || samples_init(&smp, want) != 0) {
    free(addr);
    samples_free(&smp);
    ms_sim_free(s);
    return luaL_error(L, "lab_compare: out of host memory");
  }
  uint64_t every = t->nops / (uint64_t)want + 1, peak = 0, live = 0, t0 = ms_sim_now(s);
  uint32_t *size = calloc(t->nslots ? t->nslots : 1, sizeof *size);
  int failed = size == NULL;
  sample(&smp, 0, ms_sim_mapped_bytes(s), 0);
  for (uint64_t i = 0; i < t->nops && !failed; i++) {
    const ms_LabOp *o = &t->ops[i];
    if (o->kind == 'a' || o->kind == 'c') {            /* calloc: malloc, then a memset */
      addr[o->slot] = ms_malloc(s, o->size);
      size[o->slot] = o->size;
      live += o->size;
      failed = addr[o->slot] == 0;
    } else if (o->kind == 'f') {
      failed = ms_free(s, addr[o->slot]) != 0;
      live -= size[o->slot];
    } else {
      addr[o->slot] = ms_realloc(s, addr[o->slot], o->size);
      live = live - size[o->slot] + o->size;
      size[o->slot] = o->size;
      failed = addr[o->slot] == 0;
    }
    uint64_t m = ms_sim_mapped_bytes(s);
    if (m > peak) peak = m;
    if (i % every == 0 || i + 1 == t->nops) sample(&smp, i + 1, m, live);
  }
  uint64_t ns = ms_sim_now(s) - t0;
  if (failed) snprintf(err, sizeof err, "lab_compare: %s", ms_sim_error(s));
  ms_sim_free(s);
  free(addr);
  free(size);
  if (failed) {
    samples_free(&smp);
    return luaL_error(L, "%s", err);
  }
  lua_createtable(L, 0, 8);
  set_int(L, "requests", t->nops);
  set_int(L, "time_ns", ns);
  set_int(L, "heap_peak", peak);
  set_int(L, "live_peak", t->live_peak);
  set_num(L, "utilisation", peak ? (double)t->live_peak / (double)peak : 0);
  set_num(L, "ops_per_us", ns ? (double)t->nops * 1000.0 / (double)ns : 0);
  push_samples(L, &smp);
  samples_free(&smp);
  return 1;
}

void ms_lab_register(lua_State *L) {
  if (luaL_newmetatable(L, TRACE_MT)) {
    lua_pushcfunction(L, trace_gc);
    lua_setfield(L, -2, "__gc");
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, trace_info);
    lua_setfield(L, -2, "info");
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "labtrace");
    lua_setfield(L, -2, "__metatable");
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, l_lab_trace);
  lua_setfield(L, -2, "lab_trace");
  lua_pushcfunction(L, l_lab_run);
  lua_setfield(L, -2, "lab_run");
  lua_pushcfunction(L, l_lab_compare);
  lua_setfield(L, -2, "lab_compare");
}
