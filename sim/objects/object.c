/*
** object.c: CPython 3.11's objects: sizes, construction, containers,
** free lists, reference counting and deallocation cascades.
**
** Each type follows the CPython function named in its comment, in the
** order that function allocates and frees, because the order decides
** which block every later request gets.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "objimpl.h"

/* ====================================================================
** Types
** ==================================================================== */

static uint32_t none_new(ms_Sim *s, int64_t arg) {
  (void)arg;
  O(s, ID_NONE)->refcnt++;
  return ID_NONE;
}

static size_t none_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)p;
  (void)o;
  return 0;                                /* static: never allocated */
}

static int64_t none_sizeof(const ms_Profile *p, const ms_Object *o) {
  (void)p;
  (void)o;
  return 16;
}

const ms_TypeObject ms_none_type = {
  .tp_name = "NoneType", .tp_new = none_new, .tp_basicsize = none_basicsize,
  .tp_sizeof = none_sizeof,
};

/* Every type, by its number (ms_Type in sim.h). */
const ms_TypeObject *const ms_types[MS_NTYPES] = {
  [MS_NONE] = &ms_none_type,       [MS_INT] = &ms_long_type,       [MS_FLOAT] = &ms_float_type,
  [MS_STR] = &ms_unicode_type,     [MS_BYTES] = &ms_bytes_type,    [MS_TUPLE] = &ms_tuple_type,
  [MS_LIST] = &ms_list_type,       [MS_DICT] = &ms_dict_type,      [MS_SET] = &ms_set_type,
  [MS_OBJECT] = &ms_instance_type, [MS_GENERATOR] = &ms_gen_type,  [MS_FUNCTION] = &ms_function_type,
  [MS_RANGE] = &ms_range_type,     [MS_ITERATOR] = &ms_rangeiter_type,
  [MS_SEQITER] = &ms_listiter_type, [MS_CELL] = &ms_cell_type,     [MS_METHOD] = &ms_method_type,
  [MS_DICTITER] = &ms_dictiter_type, [MS_SETITER] = &ms_setiter_type, [MS_SLOTTED] = &ms_slotted_type,
  [MS_DICTVIEW] = &ms_dictview_type, [MS_BOOL] = &ms_bool_type,
};

const char *ms_type_name(int t) { return t >= 0 && t < MS_NTYPES ? ms_types[t]->tp_name : "?"; }

int ms_type_from_name(const char *name) {
  for (int t = 1; t < MS_NTYPES; t++)
    if (strcmp(ms_types[t]->tp_name, name) == 0) return t;
  if (strcmp(name, "iterator") == 0) return MS_ITERATOR;
  return -1;
}

int ms_type_is_gc(int t) { return t >= 0 && t < MS_NTYPES && (ms_types[t]->tp_flags & TPF_GC); }
int ms_type_is_container(int t) {
  return t >= 0 && t < MS_NTYPES && (ms_types[t]->tp_flags & TPF_CONTAINER);
}

/* ====================================================================
** Sizes (what each object asks its allocator for)
** ==================================================================== */


size_t obj_request(ms_Sim *s, const ms_Object *o) { return TYPE(o)->tp_basicsize(s->prof, o); }

size_t obj_aux_request(ms_Sim *s, const ms_Object *o) {
  const ms_TypeObject *t = TYPE(o);
  return o->aux != 0 && t->tp_auxsize ? t->tp_auxsize(s->prof, o) : 0;
}

/* ====================================================================
** Records
** ==================================================================== */

static uint32_t record_new(ms_Sim *s, int type, uint64_t addr) {
  uint32_t id;
  if (s->free_ids != MS_NIL) {
    id = s->free_ids;
    s->free_ids = s->objs[id].gc_next;
  } else {
    if (s->nobjs == s->capobjs) {
      size_t old = s->capobjs * sizeof(ms_Object);
      s->capobjs = s->capobjs ? s->capobjs * 2 : 1024;
      s->objs = ms_xgrow(s->objs, old, s->capobjs * sizeof(ms_Object));
    }
    id = s->nobjs++;
  }
  ms_Object *o = O(s, id);
  memset(o, 0, sizeof *o);
  o->addr = addr;
  o->refcnt = 1;
  o->type = (uint8_t)type;
  o->gc_prev = o->gc_next = MS_NIL;
  o->serial = ++s->next_serial;
  if (addr) {
    s->nlive++;
    s->nlive_type[type]++;
  }
  return id;
}

