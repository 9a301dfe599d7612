/*
** sim.h: the simulator, the one public header of the core.
**
** A simulator (ms_Sim) is a whole simulated CPython process: its address
** space, its allocators, its objects, its cycle collector, its clock.
** Everything lives in the one struct; simulators share nothing.  The
** core never includes lua.h and does no I/O of its own.
**
** Glossary
**   object id   a uint32 naming an object record; 0 is NULL.  Records are
**               reused, so a handle holds (id, serial) and an object is the
**               one it names only while the serials agree.
**   reference   a count in ob_refcnt: the script's handles, containers'
**               items, attributes.  Reaching 0 deallocates, recursively
**               (a cascade), as Py_DECREF does.
**   request     the bytes an object asks its allocator for, GC header
**               included; the block it gets may be larger.
**   tracked     on one of the collector's generation lists.
**
** Errors: functions that can fail on the script's input return 0 (or a
** negative status) and leave a message in ms_sim_error(); the simulator
** is then exactly as it was before the call, except for a MemoryError
** raised part-way through a collection (never partial state).
*/
#ifndef MEMSIM_SIM_H
#define MEMSIM_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "allocator.h"
#include "histogram.h"
#include "profile.h"

typedef struct ms_Sim ms_Sim;

/* ====================================================================
** Creation
** ==================================================================== */

typedef struct ms_Config {
  const char *profile;     /* "cpython-3.11" (NULL: the default) */
  const char *allocator;   /* "pymalloc" or "malloc" (NULL: pymalloc) */
  int gc_enabled;          /* the collector starts enabled */
  uint64_t seed;           /* for anything random (nothing in the core yet) */
  uint32_t hash_seed;      /* PYTHONHASHSEED: 0 keys str hashes as PYTHONHASHSEED=0 does */
  uint64_t memory_limit;   /* bytes; 0: none.  Past it: MemoryError */
  int check;               /* run the invariant checker after every call */
  const struct ms_Costs *costs; /* the simulated clock's costs (NULL: the profile's) */
} ms_Config;

void ms_config_default(ms_Config *c);
/* A new simulator, or NULL with a message in ERR. */
ms_Sim *ms_sim_new(const ms_Config *c, char *err, size_t errlen);
void ms_sim_free(ms_Sim *s);

/*
** Loops that run on a script's numbers (bulk.c, heap shaping) look at
** *FLAG every 65,536 steps and stop with an error when it is nonzero:
** the binding sets it at the time limit and on Ctrl-C.
*/
void ms_sim_set_stop(ms_Sim *s, const volatile int *flag);

/*
** Step mode (memsim run --explain): one line of plain text per allocator
** event, as OSTEP's malloc.py tells them: the request, its size class and
** block, the pool (address, blocks in use) and the arena (pools in use),
** what a free gave back, pools and arenas made or returned, and each
** collection with what it found.  FN gets each line (no newline); after
** MAX lines it gets one saying it stopped, and no more.  FN NULL: off.
*/
typedef void (*ms_ExplainFn)(void *ud, const char *line);
void ms_sim_explain(ms_Sim *s, ms_ExplainFn fn, void *ud, uint64_t max);

/* The most items, slots or steps one call may ask for. */
#define MS_MAX_COUNT 0x7fffffffLL

const char *ms_sim_error(const ms_Sim *s);
int ms_sim_is_memory_error(const ms_Sim *s);
const ms_Profile *ms_sim_profile(const ms_Sim *s);
uint64_t ms_sim_now(const ms_Sim *s);
/* Every byte mapped now (arenas, the raw heap, large blocks): stats' mapped, cheaply. */
uint64_t ms_sim_mapped_bytes(const ms_Sim *s);
/* tracemalloc.reset_peak(): the peak of requested bytes back to what is live now */
void ms_sim_reset_peak(ms_Sim *s);

