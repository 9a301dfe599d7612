/*
** simimpl.h: the simulator's insides: the object record and the one
** struct that holds a simulator.  Shared by the core, the object model
** (objects/objimpl.h) and the collector (gc/gc.h), and by nothing else.
*/
#ifndef MEMSIM_SIMIMPL_H
#define MEMSIM_SIMIMPL_H

#include "pymalloc.h"
#include "rawmalloc.h"
#include "series.h"
#include "sim.h"
#include "u64map.h"
#include "util.h"

/* ====================================================================
** Object records
** ==================================================================== */

/* Object flags */
#define OF_STATIC      0x01  /* not allocated, never freed (None, small ints, names) */
#define OF_TRACKED     0x02  /* on a generation list */
#define OF_FREELIST    0x04  /* dead, parked on a free list with its memory */
#define OF_DYING       0x08  /* refcount reached 0, being deallocated */
#define OF_COLLECTING  0x10  /* in the generations being collected */
#define OF_UNREACHABLE 0x20  /* on the collector's unreachable list */
#define OF_UNICODE     0x40  /* dict: keys table of kind unicode */
#define OF_SPLIT       0x80  /* dict (3.9, 3.10): a split table: aux is its values
                                array, the keys are its class's (not owned) */

/*
** One simulated object: 64 bytes of host memory.
**   addr   where its memory starts (the GC header for GC types); 0 when
**          static.  request(obj) bytes were asked for at addr.
**   aux    the second allocation some types make, 0 when none:
**          list: item array (8 * cap)    dict: keys table
**          set: table (16 * cap) unless the small table is used
**          object: values array (cap slots)
*/
typedef struct ms_Object {
  uint64_t addr;       /* simulated address of the object */
  uint64_t aux;        /* simulated address of its second allocation */
  int64_t refcnt;      /* ob_refcnt */
  void *body;          /* host copy of what it refers to (see below) */
  uint32_t len;        /* ob_size: items, length in characters, digits */
  uint32_t cap;        /* list allocated; set table size; values slots;
                          dict: keys log2 size (0: the shared empty keys) */
  uint32_t gc_prev;    /* generation list links (ids); MS_NIL: untracked */
  uint32_t gc_next;
  uint32_t serial;     /* creation number: a handle matches while equal */
  int32_t gc_refs;     /* the collector's working count */
  uint8_t type;        /* ms_Type */
  uint8_t flags;       /* OF_* */
  uint8_t cls;         /* object: class index */
  uint8_t gcspace;     /* incremental collector (3.14.0): which old space it belongs to,
                          the _PyGC_NEXT_MASK_OLD_SPACE_1 bit */
} ms_Object;

/*
** Bodies, by type:
**   tuple, list, generator: uint32_t items[]   (list: cap of them)
**   dict:  DictBody        set: SetBody        object: InstBody
*/
typedef struct DictBody {
  uint32_t usable;     /* dk_usable */
  uint32_t nentries;   /* dk_nentries: entries used, deleted ones too */
  uint32_t *entries;   /* key, value pairs in insertion order; key 0: deleted */
  int64_t *hashes;     /* each entry's key's hash (me_hash) */
  int32_t *index;      /* dk_indices: 2^log2 slots, an entry, -1 empty or -2 dummy */
  /* 3.11 on, an instance's __dict__ made from its values (OF_SPLIT): */
  const struct ms_Class *shared;   /* the class whose shared keys it uses, or NULL */
  uint32_t nvalues;    /* slots of the values array it took over (o->aux); 0: 3.13's, inside the object */
} DictBody;

/* a set's table entry: key 0 unused, MS_NIL a dummy (hash -1), else active */
typedef struct SetEntry {
  uint32_t key;
  int64_t hash;
} SetEntry;

typedef struct SetBody {
  uint32_t fill;       /* active + dummy entries */
  uint32_t finger;     /* where set.pop starts looking */
  SetEntry *table;     /* o->cap entries, CPython's table slot for slot */
} SetBody;