void record_free(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  o->flags = 0;
  o->body = NULL;
  o->serial = 0;
  o->gc_next = s->free_ids;
  s->free_ids = id;
}

/* A static object: None, a cached small int, an interned name. */
uint32_t static_new(ms_Sim *s, int type, uint32_t len) {
  uint32_t id = record_new(s, type, 0);
  O(s, id)->flags = OF_STATIC;
  O(s, id)->len = len;
  return id;
}

/* Reuse a record parked on a free list as a new object. */
static void revive(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  o->flags &= (uint8_t)~(OF_FREELIST | OF_DYING);
  o->refcnt = 1;
  o->serial = ++s->next_serial;
  s->nfreelist--;
  s->nlive++;
  s->nlive_type[o->type]++;
  s->now += s->prof->cost.freelist;
  hist_record(&s->h_alloc, s->prof->cost.freelist);
}

/*
** Allocate the memory of a new object.  GC types go through
** _PyObject_GC_Link: count[0] goes up and a collection may run, after
** the memory is taken and before the object exists.
*/
static uint64_t object_memory(ms_Sim *s, int type, size_t n) {
  uint64_t t0 = s->now;
  s->explain_what = ms_types[type]->tp_name;
  uint64_t addr = mem_alloc(s, n);
  s->explain_what = NULL;
  if (addr == 0) return 0;
  s->now += s->prof->cost.object_init;
  if (ms_types[type]->tp_flags & TPF_GC) gc_on_alloc(s);
  hist_record(&s->h_alloc, s->now - t0);   /* what the allocation cost, a collection included */
  return addr;
}

/* a dict's index table: 2^log2 slots, all DKIX_EMPTY (-1) */
int32_t *index_new(uint32_t n) {
  int32_t *ix = ms_xmalloc(n * sizeof(int32_t));
  memset(ix, 0xff, n * sizeof(int32_t));   /* -1 everywhere */
  return ix;
}

/* ====================================================================
** Reference counting and deallocation
** ==================================================================== */

int obj_may_be_tracked(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  if (!(TYPE(o)->tp_flags & TPF_GC)) return 0;
  if (TYPE(o)->tp_untrack_scan) return (o->flags & OF_TRACKED) != 0;   /* tuples */
  return 1;
}

static void dealloc_start(ms_Sim *s, uint32_t id);
static void dealloc_run(ms_Sim *s, uint32_t base);

/* Py_DECREF inside a cascade: the caller's loop finishes the work */
static void release_nested(ms_Sim *s, uint32_t id) {
  if (id == 0) return;
  ms_Object *o = O(s, id);
  if (o->flags & OF_STATIC) return;
  s->now += s->prof->cost.refcount;
  assert(o->refcnt > 0);
  if (--o->refcnt == 0) dealloc_start(s, id);
}

/*
** Py_DECREF as a statement: a cascade it starts runs to its end, and the
** clock is charged for it (the pause model, profile.h): each destructor's
** cost, and per object freed the cost of reaching memory that is no
** longer in the caches, which grows with the bytes the cascade freed.
** The destructors' costs are summed in 1/256 ns; what is left below one
** nanosecond waits for the next cascade, so no time is lost.
*/
__attribute__((noinline)) static void cascade_run(ms_Sim *s, uint32_t base) {
  uint64_t deallocs = s->deallocs, bytes = s->req_bytes;
  dealloc_run(s, base);
  uint64_t freed = bytes > s->req_bytes ? bytes - s->req_bytes : 0;
  s->dealloc_q += (s->deallocs - deallocs) * ms_cost_at(s->prof->cost.dealloc_miss_q, freed);
  s->now += s->dealloc_q >> 8;
  s->dealloc_q &= 255;
}

void obj_release(ms_Sim *s, uint32_t id) {
  uint32_t base = s->nframes;
  release_nested(s, id);
  if (s->nframes > base) cascade_run(s, base);   /* apart: the common decref stays small */
}