/*
** A heap shaped like a running interpreter's: per size class, the used
** pools and the blocks in use (the interpreter's own memory, never freed),
** and the collector's state.  Only on a fresh simulator.
*/
/* Bounds of a shape: pools per class, objects per generation, counts, large blocks. */
#define MS_SHAPE_MAX_POOLS 65536
#define MS_SHAPE_MAX_OBJECTS (1 << 22)
#define MS_SHAPE_MAX_COUNT 0x7fffffffLL
#define MS_SHAPE_MAX_LARGE_SIZE (1u << 26)      /* bytes of one large block */
#define MS_SHAPE_MAX_LARGE_BLOCKS (1u << 20)    /* large blocks in all */
#define MS_SHAPE_MAX_LARGE_BYTES (1ull << 32)   /* and their bytes */
#define MS_SHAPE_MAX_LARGE 1024                 /* distinct sizes of large blocks */

typedef struct ms_HeapShape {
  uint64_t pools[32];          /* used + full pools of each class */
  uint64_t blocks[32];         /* blocks in use in them */
  int64_t gc_count[3];         /* gc.get_count() */
  uint64_t gc_objects[3];      /* tracked objects in each generation */
  uint32_t gc_edges_each;      /* references a tracked start-up object holds, on average */
  uint32_t gc_bytes_each;      /* and its bytes (the pause model: a collection follows and touches them) */
  uint64_t long_lived_total, long_lived_pending;
  uint32_t free_floats, free_lists, free_dicts;   /* objects on free lists */
  uint32_t free_tuples[20];                       /* by size 1 .. 20 */
  uint32_t arenas_aligned;     /* arenas the kernel placed 16 KiB aligned (64 pools) */
  uint32_t new_arenas;         /* how many arenas the kernel will map next, if known */
  uint32_t new_arenas_aligned; /* how many of those it will place 16 KiB aligned */
  /* the blocks pymalloc handed to malloc (over its threshold, or of 0
     bytes) that the interpreter holds: LARGE[0..NLARGE) in ascending size */
  uint8_t latin1[256];         /* one-character strs the interpreter made before (latin1_lazy) */
  uint32_t nlarge;
  struct { uint32_t size, count; } large[MS_SHAPE_MAX_LARGE];
} ms_HeapShape;

int ms_shape_heap(ms_Sim *s, const ms_HeapShape *h);

/* ====================================================================
** Objects
** ==================================================================== */

typedef enum ms_Type {
  MS_NONE = 0,   /* the None singleton */
  MS_INT,        /* int: -5..256 cached, else 32 or 24+4k bytes */
  MS_FLOAT,
  MS_STR,        /* ASCII str of a given length */
  MS_BYTES,
  MS_TUPLE,
  MS_LIST,
  MS_DICT,
  MS_SET,
  MS_OBJECT,     /* instance of a plain Python class */
  MS_GENERATOR,
  MS_FUNCTION,
  MS_RANGE,      /* range object */
  MS_ITERATOR,   /* range_iterator */
  MS_SEQITER,    /* list_iterator: holds its list until exhausted */
  MS_CELL,       /* a closure's cell */
  MS_METHOD,     /* a bound method: holds its self */
  MS_DICTITER,   /* iter(d), iter(d.values()), iter(d.items()) */
  MS_SETITER,    /* iter(s) */
  MS_SLOTTED,    /* an instance of a class with __slots__ */
  MS_DICTVIEW,   /* d.keys(), d.values(), d.items() */
  MS_BOOL,       /* True and False: static, equal to 1 and 0 */
  MS_NTYPES
} ms_Type;

/* "int", "float", ... and back; -1 for an unknown name. */
const char *ms_type_name(int t);
int ms_type_from_name(const char *name);
int ms_type_is_gc(int t);
int ms_type_is_container(int t);