typedef struct InstBody {
  uint32_t dict;       /* id of a materialized __dict__, or 0 */
  uint32_t vals[];     /* cap slots, indexed like the class's shared keys */
} InstBody;

/* A class: its name and shared keys (3.11 managed dicts). */
#define MS_SHARED_KEYS_MAX 30
typedef struct ms_Class {          /* s->classes: 255 of them, never moved */
  char *name;
  uint32_t nentries;                  /* attribute names known */
  uint32_t usable;                    /* dk_usable of the shared keys */
  uint32_t names[MS_SHARED_KEYS_MAX]; /* name objects (static str); with __slots__: the slots' */
  uint8_t slotted;                    /* 1: __slots__ = names[0 .. nslots-1], no __dict__ */
  uint8_t nslots;
} ms_Class;


/* Reserved object ids */
enum {
  ID_NULL = 0,
  ID_NONE = 1,
  ID_GEN0 = 2,         /* generation list heads: 2, 3, 4 */
  ID_PERMANENT = 5,    /* gc.freeze() */
  ID_UNREACHABLE = 6,
  ID_INCREMENT = 7,    /* the incremental collector's increment */
  ID_FIRST = 8         /* first ordinary object */
};

/* A deallocation in progress: the object and how far it got. */
typedef struct DeallocFrame {
  uint32_t id;
  uint32_t pos;        /* next child to release */
  uint8_t trash;       /* counted in the trashcan nesting */
  uint8_t chain;       /* this frame drains the trashcan's list */
} DeallocFrame;

/* ====================================================================
** The simulator
** ==================================================================== */

struct ms_Sim {
  const volatile int *stop;   /* nonzero: long loops stop (the run was stopped) */
  const ms_Profile *prof;       /* &own_prof when the costs were given, else the built-in one */
  ms_Config cfg;
  ms_Space space;
  uint64_t now;                 /* simulated nanoseconds */
  ms_Allocator raw;             /* the C library's malloc */
  ms_Allocator obj;             /* PyObject_Malloc and PyMem_Malloc */
  pym_State *pym;               /* NULL under allocator = "malloc" */

  /* object records */
  ms_Object *objs;
  uint32_t nobjs, capobjs;
  uint32_t free_ids;            /* records to reuse (linked by gc_next) */
  uint32_t next_serial;
  uint32_t small_ints[262];     /* ids of -5 .. 256, 0 until first use */
  uint32_t singletons[5];       /* "", 1-char str, b"", 1-char bytes, () */
  uint32_t bools[2];            /* False, True: 0 until first use */
  uint32_t latin1[256];         /* one-character strs of U+0000..U+00FF, 0 until first use */
  uint8_t latin1_made[256];     /* latin1_lazy: made before the script (the start-up heap's; its blocks counted there) */
  uint32_t bytechars[256];      /* one-byte bytes objects, likewise */

  /* str hashing and interning (pyhash.c, unicodeobject.c) */
  uint64_t hash_k0, hash_k1;    /* _Py_HashSecret's SipHash key */
  uint32_t *interned;           /* the interned strs: open addressing by hash, 0 empty */
  uint32_t ninterned, capinterned;
  uint32_t *literals;           /* code constants (sim:literal), one per content */
  uint32_t nliterals, capliterals;

  /* free lists (ids, LIFO) */
  uint32_t *fl_float, n_float;
  uint32_t *fl_int, n_int;      /* 3.14: compact ints */
  uint32_t *fl_list, n_list;
  uint32_t *fl_dict, n_dict;
  uint64_t *fl_keys, n_keys;    /* addresses of minimum-size keys tables */
  ms_U64Map zombies;            /* before 3.11: slots + 1 -> a code object's kept frame (co_zombieframe) */
  uint64_t zombie_bytes;        /* of req_bytes: the kept frames */
  uint32_t *fl_tuple[20], n_tuple[20];

  /* classes (their attribute names are interned str constants) */
  ms_Class *classes;
  uint32_t nclasses;

  /* script-level mallocs: address -> size */
  ms_U64Map blocks;

