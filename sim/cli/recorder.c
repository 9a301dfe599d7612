/*
** recorder.c: memsim's recorder, an embedding launcher for a real CPython.
**
**   memsim-recorder FD PYTHON PROG.py [ARGS ...]
**
** memsim record builds this file against the chosen interpreter's own
** headers and library (sim/cli/record.c) and runs it.  It starts the
** interpreter as `PYTHON PROG.py ARGS` would start, with one difference:
** before Py_Initialize it wraps the allocators of the three domains
** (PyMem_SetAllocator) and the arena allocator (PyObject_SetArenaAllocator),
** so every request from the interpreter's first one is written to the
** trace on file descriptor FD (format: sim/trace/traceformat.h).
**
**   PyObject_Malloc ---> w_malloc(obj) ---> pymalloc ---> w_malloc(raw)
**                           |                 |   \----> w_arena_alloc
**                           v                 v               |
**                        trace (nested = 0)  trace (nested = 1, both)
**
** The recording stops in an atexit function registered before the
** program runs, so it runs after every handler the program registered:
** the recorder then writes the end record with sys._debugmallocstats()'s
** text and sys.getallocatedblocks() taken at that same moment, which is
** what `memsim replay --verify` compares the replay's end state with.
**
** It also puts memsim_mark(name) among the builtins (a named marker in
** the trace) and a gc.callbacks function (each collection, with its
** duration).  Those calls allocate like any Python code does, and their
** allocations are in the trace: the trace is exact for the run it
** records, which differs from an unrecorded run by those few objects.
**
** Threads: obj and mem requests are made with the GIL held; raw ones may
** not be, so every write to the buffer takes a spin lock.  A forked child
** stops recording (the trace belongs to the parent).
*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "traceformat.h"

#define RECORDER_VERSION "1"

/* Exported by every CPython from 3.9 to 3.13; declared in internal headers. */
extern int _PyObject_DebugMallocStats(FILE *out);

/* ====================================================================
** The trace buffer
** ==================================================================== */

static struct {
  int fd;
  volatile int on;                 /* recording */
  int failed;                      /* a write failed: errno kept */
  atomic_flag lock;
  uint8_t block[TRF_BLOCK_HEADER + TRF_BLOCK_MAX + 512];
  size_t len;                      /* payload bytes in block */
  uint32_t items;                  /* items in block */
  uint64_t prev;                   /* last address written in block */
  uint64_t total_items;
  uint32_t crc[256];
  uint64_t t0_ns;
  double gc_start;
  PyMemAllocatorEx orig[3];        /* raw, mem, obj as found */
  PyObjectArenaAllocator orig_arena;
  PyObject *getallocatedblocks;    /* sys.getallocatedblocks */
  PyObject *key_generation, *key_collected, *key_uncollectable;
} R = {.fd = -1, .lock = ATOMIC_FLAG_INIT};

static __thread int depth;         /* > 0 inside a wrapped call */

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void write_all(const uint8_t *p, size_t n) {
  while (n > 0 && !R.failed) {
    ssize_t w = write(R.fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      R.failed = w < 0 ? errno : EIO;
      R.on = 0;
      return;
    }
    p += w;
    n -= (size_t)w;
  }
}

static void flush_block(void) {
  if (R.items == 0 || R.fd < 0) return;
  uint8_t *h = R.block;
  trf_put_u32(h, (uint32_t)R.len);
  trf_put_u32(h + 4, R.items);
  trf_put_u32(h + 8, trf_crc32(R.crc, h + TRF_BLOCK_HEADER, R.len));
  write_all(h, TRF_BLOCK_HEADER + R.len);
  R.len = 0;
  R.items = 0;
  R.prev = 0;
}

static void lock(void) {
  while (atomic_flag_test_and_set_explicit(&R.lock, memory_order_acquire)) {
  }
}

static void unlock(void) { atomic_flag_clear_explicit(&R.lock, memory_order_release); }

/* Room for an item of up to NEED bytes; returns where it goes (lock held). */
static uint8_t *begin_item(size_t need) {
  if (R.len + need > TRF_BLOCK_MAX) flush_block();
  return R.block + TRF_BLOCK_HEADER + R.len;
}

static void end_item(uint8_t *end) {
  R.len = (size_t)(end - (R.block + TRF_BLOCK_HEADER));
  R.items++;
  R.total_items++;
}

static uint8_t *put_addr(uint8_t *p, uint64_t a) {
  p = trf_put_varint(p, trf_zigzag((int64_t)(a - R.prev)));
  R.prev = a;
  return p;
}