/*
** Constructors.  Each returns a new object with refcount 1 (the caller's
** reference), or 0 on error.  ARG is the type's size argument:
**   int: the value (ms_new_int) or the number of 30-bit digits
**   (ms_new_bigint); str, bytes: the length; tuple: its slots;
**   list: initial slots, like [None]*n; generator: its frame's local slots.
*/
uint32_t ms_new(ms_Sim *s, int type, int64_t arg);
uint32_t ms_new_int(ms_Sim *s, int64_t value);
uint32_t ms_new_bigint(ms_Sim *s, uint32_t ndigits);
/* 1 and *V when ID is an int made from a value (not from a digit count) */
int ms_int_value(const ms_Sim *s, uint32_t id, int64_t *v);
int ms_int_decimal(const ms_Sim *s, uint32_t id, char *buf, uint32_t *digits);   /* str(): any int with a value, 41 bytes at most */
/* A str (TEXT is UTF-8) or bytes with that content, made at run time:
   PEP 393's kinds and sizes; "" and one latin-1 character are singletons */
uint32_t ms_new_text(ms_Sim *s, int type, const char *text, size_t n);
/* A code constant with that content: never allocated, one per content;
   identifier-like strs are interned as the compiler interns them */
uint32_t ms_str_literal(ms_Sim *s, int type, const char *text, size_t n);
/* the text of a str (as UTF-8) or bytes with content into BUF, its length; -1: none or no room */
int64_t ms_text_of(const ms_Sim *s, uint32_t id, char *buf, size_t cap);
uint32_t ms_int_literal(ms_Sim *s, int64_t value);
uint32_t ms_bool(ms_Sim *s, int value);              /* True or False (a new reference) */
uint32_t ms_bool_id(const ms_Sim *s, int value);     /* its id, no reference (0 before its first use) */
/* sys.intern(str): the interned equal str, a new reference */
uint32_t ms_intern(ms_Sim *s, uint32_t str);
/* str and bytes operations (unicodeobject.c), as CPython's: a + b, a += b
   (takes the caller's reference to A, returns the result's; a str nothing
   else holds grows in place by realloc), a * n, a[lo:hi], sep.join(seq),
   str(o), and f-strings of N pieces (OBJS[i] != 0: {o}; else the constant
   TEXTS[i] of LENS[i] bytes) */
uint32_t ms_str_concat(ms_Sim *s, uint32_t a, uint32_t b);
uint32_t ms_inplace_concat(ms_Sim *s, uint32_t a, uint32_t b);
uint32_t ms_str_repeat(ms_Sim *s, uint32_t a, int64_t n);
uint32_t ms_str_slice(ms_Sim *s, uint32_t a, int64_t lo, int64_t hi);
uint32_t ms_str_join(ms_Sim *s, uint32_t sep, uint32_t seq);
uint32_t ms_str_format(ms_Sim *s, uint32_t fmt, uint32_t args);   /* fmt % args */
/* 'text' % (vals...) as written in code: 3.11 on, simple ones are f-strings */
uint32_t ms_str_format_code(ms_Sim *s, const char *text, size_t len, uint32_t n, const uint32_t *vals);
uint32_t ms_str_of(ms_Sim *s, uint32_t id);
uint32_t ms_str_call(ms_Sim *s, uint32_t id);      /* the call str(o), its argument tuple included */
/* f"...": piece i is TEXTS[i] (OBJS[i] 0) or OBJS[i] formatted with the spec
   SPECS[i] of SPECLENS[i] bytes (SPECS NULL, or SPECS[i] NULL: none) */
uint32_t ms_fstring(ms_Sim *s, uint32_t n, const uint32_t *objs, const char *const *texts, const size_t *lens,
                    const char *const *specs, const size_t *speclens);
/* s.split(sep, maxsplit) (SEP 0: whitespace; MAXSPLIT < 0: all), s.strip() and its sides */
uint32_t ms_str_split(ms_Sim *s, uint32_t id, uint32_t sep, int64_t maxsplit);
uint32_t ms_str_strip(ms_Sim *s, uint32_t id, int left, int right);
uint32_t ms_str_case(ms_Sim *s, uint32_t id, int upper);   /* s.upper(), s.lower() */
/* -x, abs(x) ("-", "abs"); int(x), float(x) ("int", "float"); round(x[, n]) */
uint32_t ms_number_unary(ms_Sim *s, uint32_t id, const char *op);
uint32_t ms_number_call(ms_Sim *s, const char *type, uint32_t id);
uint32_t ms_number_round(ms_Sim *s, uint32_t id, int has_n, int64_t n);
uint32_t ms_int_neg(ms_Sim *s, uint32_t a);
uint32_t ms_int_abs(ms_Sim *s, uint32_t a);
uint32_t ms_int_from_double(ms_Sim *s, double d);
/* format(o, spec) (formatter.c): PyObject_Format */
uint32_t ms_format(ms_Sim *s, uint32_t id, const char *spec, size_t n);
/* int arithmetic (longobject.c): OP "+", "-", "*" or "<<", allocating as
   long_add, long_sub, long_mul and long_lshift do */