void ms_incref(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  assert(id != 0 && o->serial != 0);
  if (o->flags & OF_STATIC) {
    o->refcnt++;
    return;
  }
  s->now += s->prof->cost.refcount;
  o->refcnt++;
}

int ms_decref(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  assert(id != 0 && o->serial != 0);
  if (o->refcnt <= 0 || (o->flags & OF_STATIC && o->refcnt <= 1))
    return sim_error(s, "decref below zero: %s object has refcount %lld",
                     ms_type_name(o->type), (long long)o->refcnt);
  if (o->flags & OF_STATIC) {
    o->refcnt--;
    return 0;
  }
  uint64_t t0 = s->now, before = s->deallocs;
  obj_release(s, id);
  if (s->deallocs != before) hist_record(&s->h_dealloc, s->now - t0);
  return 0;
}

static void dealloc_start(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  o->flags |= OF_DYING;
  if (o->flags & OF_TRACKED) gc_untrack(s, id);
  uint8_t trash = 0;
  if (TYPE(o)->tp_flags & TPF_TRASHCAN) {
    if (s->trash_nesting >= 50) {    /* _PyTrash_thread_deposit_object */
      if (s->ntrash == s->captrash) {
        s->captrash = s->captrash ? 2 * s->captrash : 64;
        s->trash = ms_xrealloc(s->trash, s->captrash * sizeof(uint32_t));
      }
      s->trash[s->ntrash++] = id;
      return;
    }
    s->trash_nesting++;
    trash = 1;
  }
  if (s->nframes == s->capframes) {
    s->capframes = s->capframes ? 2 * s->capframes : 64;
    s->frames = ms_xrealloc(s->frames, s->capframes * sizeof(DeallocFrame));
  }
  s->frames[s->nframes++] = (DeallocFrame){id, 0, trash, 0};
}

/* the next reference a dying object drops, in its deallocator's order */
static uint32_t next_child(ms_Sim *s, DeallocFrame *f) {
  ms_Object *o = O(s, f->id);
  const ms_TypeObject *t = TYPE(o);
  return t->tp_dealloc_next ? t->tp_dealloc_next(o, &f->pos) : 0;
}

/* PyObject_GC_Del / PyObject_Free of the object itself */
void free_object(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  s->explain_what = TYPE(o)->tp_name;
  mem_free(s, o->addr, obj_request(s, o));
  s->explain_what = NULL;
  if (TYPE(o)->tp_flags & TPF_GC) gc_on_free(s);
  record_free(s, id);
}

int park(ms_Sim *s, uint32_t id, uint32_t **list, uint32_t *n, uint32_t max) {
  if (*n >= max) return 0;
  if (*list == NULL) *list = ms_xmalloc(max * sizeof(uint32_t));
  (*list)[(*n)++] = id;
  O(s, id)->flags |= OF_FREELIST;
  O(s, id)->serial = 0;
  s->nfreelist++;
  s->now += s->prof->cost.freelist;
  return 1;
}

/* the end of a deallocator: the type's part (second allocation, free
   list), then the object */
static void dealloc_finish(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  const ms_TypeObject *t = TYPE(o);
  s->deallocs++;
  s->nlive--;
  s->nlive_type[o->type]--;
  s->dealloc_q += s->dealloc_cost_q[o->type];   /* charged when the cascade ends */
  if (t->tp_dealloc && t->tp_dealloc(s, id)) return;   /* parked on a free list */
  free_object(s, id);
}

/*
** Run deallocations until the stack is back to BASE: an explicit stack
** in place of C recursion, with 3.11's trashcan (depth 50) in it, so the
** order of frees is CPython's for any depth.
*/
static void dealloc_run(ms_Sim *s, uint32_t base) {
  const uint32_t deep_q = s->prof->cost.dealloc_deep_q;
  while (s->nframes > base) {
    DeallocFrame *f = &s->frames[s->nframes - 1];
    if (f->chain) {                        /* _PyTrash_thread_destroy_chain */
      if (s->ntrash > 0) {
        dealloc_start(s, s->trash[--s->ntrash]);
        continue;
      }
      s->trash_nesting--;
      s->nframes--;
      continue;
    }
    uint32_t child = next_child(s, f);
    if (child) {
      release_nested(s, child);
      continue;
    }
    uint32_t id = f->id;
    uint8_t trash = f->trash;
    if (s->nframes - base >= 5) s->dealloc_q += deep_q;   /* five or more destructors deep */
    s->nframes--;
    dealloc_finish(s, id);
    if (trash) {                           /* _PyTrash_end */
      s->trash_nesting--;
      if (s->ntrash > 0 && s->trash_nesting <= 0) {
        s->trash_nesting++;
        if (s->nframes == s->capframes) {
          s->capframes *= 2;
          s->frames = ms_xrealloc(s->frames, s->capframes * sizeof(DeallocFrame));
        }
        s->frames[s->nframes++] = (DeallocFrame){0, 0, 0, 1};
      }
    }
  }
}