/* One allocator event: SIZE unless free, OLD only for realloc. */
static void event(int domain, int op, uint64_t size, uint64_t old, uint64_t addr) {
  lock();
  if (R.on) {
    uint8_t *p = begin_item(40);
    *p++ = (uint8_t)(TRF_TAG(domain, op) | (depth > 0 ? TRF_NESTED : 0));
    if (op != TRF_FREE) p = trf_put_varint(p, size);
    if (op == TRF_REALLOC) p = put_addr(p, old);
    p = put_addr(p, addr);
    end_item(p);
  }
  unlock();
}

/* A record with numbers and a byte string at its end (lock held). */
static void put_record(uint8_t tag, const uint64_t *nums, int nnums, const char *text, size_t n) {
  if (n > TRF_BLOCK_MAX - 64) n = TRF_BLOCK_MAX - 64;
  uint8_t *p = begin_item(16 + 10 * (size_t)nnums + n);
  *p++ = tag;
  for (int i = 0; i < nnums; i++) p = trf_put_varint(p, nums[i]);
  if (text != NULL) {
    p = trf_put_varint(p, n);
    memcpy(p, text, n);
    p += n;
  }
  end_item(p);
}

static void record(uint8_t tag, const uint64_t *nums, int nnums, const char *text, size_t n) {
  lock();
  if (R.on) put_record(tag, nums, nnums, text, n);
  unlock();
}

/* ====================================================================
** The wrappers: each calls the allocator it replaced, then records
** ==================================================================== */

#define DOMAIN(ctx) ((int)(intptr_t)(ctx))

static void *w_malloc(void *ctx, size_t n) {
  int d = DOMAIN(ctx);
  depth++;
  void *p = R.orig[d].malloc(R.orig[d].ctx, n);
  depth--;
  if (p != NULL) event(d, TRF_MALLOC, n, 0, (uintptr_t)p);
  return p;
}

static void *w_calloc(void *ctx, size_t nelem, size_t elsize) {
  int d = DOMAIN(ctx);
  depth++;
  void *p = R.orig[d].calloc(R.orig[d].ctx, nelem, elsize);
  depth--;
  if (p != NULL) event(d, TRF_CALLOC, (uint64_t)nelem * elsize, 0, (uintptr_t)p);
  return p;
}

static void *w_realloc(void *ctx, void *old, size_t n) {
  int d = DOMAIN(ctx);
  depth++;
  void *p = R.orig[d].realloc(R.orig[d].ctx, old, n);
  depth--;
  if (p != NULL) event(d, TRF_REALLOC, n, (uintptr_t)old, (uintptr_t)p);
  return p;
}

/* Recorded before the free: once freed, another thread may get the address. */
static void w_free(void *ctx, void *p) {
  int d = DOMAIN(ctx);
  if (p != NULL) event(d, TRF_FREE, 0, 0, (uintptr_t)p);
  depth++;
  R.orig[d].free(R.orig[d].ctx, p);
  depth--;
}

static void *w_arena_alloc(void *ctx, size_t n) {
  (void)ctx;
  depth++;
  void *p = R.orig_arena.alloc(R.orig_arena.ctx, n);
  depth--;
  if (p != NULL) event(TRF_ARENA, TRF_MALLOC, n, 0, (uintptr_t)p);
  return p;
}

static void w_arena_free(void *ctx, void *p, size_t n) {
  (void)ctx;
  if (p != NULL) event(TRF_ARENA, TRF_FREE, n, 0, (uintptr_t)p);
  depth++;
  R.orig_arena.free(R.orig_arena.ctx, p, n);
  depth--;
}

static void install_hooks(void) {
  static const PyMemAllocatorDomain domains[3] = {PYMEM_DOMAIN_RAW, PYMEM_DOMAIN_MEM,
                                                  PYMEM_DOMAIN_OBJ};
  for (int d = 0; d < 3; d++) {
    PyMem_GetAllocator(domains[d], &R.orig[d]);
    PyMemAllocatorEx w = {(void *)(intptr_t)d, w_malloc, w_calloc, w_realloc, w_free};
    PyMem_SetAllocator(domains[d], &w);
  }
  PyObject_GetArenaAllocator(&R.orig_arena);
  PyObjectArenaAllocator a = {NULL, w_arena_alloc, w_arena_free};
  PyObject_SetArenaAllocator(&a);
}

/*
** Put the allocators found back.  At the end, before the statistics:
** _PyObject_DebugMallocStats prints nothing unless the object domain's
** allocator is pymalloc's own function.
*/
static void remove_hooks(void) {
  static const PyMemAllocatorDomain domains[3] = {PYMEM_DOMAIN_RAW, PYMEM_DOMAIN_MEM,
                                                  PYMEM_DOMAIN_OBJ};
  for (int d = 0; d < 3; d++) PyMem_SetAllocator(domains[d], &R.orig[d]);
  PyObject_SetArenaAllocator(&R.orig_arena);
}

