/*
** profile.h: what a CPython version is, as data.
**
** A profile holds every number the simulator takes from CPython: the
** allocator geometry, object sizes, free-list limits, GC thresholds and
** the cost model of the simulated clock.  The code never hard-codes one
** of these; it reads them from the profile it was created with.  Each
** profile is a data file, sim/profiles/NAME.profile, that says where each
** number comes from; profile.c reads them all, in one place.
*/
#ifndef MEMSIM_PROFILE_H
#define MEMSIM_PROFILE_H

#include <stddef.h>
#include <stdint.h>

/*
** Simulated cost of each event, in nanoseconds.  The clock advances by
** these amounts; nothing else moves it.
**
** The pause model (the fields in 1/256 ns, written as decimals in a
** profile file) is fitted by scripts/calibrate.py to pauses measured on
** a real interpreter.  A collection that examines N objects (S of them
** the start-up heap's, whose references and bytes the shape gives on
** average), follows E references and touches B bytes costs
**
**     gc_fixed + N * gc_object(B) + S * gc_startup_object + E * gc_edge
**
** and a deallocation cascade that frees objects of types t1..tn and B
** bytes costs, beside the frees and reference counts it makes,
**
**     dealloc[t1] + ... + dealloc[tn] + n * dealloc_miss(B) + d * dealloc_deep
**
** where d counts the objects freed from inside four or more destructors
** (a linked list's nodes: each node's destructor frees the next, so the C
** stack and the trashcan deepen with it; a list of instances, of dicts or
** of tuples, their items included, never goes past four),
**
** gc_object(B) and dealloc_miss(B) grow with the memory touched, as a
** real pause does once its objects no longer fit in the caches: both
** are given at the MS_COST_KNOTS sizes below and interpolated linearly
** in B between them (flat outside; dealloc_miss is 0 at the first).
*/
#define MS_COST_KNOTS 6
extern const uint64_t ms_cost_knots[MS_COST_KNOTS];  /* 1, 4, 8, 16, 32 and 64 MiB */

/* the types with their own destructor cost; the rest cost dealloc_other */
enum { MS_DK_FLOAT, MS_DK_INT, MS_DK_LIST, MS_DK_TUPLE, MS_DK_STR, MS_DK_DICT, MS_DK_OBJECT,
       MS_DK_OTHER, MS_DEALLOC_KINDS };

typedef struct ms_Costs {
  uint32_t alloc_fast;     /* pymalloc: block popped from a used pool */
  uint32_t alloc_carve;    /* extra: block carved from a pool's fresh space */
  uint32_t pool_init;      /* extra: a pool taken from an arena and set up */
  uint32_t arena_map;      /* extra: mmap of a new arena */
  uint32_t arena_unmap;    /* munmap of a wholly free arena */
  uint32_t free_fast;      /* pymalloc: block pushed on its pool's list */
  uint32_t raw_malloc;     /* raw allocator: malloc */
  uint32_t raw_free;       /* raw allocator: free */
  uint32_t raw_mmap;       /* extra: a raw request mapped directly */
  uint32_t copy_per_kib;   /* realloc that moves: per KiB copied */
  uint32_t object_init;    /* constructing an object (beyond allocation) */
  uint32_t refcount;       /* one Py_INCREF or Py_DECREF */
  uint32_t freelist;       /* pushing or popping a free list */
  uint32_t gc_fixed;       /* a collection's fixed part */
  /* the pause model, 1/256 ns */
  uint32_t gc_object_q[MS_COST_KNOTS];    /* per object examined, at each knot's bytes */
  uint32_t gc_edge_q;                     /* per reference followed */
  uint32_t gc_startup_object_q;           /* extra per start-up object examined: modules,
                                             functions, code, big dicts */
  uint32_t dealloc_q[MS_DEALLOC_KINDS];   /* a destructor, beyond its frees */
  uint32_t dealloc_miss_q[MS_COST_KNOTS]; /* per object freed by a cascade, at each knot's
                                             bytes freed ([0] is 0) */
  uint32_t dealloc_deep_q;                /* per object freed inside four or more destructors */
} ms_Costs;