uint32_t ms_int_binop(ms_Sim *s, uint32_t a, const char *op, uint32_t b);
uint32_t ms_new_float(ms_Sim *s, double v);                     /* a float with a value */
uint32_t ms_float_literal(ms_Sim *s, double v);                 /* 1.5 in code: a constant */
uint32_t ms_float_binop(ms_Sim *s, uint32_t a, const char *op, uint32_t b);   /* + - * / with a float, or int / int */
int ms_float_value(const ms_Sim *s, uint32_t id, double *v);
/* hash(o) as CPython computes it (PYTHONHASHSEED = the config's hash_seed) */
int ms_hash(ms_Sim *s, uint32_t id, int64_t *h);
/* An instance of class CLS (classes are named; each has shared keys). */
uint32_t ms_new_instance(ms_Sim *s, const char *cls);

/* iter(seq) for a list or tuple, and its exhaustion (it drops seq). */
uint32_t ms_new_iter(ms_Sim *s, uint32_t seq);
/* iter(d) (KIND 0, VIEW 0); with VIEW 1, iter(d.keys()) (0), iter(d.values())
   (1), iter(d.items()) (2: its result 2-tuple made at once), the view made
   and dropped; iter(s) for a set */
uint32_t ms_new_dictiter(ms_Sim *s, uint32_t dict, int kind, int view);
uint32_t ms_new_setiter(ms_Sim *s, uint32_t set);
/* a cell holding CONTENT (0: empty); a bound method of SELF */
uint32_t ms_new_cell(ms_Sim *s, uint32_t content);
uint32_t ms_new_method(ms_Sim *s, uint32_t self);
/* a function, its closure the tuple CLOSURE (0: none) */
uint32_t ms_new_function(ms_Sim *s, uint32_t closure);
/* an instance of class CLS with __slots__ = NAMES (N of them; the class's first use fixes them) */
uint32_t ms_new_slotted(ms_Sim *s, const char *cls, const char *const *names, uint32_t n);
void ms_iter_exhaust(ms_Sim *s, uint32_t it);

/* Handles: is object ID with SERIAL still the same, live object? */
int ms_obj_alive(const ms_Sim *s, uint32_t id, uint32_t serial);
uint32_t ms_obj_serial(const ms_Sim *s, uint32_t id);
int ms_obj_type(const ms_Sim *s, uint32_t id);
int64_t ms_obj_refcnt(const ms_Sim *s, uint32_t id);
uint64_t ms_obj_address(const ms_Sim *s, uint32_t id);
uint64_t ms_obj_uid(const ms_Sim *s, uint32_t id);   /* never reused */

/* Reference counting, Py_INCREF / Py_DECREF.  decref returns -1 (error
** set) when the count would go below zero. */
void ms_incref(ms_Sim *s, uint32_t id);
int ms_decref(ms_Sim *s, uint32_t id);

/*
** Containers.  INDEX is 0-based; a negative index counts from the end as
** in Python.  Values are borrowed: the container takes its own reference.
** getitem returns a new reference, as Python code does when it binds
** the result to a name.  All return 0 on success, -1 with an error.
*/
int ms_append(ms_Sim *s, uint32_t list, uint32_t value);
int ms_setitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key, uint32_t value);
int ms_getitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key, uint32_t *out);
int ms_delitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key);
int ms_set_add(ms_Sim *s, uint32_t set, uint32_t key);