static void forked_child(void) {
  R.on = 0;
  R.len = 0;
  R.items = 0;
  if (R.fd >= 0) close(R.fd);
  R.fd = -1;
}

/* ====================================================================
** What the program sees: memsim_mark, the gc callback, the end
** ==================================================================== */

static PyObject *mark(PyObject *self, PyObject *name) {
  (void)self;
  if (!PyUnicode_Check(name)) {
    PyErr_Format(PyExc_TypeError, "memsim_mark() takes a str, not %.100s", Py_TYPE(name)->tp_name);
    return NULL;
  }
  Py_ssize_t n;
  const char *s = PyUnicode_AsUTF8AndSize(name, &n);
  if (s == NULL) return NULL;
  record(TRF_TAG_MARK, NULL, 0, s, n > TRF_MARK_MAX ? TRF_MARK_MAX : (size_t)n);
  Py_RETURN_NONE;
}

static long dict_long(PyObject *d, PyObject *key) {
  PyObject *v = PyDict_GetItemWithError(d, key);
  if (v == NULL) return -1;
  long n = PyLong_AsLong(v);
  if (n == -1 && PyErr_Occurred()) PyErr_Clear();
  return n;
}

static PyObject *gc_callback(PyObject *self, PyObject *args) {
  (void)self;
  PyObject *phase, *info;
  if (!PyArg_ParseTuple(args, "OO", &phase, &info) || !PyUnicode_Check(phase) || !PyDict_Check(info))
    return NULL;
  if (PyUnicode_CompareWithASCIIString(phase, "start") == 0) {
    R.gc_start = (double)now_ns();
  } else {
    long gen = dict_long(info, R.key_generation);
    long collected = dict_long(info, R.key_collected);
    long uncollectable = dict_long(info, R.key_uncollectable);
    uint64_t nums[4] = {gen < 0 ? 0 : (uint64_t)gen, collected < 0 ? 0 : (uint64_t)collected,
                        uncollectable < 0 ? 0 : (uint64_t)uncollectable,
                        (uint64_t)((double)now_ns() - R.gc_start)};
    record(TRF_TAG_GC, nums, 4, NULL, 0);
  }
  Py_RETURN_NONE;
}

/*
** The end of the recorded run: stop recording, then take the statistics
** with nothing allocated in between.
*/
static PyObject *at_end(PyObject *self, PyObject *noargs) {
  (void)self;
  (void)noargs;
  if (!R.on) Py_RETURN_NONE;
  uint64_t program_ns = now_ns() - R.t0_ns;
  lock();
  R.on = 0;
  unlock();
  remove_hooks();
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (f != NULL) {
    _PyObject_DebugMallocStats(f);
    fclose(f);
  }
  uint64_t blocks = 0;
  PyObject *n = R.getallocatedblocks ? PyObject_CallNoArgs(R.getallocatedblocks) : NULL;
  if (n != NULL) {
    long v = PyLong_AsLong(n);
    if (v >= 0) blocks = (uint64_t)v + 1;
    Py_DECREF(n);
  }
  PyErr_Clear();
  uint64_t nums[2] = {blocks, program_ns};
  lock();
  if (!R.failed) put_record(TRF_TAG_END, nums, 2, text ? text : "", text ? len : 0);
  flush_block();
  unlock();
  free(text);
  Py_RETURN_NONE;
}

static PyMethodDef mark_def = {"memsim_mark", mark, METH_O,
                               "memsim_mark(name): a named marker in the memsim trace"};
static PyMethodDef gc_def = {"_memsim_gc", gc_callback, METH_VARARGS, NULL};
static PyMethodDef end_def = {"_memsim_end", at_end, METH_NOARGS, NULL};

/* 0, or -1 with a Python error set */
static int setup_python(void) {
  PyObject *builtins = PyEval_GetBuiltins();   /* borrowed */
  PyObject *fn = PyCFunction_New(&mark_def, NULL);
  if (builtins == NULL || fn == NULL || PyDict_SetItemString(builtins, "memsim_mark", fn) < 0) return -1;
  Py_DECREF(fn);

  R.key_generation = PyUnicode_InternFromString("generation");
  R.key_collected = PyUnicode_InternFromString("collected");
  R.key_uncollectable = PyUnicode_InternFromString("uncollectable");
  R.getallocatedblocks = PySys_GetObject("getallocatedblocks");
  Py_XINCREF(R.getallocatedblocks);

  PyObject *gc = PyImport_ImportModule("gc");
  PyObject *cbs = gc ? PyObject_GetAttrString(gc, "callbacks") : NULL;
  PyObject *cb = PyCFunction_New(&gc_def, NULL);
  int bad = cbs == NULL || cb == NULL || PyList_Append(cbs, cb) < 0;
  Py_XDECREF(cb);
  Py_XDECREF(cbs);
  Py_XDECREF(gc);
  if (bad) return -1;

  PyObject *atexit = PyImport_ImportModule("atexit");
  PyObject *end = PyCFunction_New(&end_def, NULL);
  PyObject *r = atexit && end ? PyObject_CallMethod(atexit, "register", "O", end) : NULL;
  Py_XDECREF(r);
  Py_XDECREF(end);
  Py_XDECREF(atexit);
  return r == NULL ? -1 : 0;
}