/* ====================================================================
** Constructors
** ==================================================================== */

int need_type(ms_Sim *s, uint32_t id, int type, const char *what) {
  if (O(s, id)->type != type)
    return sim_error(s, "TypeError: %s needs a %s, got %s", what, ms_type_name(type),
                     ms_type_name(O(s, id)->type));
  return 0;
}

uint32_t new_plain(ms_Sim *s, int type, uint32_t len) { return new_plain_cap(s, type, len, 0); }

/* a type whose size depends on its capacity too (3.13's inline values) */
uint32_t new_plain_cap(ms_Sim *s, int type, uint32_t len, uint32_t cap) {
  ms_Object tmp = {.type = (uint8_t)type, .len = len, .cap = cap};
  return new_plain_like(s, &tmp);
}

uint32_t new_plain_like(ms_Sim *s, const ms_Object *tmp) {
  uint64_t addr = object_memory(s, tmp->type, obj_request(s, tmp));
  if (addr == 0) return 0;
  uint32_t id = record_new(s, tmp->type, addr);
  O(s, id)->len = tmp->len;
  O(s, id)->cap = tmp->cap;
  O(s, id)->cls = tmp->cls;
  return id;
}

/* the object last parked on a free list, made live again; 0 if empty */
uint32_t unpark(ms_Sim *s, uint32_t *list, uint32_t *n) {
  if (*n == 0) return 0;
  uint32_t id = list[--*n];
  revive(s, id);
  return id;
}

/* "" and 1-character strings and bytes are cached singletons */
uint32_t singleton(ms_Sim *s, uint32_t *slot, int type) {
  if (*slot == 0) *slot = static_new(s, type, 0);
  O(s, *slot)->refcnt++;
  return *slot;
}


uint32_t ms_new(ms_Sim *s, int type, int64_t arg) {
  if (type < 0 || type >= MS_NTYPES || ms_types[type]->tp_new == NULL)
    return SIM_FAIL0(s, "unknown type %d", type);
  if (arg < 0 && type != MS_INT)
    return SIM_FAIL0(s, "%s size must be >= 0, got %lld", ms_type_name(type), (long long)arg);
  if (arg > 0x7fffffff && type != MS_INT)
    return SIM_FAIL0(s, "%s size %lld is too large", ms_type_name(type), (long long)arg);
  return ms_types[type]->tp_new(s, arg);
}

/* ====================================================================
** Handles
** ==================================================================== */

int ms_obj_alive(const ms_Sim *s, uint32_t id, uint32_t serial) {
  return id < s->nobjs && serial != 0 && s->objs[id].serial == serial &&
         !(s->objs[id].flags & (OF_DYING | OF_FREELIST));
}
uint32_t ms_obj_serial(const ms_Sim *s, uint32_t id) { return s->objs[id].serial; }
int ms_obj_type(const ms_Sim *s, uint32_t id) { return s->objs[id].type; }
/* sys.getrefcount: 3.12 made None, the small ints, the empty and one-character
   singletons and interned names immortal, their count a constant (Py_REFCNT
   of an immortal object); the placeholders of a start-up heap stand for
   mortal objects */
int64_t ms_obj_refcnt(const ms_Sim *s, uint32_t id) {
  const ms_Object *o = &s->objs[id];
  if (s->prof->immortal_refcnt && (o->flags & OF_STATIC) && o->type != MS_LIST)
    return (int64_t)s->prof->immortal_refcnt;
  if (s->prof->intern_immortal && o->type == MS_STR && (o->cls & STR_INTERNED))
    return (int64_t)s->prof->immortal_refcnt;
  return o->refcnt;
}
uint64_t ms_obj_address(const ms_Sim *s, uint32_t id) { return s->objs[id].addr; }
uint64_t ms_obj_uid(const ms_Sim *s, uint32_t id) { return s->objs[id].serial; }