/*
** List methods (listobject.c), each allocating and freeing what CPython's
** does.  SEQ arguments are lists or tuples.  pop hands the caller the
** list's reference in *OUT; slice, concat, repeat and list_from return a
** new list (0 on error).  Indices as Python's: negative from the end,
** slices clamped.  remove finds its item by identity.
*/
int ms_list_insert(ms_Sim *s, uint32_t list, int64_t index, uint32_t value);
int ms_list_pop(ms_Sim *s, uint32_t list, int64_t index, int has_index, uint32_t *out);
int ms_list_remove(ms_Sim *s, uint32_t list, uint32_t value);
int ms_list_clear(ms_Sim *s, uint32_t list);
int ms_list_extend(ms_Sim *s, uint32_t list, uint32_t seq);
/* l.sort(reverse=R): timsort on the items' values (ints, strs, bytes: each
   list of one type), its merge buffers allocated as CPython's; sorted(seq) */
int ms_list_sort(ms_Sim *s, uint32_t list, int reverse);
uint32_t ms_sorted(ms_Sim *s, uint32_t seq, int reverse);
int ms_list_setslice(ms_Sim *s, uint32_t list, int64_t lo, int64_t hi, uint32_t seq);  /* seq 0: del */
int ms_list_irepeat(ms_Sim *s, uint32_t list, int64_t times);
int ms_list_reverse(ms_Sim *s, uint32_t list);
uint32_t ms_list_slice(ms_Sim *s, uint32_t list, int64_t lo, int64_t hi);
uint32_t ms_list_concat(ms_Sim *s, uint32_t a, uint32_t b);
uint32_t ms_list_repeat(ms_Sim *s, uint32_t list, int64_t times);
uint32_t ms_list_from(ms_Sim *s, uint32_t seq);

/* Dict methods (dictobject.c), as CPython 3.11's: pop and setdefault hand
** the caller a reference in *OUT (DFLT 0: a missing key is a KeyError);
** popitem a new 2-tuple; copy a new dict (0 on error). */
int ms_dict_clear(ms_Sim *s, uint32_t dict);
int ms_dict_pop(ms_Sim *s, uint32_t dict, uint32_t key, uint32_t dflt, uint32_t *out);
int ms_dict_popitem(ms_Sim *s, uint32_t dict, uint32_t *out);
int ms_dict_setdefault(ms_Sim *s, uint32_t dict, uint32_t key, uint32_t dflt, uint32_t *out);
/* {k1: v1, ...} from KV (N pairs, key then value), presized as CPython's;
   dict.fromkeys(seq, value) (seq a list, tuple, dict, set or range) */
uint32_t ms_dict_display(ms_Sim *s, const uint32_t *kv, uint32_t n);
uint32_t ms_dict_fromkeys(ms_Sim *s, uint32_t seq, uint32_t value);
int ms_dict_update(ms_Sim *s, uint32_t dict, uint32_t other);
uint32_t ms_dict_copy(ms_Sim *s, uint32_t dict);

/* Set methods (setobject.c), as CPython 3.11's: update takes a set, list
** or tuple; set_from is set(x) (x 0: set()) and s.copy(); union,
** intersection and difference are |, & and - of two sets (new sets, 0 on
** error); pop hands over a key (memsim's first in its table order). */
int ms_set_update(ms_Sim *s, uint32_t set, uint32_t other);
uint32_t ms_set_from(ms_Sim *s, uint32_t other);
uint32_t ms_set_union(ms_Sim *s, uint32_t a, uint32_t b);
uint32_t ms_set_intersection(ms_Sim *s, uint32_t a, uint32_t b);
uint32_t ms_set_difference(ms_Sim *s, uint32_t a, uint32_t b);
int ms_set_pop(ms_Sim *s, uint32_t set, uint32_t *out);
int ms_set_discard(ms_Sim *s, uint32_t set, uint32_t key, int must_exist);
int ms_set_clear(ms_Sim *s, uint32_t set);
int64_t ms_len(ms_Sim *s, uint32_t c);
int ms_setattr(ms_Sim *s, uint32_t obj, const char *name, uint32_t value);
int ms_delattr(ms_Sim *s, uint32_t obj, const char *name);
int ms_vars(ms_Sim *s, uint32_t obj, uint32_t *out);   /* vars(obj): obj.__dict__ and the call's 1-tuple */
int ms_getattr(ms_Sim *s, uint32_t obj, const char *name, uint32_t *out);