/* ====================================================================
** The header and main
** ==================================================================== */

static void write_header(const char *python, int argc, char **argv) {
  char text[TRF_TEXT_MAX];
  const char *pm = getenv("PYTHONMALLOC");
  const char *seed = getenv("PYTHONHASHSEED");
  int n = snprintf(text, sizeof text,
                   "recorder=%s\npython_version=%s\npython_build=%s\npython_compiler=%s\n"
                   "python_executable=%s\npythonmalloc=%s\nhash_seed=%s\npage_size=%ld\n"
                   "pointer_size=%zu\nprogram=%s\nargc=%d\n",
                   RECORDER_VERSION, PY_VERSION, Py_GetBuildInfo(), Py_GetCompiler(), python,
                   pm && *pm ? pm : "default", seed && *seed ? seed : "random",
                   sysconf(_SC_PAGESIZE), sizeof(void *), argc > 1 ? argv[1] : "", argc - 1);
  if (n < 0 || (size_t)n >= sizeof text) n = (int)strlen(text);
  for (int i = 0; i < n; i++)               /* one line per key, always */
    if ((unsigned char)text[i] < 0x20 && text[i] != '\n') text[i] = ' ';
  uint8_t h[TRF_HEADER_FIXED];
  memcpy(h, TRF_MAGIC, 8);
  h[8] = (uint8_t)(TRF_VERSION & 0xFF);
  h[9] = (uint8_t)(TRF_VERSION >> 8);
  h[10] = h[11] = 0;
  trf_put_u32(h + 12, (uint32_t)n);
  write_all(h, sizeof h);
  write_all((const uint8_t *)text, (size_t)n);
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s FD PYTHON PROG.py [ARGS ...] (run by memsim record)\n", argv[0]);
    return 2;
  }
  char *end;
  long fd = strtol(argv[1], &end, 10);
  if (*end != '\0' || fd < 0 || fd > 1 << 20) {
    fprintf(stderr, "memsim-recorder: bad trace descriptor '%s'\n", argv[1]);
    return 2;
  }
  R.fd = (int)fd;
  if (fcntl(R.fd, F_SETFD, FD_CLOEXEC) != 0) {   /* the program's children do not get it */
    fprintf(stderr, "memsim-recorder: the trace descriptor %ld is not open: %s\n", fd, strerror(errno));
    return 2;
  }
  R.t0_ns = now_ns();
  trf_crc_table(R.crc);
  const char *python = argv[2];
  int pyargc = argc - 2;                    /* PYTHON PROG.py ARGS */
  char **pyargv = argv + 2;

  PyPreConfig pre;
  PyPreConfig_InitPythonConfig(&pre);
  PyStatus st = Py_PreInitializeFromBytesArgs(&pre, pyargc, pyargv);
  if (PyStatus_Exception(st)) Py_ExitStatusException(st);

  write_header(python, pyargc, pyargv);
  pthread_atfork(NULL, NULL, forked_child);
  install_hooks();
  R.on = !R.failed;

  PyConfig config;
  PyConfig_InitPythonConfig(&config);
  st = PyConfig_SetBytesString(&config, &config.program_name, python);
  if (!PyStatus_Exception(st)) st = PyConfig_SetBytesArgv(&config, pyargc, pyargv);
  if (!PyStatus_Exception(st)) st = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(st)) {
    if (PyStatus_IsExit(st)) return st.exitcode;
    Py_ExitStatusException(st);
  }
  if (setup_python() < 0) {
    PyErr_Print();
    fprintf(stderr, "memsim-recorder: could not set up the recording\n");
    return 120;
  }
  int status = Py_RunMain();
  lock();
  R.on = 0;
  flush_block();
  unlock();
  if (R.failed) {
    fprintf(stderr, "memsim-recorder: writing the trace failed: %s\n", strerror(R.failed));
    if (status == 0) status = 120;
  }
  return status;
}