/* ====================================================================
** Items: setitem, getitem, delitem, len
** ==================================================================== */

/*
** A key is hashable when its type is and, for a tuple, every item is
** (tuplehash hashes them all).  Walked with a stack of our own: a script
** may nest tuples deeper than the C stack would go; past a million items
** the key is taken as hashable.
*/
int obj_check_hashable(ms_Sim *s, uint32_t key) {
  uint32_t *stack = NULL, cur = key;
  size_t n = 0, cap = 0, seen = 0;
  int rc = 0;
  for (;;) {
    ms_Object *o = O(s, cur);
    const ms_TypeObject *t = TYPE(o);
    if (t->tp_flags & TPF_UNHASHABLE) {
      rc = sim_error(s, "TypeError: unhashable type: '%s'", t->tp_name);
      break;
    }
    if (o->type == MS_TUPLE && seen < 1000000) {
      const uint32_t *items = o->body;
      for (uint32_t i = 0; i < o->len; i++) {
        if (items[i] == 0) continue;
        if (n == cap) stack = ms_xrealloc(stack, (cap = cap ? 2 * cap : 16) * sizeof *stack);
        stack[n++] = items[i];
      }
      seen += o->len;
    }
    if (n == 0) break;
    cur = stack[--n];
  }
  ms_xfree(stack);
  return rc;
}

int ms_setitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key, uint32_t value) {
  const ms_TypeObject *t = TYPE(O(s, c));
  if (t->tp_setitem == NULL)
    return sim_error(s, "TypeError: '%s' object does not support item assignment", t->tp_name);
  return t->tp_setitem(s, c, index, key, value);
}

int ms_getitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key, uint32_t *out) {
  const ms_TypeObject *t = TYPE(O(s, c));
  if (t->tp_getitem == NULL)
    return sim_error(s, "TypeError: '%s' object is not subscriptable", t->tp_name);
  if (t->tp_getitem(s, c, index, key, out) < 0) return -1;
  ms_incref(s, *out);
  return 0;
}

int ms_delitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key) {
  const ms_TypeObject *t = TYPE(O(s, c));
  if (t->tp_delitem == NULL)
    return sim_error(s, "TypeError: '%s' object doesn't support item deletion", t->tp_name);
  return t->tp_delitem(s, c, index, key);
}

int64_t ms_len(ms_Sim *s, uint32_t c) {
  ms_Object *o = O(s, c);
  if (!(TYPE(o)->tp_flags & TPF_LEN))
    return sim_error(s, "TypeError: object of type '%s' has no len()", TYPE(o)->tp_name);
  return o->len;
}

/* ====================================================================
** The types whose body is items[len]: tuple, list, frames, iterators
** ==================================================================== */

uint32_t items_traverse(ms_Sim *s, uint32_t id, VisitFn visit, void *ud) {
  ms_Object *o = O(s, id);
  const uint32_t *items = o->body;
  uint32_t edges = 0;
  for (uint32_t i = 0; i < o->len; i++)
    if (items[i]) {
      visit(s, items[i], ud);
      edges++;
    }
  return edges;
}

/* list_dealloc, tupledealloc: while (--i >= 0) Py_XDECREF(op->ob_item[i]) */
uint32_t items_dealloc_backward(ms_Object *o, uint32_t *pos) {
  const uint32_t *items = o->body;
  while (*pos < o->len) {
    uint32_t c = items[o->len - 1 - (*pos)++];
    if (c) return c;
  }
  return 0;
}

/* a frame's locals, an iterator's sequence: first to last */
uint32_t items_dealloc_forward(ms_Object *o, uint32_t *pos) {
  const uint32_t *items = o->body;
  while (*pos < o->len) {
    uint32_t c = items[(*pos)++];
    if (c) return c;
  }
  return 0;
}