  /* the collector */
  int gc_enabled;
  int gc_collecting;
  int64_t gc_count[3];
  int64_t gc_threshold[3];
  uint64_t long_lived_total, long_lived_pending;
  /* the incremental collector of 3.14.0 (gc_incremental.c): gc_count and
     gc_threshold hold young, old[0], old[1] in that order */
  int gc_visited_space;         /* 0 or 1: the old space being filled */
  int gc_phase;                 /* GC_PHASE_MARK or GC_PHASE_COLLECT */
  int64_t gc_work_to_do;
  int64_t gc_heap_size;         /* GC objects allocated and not freed */
  ms_GenStats gc_stats[3];
  ms_GcCallback gc_cb;
  void *gc_ud;
  uint64_t gc_touched;          /* bytes the collection under way has touched (pause model) */
  uint64_t gc_startup_seen;     /* start-up placeholders it examined */
  uint32_t startup_edges_each;  /* a start-up placeholder's references and bytes (ms_HeapShape) */
  uint32_t startup_bytes_each;
  uint64_t dealloc_q;           /* destructor costs of the cascade under way, 1/256 ns */

  /* deallocation: an explicit stack, and the trashcan of 3.11 */
  DeallocFrame *frames;
  uint32_t nframes, capframes;
  int trash_nesting;
  uint32_t *trash;              /* deposited objects, LIFO */
  uint32_t ntrash, captrash;
  int in_dealloc;

  /* accounting */
  uint64_t req_bytes;           /* bytes requested and not yet freed */
  uint64_t req_small;           /* of which in pymalloc blocks */
  uint64_t startup_bytes;       /* blocks of a shaped startup heap (not requested) */
  uint64_t live_peak;           /* the highest req_bytes seen */
  uint64_t untracked_bytes;     /* of req_bytes: blocks whose sizes a replay keeps */
  uint64_t nlive;               /* live objects (not static) */
  uint64_t nlive_type[MS_NTYPES];
  uint64_t nfreelist;
  uint64_t allocs, frees, reallocs, deallocs, events;
  ms_Histogram h_alloc, h_gc, h_dealloc;

  ms_Series series;             /* the time series (series.c) */

  char err[512];
  int err_memory;

  /* step mode (obmalloc.c): the narrator, its budget, what is being made */
  ms_ExplainFn explain;
  void *explain_ud;
  uint64_t explain_left, explain_max;
  const char *explain_what;     /* the type whose memory is asked for, or NULL */

  /* the pause model's costs: last, away from the hot fields above */
  uint32_t dealloc_cost_q[MS_NTYPES];  /* each type's destructor cost (profile.h), 1/256 ns */
  ms_Profile own_prof;          /* a copy with the costs memsim.new{cost = ...} gave */
};

/* step mode: one line (printf-like), while the budget lasts */
void explain_line(ms_Sim *s, const char *fmt, ...);

/* sampling (series.c): a row when an interval has passed */
void series_tick(ms_Sim *s);
void series_free(ms_Sim *s);
#define SERIES_TICK(s) \
  do { if ((s)->events >= (s)->series.next_event || (s)->now >= (s)->series.next_ns) series_tick(s); } while (0)

/* errors (sim.c) */
int sim_error(ms_Sim *s, const char *fmt, ...);
#define SIM_FAIL0(s, ...) (sim_error((s), __VA_ARGS__), 0u)
int sim_memory_error(ms_Sim *s, const char *what, size_t n);

/* memory through PyObject_Malloc, with the requested bytes accounted */
uint64_t mem_alloc(ms_Sim *s, size_t n);
uint64_t mem_realloc(ms_Sim *s, uint64_t p, size_t oldn, size_t n);
void mem_free(ms_Sim *s, uint64_t p, size_t n);

/* the object model's internals are in objects/objimpl.h, the collector's
   in gc/gc.h; O() is everyone's */
static inline ms_Object *O(ms_Sim *s, uint32_t id) { return &s->objs[id]; }

#endif