/* Bulk loops (bulk.c): the same calls, in the same order, as the loops
** in their comments. */
int ms_bulk_append_range(ms_Sim *s, uint32_t list, int64_t start, int64_t stop, uint32_t *local);
int ms_bulk_slot_range(ms_Sim *s, uint32_t frame, uint32_t slot, int64_t start, int64_t stop);

/* sys.getsizeof, sys.getallocatedblocks */
int64_t ms_getsizeof(ms_Sim *s, uint32_t id);
int64_t ms_getallocatedblocks(ms_Sim *s);

/* ====================================================================
** The allocator, PyObject_Malloc level (allocator-only labs)
** ==================================================================== */

uint64_t ms_malloc(ms_Sim *s, size_t n);
uint64_t ms_realloc(ms_Sim *s, uint64_t p, size_t n);
int ms_free(ms_Sim *s, uint64_t p);      /* -1: not a live block of ms_malloc */

/*
** What a replayed trace (sim/trace) needs beside them.  The same requests
** for a caller that keeps each block's size itself (a replay holds
** millions of blocks: one map of them, not two); RAW sends the request to
** the raw domain (PyMem_RawMalloc: the C library's malloc, whatever the
** size).  OLDN and N are what was asked for the block; a wrong one breaks
** the accounting (the checker says so).  Then pages mapped outside the
** allocators (3.11's frame stack chunks come from the arena allocator
** without being arenas), and where the next arena goes: at ADDR's offset
** from a pool boundary, as the kernel put a real one.
*/
uint64_t ms_block_alloc(ms_Sim *s, int raw, size_t n);
uint64_t ms_block_realloc(ms_Sim *s, int raw, uint64_t p, size_t oldn, size_t n);
void ms_block_free(ms_Sim *s, int raw, uint64_t p, size_t n);
uint64_t ms_map(ms_Sim *s, size_t n);
int ms_unmap(ms_Sim *s, uint64_t p, size_t n);
void ms_sim_place_next_arena(ms_Sim *s, uint64_t addr);

/* ====================================================================
** The cycle collector (Python's gc module)
** ==================================================================== */

typedef struct ms_GenStats {
  uint64_t collections, collected, uncollectable;
} ms_GenStats;

/* gc.collect(generation): the number of unreachable objects found, or -1
** when a collection is already running. */
int64_t ms_gc_collect(ms_Sim *s, int generation);
void ms_gc_get_count(const ms_Sim *s, int64_t count[3]);
void ms_gc_get_stats(const ms_Sim *s, ms_GenStats stats[3]);
void ms_gc_get_threshold(const ms_Sim *s, int64_t t[3]);
void ms_gc_set_threshold(ms_Sim *s, const int64_t t[3]);
/* gc.get_objects([generation]) (-1: all): a new list of the tracked objects */
uint32_t ms_gc_get_objects(ms_Sim *s, int generation);
void ms_gc_enable(ms_Sim *s, int on);
int ms_gc_isenabled(const ms_Sim *s);
void ms_gc_freeze(ms_Sim *s);
void ms_gc_unfreeze(ms_Sim *s);
int64_t ms_gc_get_freeze_count(const ms_Sim *s);
int ms_gc_is_tracked(const ms_Sim *s, uint32_t id);
/* memsim's own: the tracked objects a full collection would free now
** (outstanding cyclic garbage), counted without collecting. */
uint64_t ms_gc_garbage(ms_Sim *s);
/* A collection made by a real interpreter (a replayed trace): counted in
** the statistics, its measured pause in the pause histogram. */
void ms_gc_note(ms_Sim *s, int gen, uint64_t collected, uint64_t uncollectable, uint64_t pause_ns);