int items_getitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key, uint32_t *out) {
  (void)key;
  ms_Object *o = O(s, c);
  if (list_index(s, o, &index) < 0) return -1;
  uint32_t v = ((uint32_t *)o->body)[index];
  if (v == 0) return sim_error(s, "%s slot %lld is empty", TYPE(o)->tp_name, (long long)index);
  *out = v;
  return 0;
}

int items_setitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key, uint32_t value) {
  (void)key;
  ms_Object *o = O(s, c);
  if (list_index(s, o, &index) < 0) return -1;
  uint32_t *items = o->body;
  uint32_t old = items[index];
  ms_incref(s, value);
  items[index] = value;
  obj_release(s, old);
  return 0;
}

/* tp_clear of an items body: each reference dropped in turn (a release may
   run code that changes the object: the body is read anew each time) */
void items_clear(ms_Sim *s, uint32_t id) {
  for (uint32_t i = 0; i < O(s, id)->len; i++) {
    uint32_t *items = O(s, id)->body;
    uint32_t v = items[i];
    items[i] = 0;
    obj_release(s, v);
  }
}

/*
** A GC object whose body is items[N], holding REFS (N of them, 0 for an
** empty slot; NULL: all empty), tracked: a cell, a bound method, an
** iterator, a view, a function's closure, an instance's slots.
*/
uint32_t holder_new(ms_Sim *s, int type, uint32_t n, const uint32_t *refs) {
  uint32_t id = new_plain(s, type, n);
  if (id == 0) return 0;
  uint32_t *body = ms_xcalloc(n ? n : 1, sizeof(uint32_t));
  for (uint32_t i = 0; refs && i < n; i++)
    if (refs[i]) {
      ms_incref(s, refs[i]);
      body[i] = refs[i];
    }
  O(s, id)->body = body;
  gc_track(s, id);
  return id;
}

/* Python's slice bounds: negative from the end, then clamped to [0, size] */
void slice_clamp(int64_t size, int64_t *lo, int64_t *hi) {
  if (*lo < 0) *lo += size;
  if (*hi < 0) *hi += size;
  if (*lo < 0) *lo = 0;
  if (*lo > size) *lo = size;
  if (*hi < *lo) *hi = *lo;
  if (*hi > size) *hi = size;
}

int items_free_body(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  ms_xfree(o->body);
  o->body = NULL;
  return 0;
}

/* ====================================================================
** sys.getsizeof
** ==================================================================== */

int64_t ms_getsizeof(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  const ms_TypeObject *t = TYPE(o);
  return t->tp_sizeof ? t->tp_sizeof(s->prof, o) : (int64_t)t->tp_basicsize(s->prof, o);
}

/* ====================================================================
** For the collector: traverse, clear, untrack
** ==================================================================== */

uint32_t obj_traverse(ms_Sim *s, uint32_t id, VisitFn visit, void *ud) {
  const ms_TypeObject *t = TYPE(O(s, id));
  return t->tp_traverse ? t->tp_traverse(s, id, visit, ud) : 0;
}

int obj_has_clear(const ms_Object *o) { return TYPE(o)->tp_clear != NULL; }

/* tp_clear: drop every reference the object holds */
void obj_clear(ms_Sim *s, uint32_t id) { TYPE(O(s, id))->tp_clear(s, id); }

/* ====================================================================
** Free lists
** ==================================================================== */

static void drop_parked(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  s->nfreelist--;
  ms_xfree(o->body);                       /* a tuple keeps its item array parked */
  o->body = NULL;
  free_object(s, id);
}

/* clear_freelists: tuples, floats, lists, dicts, then keys, LIFO each */
void freelists_clear(ms_Sim *s) {
  for (uint32_t k = 0; k < 20; k++)
    while (s->n_tuple[k] > 0) drop_parked(s, s->fl_tuple[k][--s->n_tuple[k]]);
  while (s->n_float > 0) drop_parked(s, s->fl_float[--s->n_float]);
  while (s->n_int > 0) drop_parked(s, s->fl_int[--s->n_int]);
  while (s->n_list > 0) drop_parked(s, s->fl_list[--s->n_list]);
  while (s->n_dict > 0) drop_parked(s, s->fl_dict[--s->n_dict]);
  while (s->n_keys > 0) mem_free_for(s, "dict keys", s->fl_keys[--s->n_keys], keys_bytes(s->prof, 3, 1));
}