/* The I-th cost's name ("gc_edge", as a profile writes it after "cost."),
   NULL past the last. */
const char *ms_cost_name(int i);
/* Set the cost NAME of C to NS nanoseconds; -1 if there is no such cost or
   NS is not within 0 .. 10^6. */
int ms_cost_set(ms_Costs *c, const char *name, double ns);

/* the cost per object at B bytes of a table at the knots, in 1/256 ns */
uint64_t ms_cost_at(const uint32_t table[MS_COST_KNOTS], uint64_t bytes);

typedef struct ms_Profile {
  const char *name;          /* "cpython-3.11" */
  const char *python;        /* version string it models, "3.11" */

  /* pymalloc geometry (Objects/obmalloc.c) */
  uint32_t alignment;        /* ALIGNMENT: 16 */
  uint32_t small_threshold;  /* SMALL_REQUEST_THRESHOLD: 512 */
  uint32_t pool_size;        /* POOL_SIZE: 16 KiB */
  uint32_t arena_size;       /* ARENA_SIZE: 1 MiB */
  uint32_t pool_overhead;    /* POOL_OVERHEAD: 48 */
  uint32_t initial_arenas;   /* INITIAL_ARENA_OBJECTS: 16 */

  /* object layout (bytes) */
  uint32_t gc_head;          /* sizeof(PyGC_Head): 16 */
  uint32_t int_medium;       /* request of a one-digit int: 32 */
  uint32_t int_base;         /* offsetof(PyLongObject, ob_digit): 24 */
  uint32_t int_sizeof_min_digits; /* int.__sizeof__ counts at least this many digits: 1 */
  int32_t  small_int_min, small_int_max;  /* cache: -5 .. 256 */
  uint32_t float_size;       /* 24 */
  uint32_t str_ascii_base;   /* ASCII str of length n: base + n + 1 = 49 + n */
  uint32_t str_compact_base; /* other str (PEP 393 kinds 1, 2, 4): base + (n + 1) * kind */
  uint32_t set_reuse_dummy;  /* 1: set.add reuses the last dummy on its probe path (3.10 on) */
  uint32_t dict_estimate_pow2; /* 1: dict.fromkeys(d) sizes for n as dictresize(ESTIMATE_SIZE(n)) did (3.9) */
  uint32_t kwcall_bound_method; /* 1: obj.m(k=v) makes and drops the bound builtin method (LOAD_ATTR, to 3.10) */
  uint32_t sort_powersort;   /* 1: list.sort merges runs by powersort's policy (3.11 on), 0: merge_collapse */
  uint32_t str_call_tuple;   /* 1: str(x) goes through tp_call: a 1-tuple of arguments made and dropped */
  uint32_t sort_relaxed_runs; /* 1: a descending run may hold equal items (3.13's count_run) */
  uint32_t keys_freelist_any; /* 1: the dict keys free list takes any table of 8 slots (3.9, 3.10); 0: str-keyed ones */
  uint32_t nan_hash_zero;    /* 1: hash(float('nan')) is 0 (3.9); else the object's address */
  uint32_t vars_call_tuple;  /* 1: vars(obj) gets its argument in a 1-tuple (METH_VARARGS) */
  uint32_t latin1_lazy;      /* 3.9, 3.10: a one-character str below U+0100 is made on its first use and
                                kept (get_latin1_char); 3.11 on they are static */
  uint32_t split_bound;      /* 3.12+: str.split without maxsplit: the most splits the str allows
                                (len / len(sep) + 1; whitespace: (len - 1) / 2 + 1), which sizes its list */
  uint32_t int_call_tuple;   /* 1: int(x) goes through tp_call: a 1-tuple of arguments (no long_vectorcall before 3.13) */
  uint32_t float_call_tuple; /* 1: float(x) likewise (no float_vectorcall before 3.10) */
  uint32_t percent_fstring;  /* 1: 'fmt' % (a, b) of %s units compiles to an f-string (3.11's ast_opt) */
  uint32_t latin1_utf8;      /* 1: getsizeof of a static one-character latin-1 str counts its UTF-8 (3.12 on) */
  uint32_t intern_immortal;  /* 1: sys.intern makes a str immortal (3.12) */
  uint32_t siphash;          /* str and bytes hash: 24 SipHash-2-4 (to 3.10), 13 SipHash-1-3 */
  uint32_t bytes_base;       /* bytes of length n: base + n + 1 = 33 + n */
  uint32_t tuple_base;       /* tuple of n: gc_head + base + 8n = 40 + 8n */
  uint32_t list_size;        /* PyListObject: 40 (+ gc_head) */
  uint32_t dict_size;        /* PyDictObject: 48 (+ gc_head) */
  uint32_t dict_keys_header; /* PyDictKeysObject header: 32 */
  uint32_t dict_unicode_entry; /* bytes of an entry in a str-keys table: 16 (3.11+), 24 before */
  uint32_t set_size;         /* PySetObject with its small table: 200 */
  uint32_t set_minsize;      /* PySet_MINSIZE: 8 */
  uint32_t instance_size;    /* class C: pass instance, incl. pre-header: 40 */
  uint32_t instance_inline_values; /* 1: the values live inside the object (3.13) */
  uint32_t instance_dict;    /* 1: an instance keeps a real __dict__, a split dict (3.9, 3.10) */
  uint32_t generator_size;   /* generator with one local: 160 (+ gc_head) */
  uint32_t generator_frame;  /* 0: the frame is inside the generator (3.11+); else the
                                separate frame object's basic size (PyFrameObject) */
  uint32_t function_size;    /* function object: 136 (+ gc_head) */
  uint32_t range_size;       /* range object: 48 */
  uint32_t range_iter_size;  /* range iterator: 48 (index, start, step, len) */

  /* free lists (3.11) */
  uint32_t float_freelist;   /* PyFloat_MAXFREELIST: 100 */
  uint32_t list_freelist;    /* PyList_MAXFREELIST: 80 */
  uint32_t list_prealloc_even;  /* list_preallocate_exact rounds to an even count (3.10+) */
  uint32_t list_extend_prealloc; /* extend() of an empty list preallocates exactly (3.10+) */
  uint32_t dict_freelist;    /* PyDict_MAXFREELIST: 80 (and keys) */
  uint32_t tuple_freelist;   /* PyTuple_MAXFREELIST: 2000 per size */
  uint32_t tuple_nfreelists; /* sizes pushed: 1 .. 20 */
  uint32_t tuple_popmax;     /* sizes popped: 1 .. popmax-1 (the quirk) */

  uint32_t immortal_refcnt;  /* 3.12+: what sys.getrefcount says of an immortal object; 0: none */
  uint32_t int_freelist;     /* ints of one digit kept for reuse: 0, 100 in 3.14 */
  uint32_t int_pow_small_exp; /* 3.11+: long_pow's own path for exponents 0-3 and z = a to start;
                                0: z = 1, squared and multiplied bit by bit from bit 29 */

  /* cycle collector */
  uint32_t gc_threshold[3];  /* (700, 10, 10) */
  uint32_t gc_incremental;   /* 1: 3.14.0's incremental collector (young, two old spaces) */
  int32_t gc_work_to_do_start; /* its work_to_do at start-up: -5000 */
  uint32_t gc_scan_rate_divisor; /* SCAN_RATE_DIVISOR: 10 */

  const char *startup_heap;  /* whose measured start-up heap it starts from (its own name
                                unless the file says otherwise) */

  ms_Costs cost;
} ms_Profile;

#define MS_PROFILE_DEFAULT "cpython-3.11"

/* The profile named NAME (NULL: the default), or NULL.  Static storage. */
const ms_Profile *ms_profile_find(const char *name);

/* Why the built-in profiles could not be read, or NULL when they were. */
const char *ms_profile_error(void);

/* Read TEXT as a profile file would be (for tests): 0, or -1 with ERR. */
int ms_profile_check_text(const char *text, char *err, size_t errlen);

/* The names of the known profiles, NULL-terminated. */
const char *const *ms_profile_names(void);

#endif