/* ====================================================================
** Statistics
** ==================================================================== */

/* Every figure memsim reports, gathered at one moment. */
typedef struct ms_ClassRow {
  uint32_t size;          /* block size */
  uint64_t pools;         /* used + full pools */
  uint64_t blocks;        /* in use */
  uint64_t avail;         /* free blocks in those pools */
} ms_ClassRow;

typedef struct ms_Stats {
  uint64_t now_ns;              /* simulated clock */
  /* bytes by kind: where the mapped memory goes */
  uint64_t requested;           /* asked for by live objects and mallocs */
  uint64_t requested_small;     /* of which served by pymalloc blocks */
  uint64_t startup;             /* blocks of the shaped startup heap */
  uint64_t in_blocks;           /* pymalloc blocks in use */
  uint64_t available;           /* free blocks in used pools */
  uint64_t unused_pools;        /* bytes of free pools in arenas */
  uint64_t pool_headers;
  uint64_t quantization;
  uint64_t alignment;           /* lost to arena alignment */
  uint64_t arena_bytes;         /* arenas * ARENA_SIZE */
  uint64_t raw_in_use;          /* raw heap chunks in use + direct maps */
  uint64_t raw_free;            /* free chunks in the raw heap + top */
  uint64_t raw_heap;            /* brk - heap base */
  uint64_t raw_mmapped;         /* direct mappings */
  uint64_t mapped;              /* every byte mapped: arenas + raw */
  uint64_t rss, rss_peak;
  uint64_t live_bytes;          /* = requested: objects (free-listed ones too) and mallocs */
  uint64_t live_peak;           /* the highest live_bytes seen */
  /* arenas */
  uint64_t arenas_current, arenas_total, arenas_reclaimed, arenas_highwater;
  uint64_t pools_used;          /* used + full */
  /* per class */
  ms_ClassRow cls[32];
  /* objects */
  uint64_t objects;             /* live objects */
  uint64_t objects_by_type[MS_NTYPES];
  uint64_t allocated_blocks;    /* sys.getallocatedblocks() */
  uint64_t freelist_objects;    /* objects parked on free lists */
  /* GC */
  int64_t gc_count[3];
  ms_GenStats gc[3];
  uint64_t gc_tracked;
  /* events */
  uint64_t allocs, frees, deallocs;
  uint64_t reallocs;            /* resizes of a live block (a realloc from NULL is an alloc) */
  /* latency (simulated ns) */
  ms_Histogram alloc_latency;   /* each object allocation */
  ms_Histogram gc_pause;        /* each collection */
  ms_Histogram dealloc_pause;   /* each decref that freed objects */
} ms_Stats;

void ms_stats(ms_Sim *s, ms_Stats *out);

/*
** The text sys._debugmallocstats() writes, in CPython's format, into BUF
** (at most LEN bytes, always terminated).  Returns the full length.
*/
size_t ms_debugmallocstats(ms_Sim *s, char *buf, size_t len);

/* Every pool of every arena as TSV: arena, pool, fullness (0..1), class
** (-1: empty).  Returns the full length; BUF gets at most LEN bytes. */
size_t ms_arena_map_tsv(ms_Sim *s, char *buf, size_t len);

/* The invariant checker: 1 when every invariant holds, else 0 with the
** first broken one described in ms_sim_error(). */
int ms_sim_is_valid(ms_Sim *s);

/* ====================================================================
** Hooks for the layers above
** ==================================================================== */

/*
** Called after every collection with its generation, the objects it
** found unreachable, and its pause.  Like gc.callbacks.
*/
typedef void (*ms_GcCallback)(void *ud, int generation, uint64_t collected,
                              uint64_t pause_ns);
void ms_sim_on_gc(ms_Sim *s, ms_GcCallback cb, void *ud);

/* Raised by objects' own actions: the number of events since creation
** (allocations + frees + collections), for samplers. */
uint64_t ms_sim_events(const ms_Sim *s);

#endif
