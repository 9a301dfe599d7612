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

#include "simimpl.h"

/* ====================================================================
** Types
** ==================================================================== */

static const struct {
  const char *name;
  uint8_t gc;          /* allocated with a GC header, counted by the GC */
  uint8_t container;   /* holds references */
  uint8_t trashcan;    /* its deallocator uses Py_TRASHCAN_BEGIN */
} types[MS_NTYPES] = {
  [MS_NONE] = {"NoneType", 0, 0, 0},
  [MS_INT] = {"int", 0, 0, 0},
  [MS_FLOAT] = {"float", 0, 0, 0},
  [MS_STR] = {"str", 0, 0, 0},
  [MS_BYTES] = {"bytes", 0, 0, 0},
  [MS_TUPLE] = {"tuple", 1, 1, 1},
  [MS_LIST] = {"list", 1, 1, 1},
  [MS_DICT] = {"dict", 1, 1, 1},
  [MS_SET] = {"set", 1, 1, 1},
  [MS_OBJECT] = {"object", 1, 1, 1},
  [MS_GENERATOR] = {"generator", 1, 1, 0},
  [MS_FUNCTION] = {"function", 1, 0, 0},
  [MS_RANGE] = {"range", 0, 0, 0},
  [MS_ITERATOR] = {"range_iterator", 0, 0, 0},
  [MS_SEQITER] = {"list_iterator", 1, 1, 0},
};

const char *ms_type_name(int t) { return t >= 0 && t < MS_NTYPES ? types[t].name : "?"; }

int ms_type_from_name(const char *name) {
  for (int t = 1; t < MS_NTYPES; t++)
    if (strcmp(types[t].name, name) == 0) return t;
  if (strcmp(name, "iterator") == 0) return MS_ITERATOR;
  return -1;
}

int ms_type_is_gc(int t) { return t >= 0 && t < MS_NTYPES && types[t].gc; }
int ms_type_is_container(int t) { return t >= 0 && t < MS_NTYPES && types[t].container; }

/* ====================================================================
** Sizes (what each object asks its allocator for)
** ==================================================================== */

/* dict keys table: header + indices + entries (new_keys_object) */
static size_t keys_bytes(const ms_Profile *p, uint32_t log2, int unicode) {
  size_t n = (size_t)1 << log2;
  size_t ib = log2 < 8 ? 1 : log2 < 16 ? 2 : log2 < 32 ? 4 : 8;
  size_t usable = (2 * n) / 3;
  return p->dict_keys_header + n * ib + usable * (unicode ? 16 : 24);
}

size_t dict_keys_request(ms_Sim *s, uint32_t log2, int unicode) {
  return keys_bytes(s->prof, log2, unicode);
}

static uint32_t usable_of(uint32_t log2) { return (uint32_t)(((size_t)2 << log2) / 3); }

/* instance values array of n slots (new_values) */
static size_t values_bytes(uint32_t n) { return ((n + 2 + 7) & ~7u) + 8 * (size_t)n; }

size_t obj_request(ms_Sim *s, const ms_Object *o) {
  const ms_Profile *p = s->prof;
  switch (o->type) {
    case MS_INT: return o->len <= 1 ? p->int_medium : p->int_base + 4 * (size_t)o->len;
    case MS_FLOAT: return p->float_size;
    case MS_STR: return p->str_ascii_base + o->len + 1;
    case MS_BYTES: return p->bytes_base + o->len + 1;
    case MS_TUPLE: return p->gc_head + p->tuple_base + 8 * (size_t)o->len;
    case MS_LIST: return p->gc_head + p->list_size;
    case MS_DICT: return p->gc_head + p->dict_size;
    case MS_SET: return p->gc_head + p->set_size;
    case MS_OBJECT: return p->gc_head + p->instance_size;
    case MS_GENERATOR: return p->gc_head + p->generator_size + 8 * (size_t)o->len;
    case MS_FUNCTION: return p->gc_head + p->function_size;
    case MS_RANGE: return 48;
    case MS_ITERATOR: return 40;
    case MS_SEQITER: return p->gc_head + 32;
    default: return 0;
  }
}

size_t obj_aux_request(ms_Sim *s, const ms_Object *o) {
  if (o->aux == 0) return 0;
  switch (o->type) {
    case MS_LIST: return 8 * (size_t)o->cap;
    case MS_DICT: return keys_bytes(s->prof, o->cap, (o->flags & OF_UNICODE) != 0);
    case MS_SET: return 16 * (size_t)o->cap;
    case MS_OBJECT: return values_bytes(o->cap);
    default: return 0;
  }
}

/* ====================================================================
** Memory, with accounting
** ==================================================================== */

static void note_peak(ms_Sim *s) {
  if (s->req_bytes > s->live_peak) s->live_peak = s->req_bytes;
}

/* does pymalloc (not the raw allocator) hold block P? */
static int in_pool(ms_Sim *s, uint64_t p) {
  return s->pym != NULL && pymalloc_pool_of(s->pym, p, NULL) != NULL;
}

uint64_t mem_alloc(ms_Sim *s, size_t n) {
  uint64_t p = s->obj.m->malloc(s->obj.self, n);
  if (p == 0) {
    sim_memory_error(s, "allocation", n);
    return 0;
  }
  if (in_pool(s, p)) s->req_small += n;
  s->req_bytes += n;
  s->allocs++;
  s->events++;
  note_peak(s);
  SERIES_TICK(s);
  return p;
}

uint64_t mem_realloc(ms_Sim *s, uint64_t p, size_t oldn, size_t n) {
  int was_small = p != 0 && in_pool(s, p);
  uint64_t q = s->obj.m->realloc(s->obj.self, p, n);
  if (q == 0) {
    sim_memory_error(s, "reallocation", n);
    return 0;
  }
  if (was_small) s->req_small -= oldn;
  if (in_pool(s, q)) s->req_small += n;
  s->req_bytes = s->req_bytes - oldn + n;
  s->events++;
  note_peak(s);
  SERIES_TICK(s);
  return q;
}

void mem_free(ms_Sim *s, uint64_t p, size_t n) {
  if (p == 0) return;
  assert(s->req_bytes >= n);
  if (in_pool(s, p)) s->req_small -= n;
  s->obj.m->free(s->obj.self, p);
  s->req_bytes -= n;
  s->frees++;
  s->events++;
  SERIES_TICK(s);
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

static void record_free(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  o->flags = 0;
  o->body = NULL;
  o->serial = 0;
  o->gc_next = s->free_ids;
  s->free_ids = id;
}

/* A static object: None, a cached small int, an interned name. */
static uint32_t static_new(ms_Sim *s, int type, uint32_t len) {
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
  uint64_t addr = mem_alloc(s, n);
  if (addr == 0) return 0;
  s->now += s->prof->cost.object_init;
  if (types[type].gc) gc_on_alloc(s);
  hist_record(&s->h_alloc, s->now - t0);   /* what the allocation cost, a collection included */
  return addr;
}

/* ====================================================================
** Lookup tables for dicts and sets (host side only)
** ==================================================================== */

static uint32_t hash_id(uint32_t k) {
  k ^= k >> 16;
  k *= 0x7feb352dU;
  k ^= k >> 15;
  return k;
}

/* slot of KEY in INDEX (mask M), or of the first free slot: *found says which */
static uint32_t probe(const int32_t *index, uint32_t m, const uint32_t *keys,
                      uint32_t stride, uint32_t key, int *found) {
  uint32_t h = hash_id(key) & m, first_dummy = MS_NIL;
  for (;;) {
    int32_t e = index[h];
    if (e == -1) {
      *found = 0;
      return first_dummy != MS_NIL ? first_dummy : h;
    }
    if (e == -2) {
      if (first_dummy == MS_NIL) first_dummy = h;
    } else if (keys[(uint32_t)e * stride] == key) {
      *found = 1;
      return h;
    }
    h = (h + 1) & m;
  }
}

static int32_t *index_new(uint32_t n) {
  int32_t *ix = ms_xmalloc(n * sizeof(int32_t));
  memset(ix, 0xff, n * sizeof(int32_t));   /* -1 everywhere */
  return ix;
}

/* ====================================================================
** Reference counting and deallocation
** ==================================================================== */

int obj_may_be_tracked(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  if (!types[o->type].gc) return 0;
  if (o->type == MS_TUPLE) return (o->flags & OF_TRACKED) != 0;
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

/* Py_DECREF as a statement: a cascade it starts runs to its end */
void obj_release(ms_Sim *s, uint32_t id) {
  uint32_t base = s->nframes;
  release_nested(s, id);
  if (s->nframes > base) dealloc_run(s, base);
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
                     types[o->type].name, (long long)o->refcnt);
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
  if (types[o->type].trashcan) {
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
  switch (o->type) {
    case MS_LIST:
    case MS_TUPLE: {                       /* while (--i >= 0) Py_XDECREF */
      uint32_t *items = o->body;
      while (f->pos < o->len) {
        uint32_t c = items[o->len - 1 - f->pos++];
        if (c) return c;
      }
      return 0;
    }
    case MS_SEQITER:
    case MS_GENERATOR: {                   /* the frame's locals, in order */
      uint32_t *items = o->body;
      while (f->pos < o->len) {
        uint32_t c = items[f->pos++];
        if (c) return c;
      }
      return 0;
    }
    case MS_DICT: {                        /* free_keys_object: key, value */
      DictBody *d = o->body;
      if (d == NULL) return 0;
      while (f->pos < 2 * d->nentries) {
        uint32_t c = d->entries[f->pos++];
        if (c) return c;
      }
      return 0;
    }
    case MS_SET: {
      SetBody *b = o->body;
      while (f->pos < b->nkeys) {
        uint32_t c = b->keys[f->pos++];
        if (c) return c;
      }
      return 0;
    }
    case MS_OBJECT: {                      /* values in order, or the dict */
      InstBody *b = o->body;
      if (b->dict) {
        if (f->pos++ == 0) return b->dict;
        return 0;
      }
      while (f->pos < o->cap) {
        uint32_t c = b->vals[f->pos++];
        if (c) return c;
      }
      return 0;
    }
    default:
      return 0;
  }
}

/* PyObject_GC_Del / PyObject_Free of the object itself */
static void free_object(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  mem_free(s, o->addr, obj_request(s, o));
  if (types[o->type].gc) gc_on_free(s);
  record_free(s, id);
}

static int park(ms_Sim *s, uint32_t id, uint32_t **list, uint32_t *n, uint32_t max) {
  if (*n >= max) return 0;
  if (*list == NULL) *list = ms_xmalloc(max * sizeof(uint32_t));
  (*list)[(*n)++] = id;
  O(s, id)->flags |= OF_FREELIST;
  O(s, id)->serial = 0;
  s->nfreelist++;
  s->now += s->prof->cost.freelist;
  return 1;
}

/* free a dict's keys table: to the keys free list, or to the allocator */
static void keys_free(ms_Sim *s, uint64_t addr, uint32_t log2, int unicode) {
  if (addr == 0) return;
  if (log2 == 3 && unicode && s->n_keys < s->prof->dict_freelist) {
    if (s->fl_keys == NULL) s->fl_keys = ms_xmalloc(s->prof->dict_freelist * sizeof(uint64_t));
    s->fl_keys[s->n_keys++] = addr;
    return;
  }
  mem_free(s, addr, keys_bytes(s->prof, log2, unicode));
}

static void dict_body_free(DictBody *d) {
  if (d == NULL) return;
  ms_xfree(d->entries);
  ms_xfree(d->index);
  ms_xfree(d);
}

/* the end of a deallocator: second allocation, then the object */
static void dealloc_finish(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  const ms_Profile *p = s->prof;
  s->deallocs++;
  s->nlive--;
  s->nlive_type[o->type]--;
  s->now += p->cost.object_dealloc;
  switch (o->type) {
    case MS_FLOAT:
      if (park(s, id, &s->fl_float, &s->n_float, p->float_freelist)) return;
      break;
    case MS_LIST:                          /* list_dealloc */
      mem_free(s, o->aux, obj_aux_request(s, o));
      ms_xfree(o->body);
      o->body = NULL;
      o->aux = 0;
      o->len = o->cap = 0;
      if (park(s, id, &s->fl_list, &s->n_list, p->list_freelist)) return;
      break;
    case MS_TUPLE: {                       /* tupledealloc */
      uint32_t n = o->len;
      if (n > 0 && n <= p->tuple_nfreelists &&
          park(s, id, &s->fl_tuple[n - 1], &s->n_tuple[n - 1], p->tuple_freelist)) {
        memset(o->body, 0, n * sizeof(uint32_t));
        return;
      }
      ms_xfree(o->body);
      break;
    }
    case MS_DICT:                          /* dict_dealloc */
      keys_free(s, o->aux, o->cap, (o->flags & OF_UNICODE) != 0);
      dict_body_free(o->body);
      o->body = NULL;
      o->aux = 0;
      o->cap = 0;
      o->len = 0;
      o->flags &= (uint8_t)~OF_UNICODE;
      if (park(s, id, &s->fl_dict, &s->n_dict, p->dict_freelist)) return;
      break;
    case MS_SET: {                         /* set_dealloc */
      SetBody *b = o->body;
      if (o->cap > p->set_minsize) mem_free(s, o->aux, 16 * (size_t)o->cap);
      ms_xfree(b->keys);
      ms_xfree(b->index);
      ms_xfree(b);
      break;
    }
    case MS_OBJECT:                        /* subtype_dealloc */
      mem_free(s, o->aux, obj_aux_request(s, o));
      ms_xfree(o->body);
      break;
    case MS_GENERATOR:
    case MS_SEQITER:
      ms_xfree(o->body);
      break;
    default:
      break;
  }
  free_object(s, id);
}

/*
** Run deallocations until the stack is back to BASE: an explicit stack
** in place of C recursion, with 3.11's trashcan (depth 50) in it, so the
** order of frees is CPython's for any depth.
*/
static void dealloc_run(ms_Sim *s, uint32_t base) {
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

static uint32_t small_int(ms_Sim *s, int64_t v) {
  uint32_t *slot = &s->small_ints[v - s->prof->small_int_min];
  if (*slot == 0) *slot = static_new(s, MS_INT, v == 0 ? 0 : 1);
  O(s, *slot)->refcnt++;
  return *slot;
}

/* digits of |v| in base 2^30 */
static uint32_t ndigits_of(int64_t v) {
  uint64_t m = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
  uint32_t n = 0;
  while (m) {
    n++;
    m >>= 30;
  }
  return n;
}

static uint32_t new_plain(ms_Sim *s, int type, uint32_t len) {
  ms_Object tmp = {.type = (uint8_t)type, .len = len};
  uint64_t addr = object_memory(s, type, obj_request(s, &tmp));
  if (addr == 0) return 0;
  uint32_t id = record_new(s, type, addr);
  O(s, id)->len = len;
  return id;
}

uint32_t ms_new_int(ms_Sim *s, int64_t v) {
  if (v >= s->prof->small_int_min && v <= s->prof->small_int_max) return small_int(s, v);
  return new_plain(s, MS_INT, ndigits_of(v));
}

uint32_t ms_new_bigint(ms_Sim *s, uint32_t ndigits) {
  if (ndigits == 0) return small_int(s, 0);
  return new_plain(s, MS_INT, ndigits);
}

/* the object last parked on a free list, made live again; 0 if empty */
static uint32_t unpark(ms_Sim *s, uint32_t *list, uint32_t *n) {
  if (*n == 0) return 0;
  uint32_t id = list[--*n];
  revive(s, id);
  return id;
}

/* PyFloat_FromDouble: the free list first */
static uint32_t new_float(ms_Sim *s) {
  uint32_t id = unpark(s, s->fl_float, &s->n_float);
  return id ? id : new_plain(s, MS_FLOAT, 0);
}

/* "" and 1-character strings and bytes are cached singletons */
static uint32_t singleton(ms_Sim *s, uint32_t *slot, int type) {
  if (*slot == 0) *slot = static_new(s, type, 0);
  O(s, *slot)->refcnt++;
  return *slot;
}

static uint32_t new_string(ms_Sim *s, int type, int64_t len) {
  if (len <= 1) {
    uint32_t *slot = &s->singletons[(type == MS_BYTES ? 2 : 0) + (uint32_t)len];
    uint32_t id = singleton(s, slot, type);
    O(s, id)->len = (uint32_t)len;
    return id;
  }
  return new_plain(s, type, (uint32_t)len);
}

/* tuple_alloc: sizes 1 .. popmax-1 come from the free list */
static uint32_t new_tuple(ms_Sim *s, uint32_t n) {
  if (n == 0) return singleton(s, &s->singletons[4], MS_TUPLE);
  uint32_t id = n < s->prof->tuple_popmax ? unpark(s, s->fl_tuple[n - 1], &s->n_tuple[n - 1]) : 0;
  if (id == 0) {
    id = new_plain(s, MS_TUPLE, n);
    if (id == 0) return 0;
    O(s, id)->body = ms_xcalloc(n, sizeof(uint32_t));
  }
  gc_track(s, id);
  return id;
}

/* PyList_New(n): the object, then n slots from PyMem_Calloc */
static uint32_t new_list(ms_Sim *s, uint32_t n) {
  uint32_t id = unpark(s, s->fl_list, &s->n_list);
  int revived = id != 0;
  if (!revived) {
    id = new_plain(s, MS_LIST, 0);
    if (id == 0) return 0;
  }
  if (n > 0) {
    uint64_t items = mem_alloc(s, 8 * (size_t)n);
    if (items == 0) {                      /* undo: back where it came from */
      s->nlive--;
      s->nlive_type[MS_LIST]--;
      if (!revived || !park(s, id, &s->fl_list, &s->n_list, s->prof->list_freelist))
        free_object(s, id);
      return 0;
    }
    ms_Object *o = O(s, id);
    o->aux = items;
    o->cap = o->len = n;
    uint32_t *body = ms_xmalloc(n * sizeof(uint32_t));
    for (uint32_t i = 0; i < n; i++) body[i] = ID_NONE;
    o->body = body;
  }
  gc_track(s, id);
  return id;
}

/* PyDict_New: the free list first; shares the empty keys; untracked */
static uint32_t new_dict(ms_Sim *s) {
  uint32_t id = unpark(s, s->fl_dict, &s->n_dict);
  return id ? id : new_plain(s, MS_DICT, 0);
}

static uint32_t new_set(ms_Sim *s) {
  uint32_t id = new_plain(s, MS_SET, 0);
  if (id == 0) return 0;
  ms_Object *o = O(s, id);
  SetBody *b = ms_xcalloc(1, sizeof *b);
  o->cap = s->prof->set_minsize;
  b->index = index_new(o->cap);
  o->body = b;
  gc_track(s, id);
  return id;
}

static uint32_t new_generator(ms_Sim *s, uint32_t slots) {
  uint32_t id = new_plain(s, MS_GENERATOR, slots);
  if (id == 0) return 0;
  O(s, id)->body = ms_xcalloc(slots ? slots : 1, sizeof(uint32_t));
  gc_track(s, id);
  return id;
}

static ms_Class *class_find(ms_Sim *s, const char *name) {
  for (uint32_t i = 0; i < s->nclasses; i++)
    if (strcmp(s->classes[i].name, name) == 0) return &s->classes[i];
  if (s->nclasses == 255) return NULL;
  s->classes = ms_xrealloc(s->classes, (s->nclasses + 1) * sizeof(ms_Class));
  ms_Class *c = &s->classes[s->nclasses++];
  memset(c, 0, sizeof *c);
  c->name = ms_xstrdup(name);
  c->usable = MS_SHARED_KEYS_MAX;          /* _PyDict_NewKeysForClass */
  return c;
}

/*
** An instance: PyType_GenericAlloc (tracked), then init_inline_values:
** the class's shared keys give up one usable slot per instance (down to
** 1) and the values array has nentries + usable slots.
*/
uint32_t ms_new_instance(ms_Sim *s, const char *cls) {
  ms_Class *c = class_find(s, cls ? cls : "C");
  if (c == NULL) return SIM_FAIL0(s, "too many classes (255)");
  uint32_t id = new_plain(s, MS_OBJECT, 0);
  if (id == 0) return 0;
  gc_track(s, id);
  uint32_t usable = c->usable > 1 ? c->usable - 1 : c->usable;
  uint32_t n = c->nentries + usable;
  uint64_t vals = mem_alloc(s, values_bytes(n));
  if (vals == 0) {
    s->nlive--;
    s->nlive_type[MS_OBJECT]--;
    gc_untrack(s, id);
    free_object(s, id);
    return 0;
  }
  c->usable = usable;
  ms_Object *o = O(s, id);
  o->cls = (uint8_t)(c - s->classes);
  o->aux = vals;
  o->cap = n;
  o->body = ms_xcalloc(1, sizeof(InstBody) + n * sizeof(uint32_t));
  return id;
}

uint32_t ms_new(ms_Sim *s, int type, int64_t arg) {
  uint32_t id = 0;
  if (arg < 0 && type != MS_INT)
    return SIM_FAIL0(s, "%s size must be >= 0, got %lld", ms_type_name(type), (long long)arg);
  if (arg > 0x7fffffff && type != MS_INT)
    return SIM_FAIL0(s, "%s size %lld is too large", ms_type_name(type), (long long)arg);
  switch (type) {
    case MS_NONE: O(s, ID_NONE)->refcnt++; return ID_NONE;
    case MS_INT: id = ms_new_int(s, arg); break;
    case MS_FLOAT: id = new_float(s); break;
    case MS_STR: case MS_BYTES: id = new_string(s, type, arg); break;
    case MS_TUPLE: id = new_tuple(s, (uint32_t)arg); break;
    case MS_LIST: id = new_list(s, (uint32_t)arg); break;
    case MS_DICT: id = new_dict(s); break;
    case MS_SET: id = new_set(s); break;
    case MS_OBJECT: id = ms_new_instance(s, "C"); break;
    case MS_GENERATOR: id = new_generator(s, arg > 0 ? (uint32_t)arg : 1); break;
    case MS_FUNCTION:
      id = new_plain(s, MS_FUNCTION, 0);
      if (id) gc_track(s, id);
      break;
    case MS_RANGE: case MS_ITERATOR: id = new_plain(s, type, 0); break;
    default: return SIM_FAIL0(s, "unknown type %d", type);
  }
  return id;
}

/* list_iter / tuple_iter: a GC object with a reference to its sequence */
uint32_t ms_new_iter(ms_Sim *s, uint32_t seq) {
  uint32_t id = new_plain(s, MS_SEQITER, 1);
  if (id == 0) return 0;
  uint32_t *body = ms_xmalloc(sizeof(uint32_t));
  body[0] = seq;
  O(s, id)->body = body;
  ms_incref(s, seq);
  gc_track(s, id);
  return id;
}

/* an exhausted iterator lets go of its sequence (it_seq = NULL) */
void ms_iter_exhaust(ms_Sim *s, uint32_t it) {
  ms_Object *o = O(s, it);
  assert(o->type == MS_SEQITER);
  uint32_t *body = o->body;
  uint32_t seq = body[0];
  body[0] = 0;
  obj_release(s, seq);
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
int64_t ms_obj_refcnt(const ms_Sim *s, uint32_t id) { return s->objs[id].refcnt; }
uint64_t ms_obj_address(const ms_Sim *s, uint32_t id) { return s->objs[id].addr; }
uint64_t ms_obj_uid(const ms_Sim *s, uint32_t id) { return s->objs[id].serial; }

/* ====================================================================
** list (Objects/listobject.c)
** ==================================================================== */

/*
** list_resize: over-allocate by about 1/8, rounded to 4; keep the array
** while allocated/2 <= newsize <= allocated.  The array moves through
** PyMem_Realloc, so pymalloc's in-place rule applies to it.
*/
static int list_resize(ms_Sim *s, uint32_t id, uint32_t newsize) {
  ms_Object *o = O(s, id);
  uint32_t allocated = o->cap;
  if (allocated >= newsize && newsize >= (allocated >> 1)) {
    o->len = newsize;
    return 0;
  }
  uint64_t na = ((uint64_t)newsize + (newsize >> 3) + 6) & ~(uint64_t)3;
  if ((int64_t)newsize - (int64_t)o->len > (int64_t)(na - newsize))
    na = ((uint64_t)newsize + 3) & ~(uint64_t)3;
  if (newsize == 0) na = 0;
  if (na > 0x7fffffff) return sim_error(s, "MemoryError: list of %u items", newsize);
  uint64_t items = mem_realloc(s, o->aux, 8 * (size_t)allocated, 8 * (size_t)na);
  if (items == 0) return -1;
  o = O(s, id);
  o->aux = items;
  o->body = ms_xrealloc(o->body, (na ? na : 1) * sizeof(uint32_t));
  o->cap = (uint32_t)na;
  o->len = newsize;
  return 0;
}

static int list_index(ms_Sim *s, ms_Object *o, int64_t *i) {
  if (*i < 0) *i += o->len;
  if (*i < 0 || *i >= o->len)
    return sim_error(s, "IndexError: %s index out of range (len %u)", types[o->type].name, o->len);
  return 0;
}

int ms_append(ms_Sim *s, uint32_t list, uint32_t value) {
  ms_Object *o = O(s, list);
  if (o->type != MS_LIST) return sim_error(s, "append needs a list, got %s", types[o->type].name);
  uint32_t n = o->len;
  if (list_resize(s, list, n + 1) < 0) return -1;
  ms_incref(s, value);
  ((uint32_t *)O(s, list)->body)[n] = value;
  return 0;
}

/* ====================================================================
** dict (Objects/dictobject.c)
** ==================================================================== */

/* calculate_log2_keysize: bit_length(((minsize | 8) - 1) | 7) */
static uint32_t log2_keysize(uint64_t minsize) {
  uint64_t v = ((minsize | 8) - 1) | 7;
  return 64u - (uint32_t)__builtin_clzll(v);
}

/* new_keys_object: the keys free list serves the smallest unicode size */
static uint64_t keys_alloc(ms_Sim *s, uint32_t log2, int unicode) {
  if (log2 == 3 && unicode && s->n_keys > 0) return s->fl_keys[--s->n_keys];
  return mem_alloc(s, keys_bytes(s->prof, log2, unicode));
}

static DictBody *dict_body_new(uint32_t log2) {
  DictBody *d = ms_xcalloc(1, sizeof *d);
  d->usable = usable_of(log2);
  d->entries = ms_xcalloc(2 * (size_t)d->usable, sizeof(uint32_t));
  d->index = index_new(1u << log2);
  return d;
}

static void dict_index_put(DictBody *d, uint32_t log2, uint32_t key, uint32_t e) {
  int found;
  uint32_t h = probe(d->index, (1u << log2) - 1, d->entries, 2, key, &found);
  assert(!found);
  d->index[h] = (int32_t)e;
}

/*
** dictresize: a new keys table of 2^log2 slots; live entries move over
** in order (deleted ones are dropped); the old table is freed after.
*/
static int dict_resize(ms_Sim *s, uint32_t id, uint32_t log2, int unicode) {
  ms_Object *o = O(s, id);
  uint64_t keys = keys_alloc(s, log2, unicode);
  if (keys == 0) return -1;
  o = O(s, id);
  DictBody *old = o->body, *d = dict_body_new(log2);
  uint32_t n = 0;
  if (old)
    for (uint32_t e = 0; e < old->nentries; e++) {
      if (old->entries[2 * e] == 0) continue;
      d->entries[2 * n] = old->entries[2 * e];
      d->entries[2 * n + 1] = old->entries[2 * e + 1];
      dict_index_put(d, log2, d->entries[2 * n], n);
      n++;
    }
  d->nentries = n;
  d->usable -= n;
  keys_free(s, o->aux, o->cap, (o->flags & OF_UNICODE) != 0);
  dict_body_free(old);
  o->body = d;
  o->aux = keys;
  o->cap = log2;
  if (unicode) o->flags |= OF_UNICODE;
  else o->flags &= (uint8_t)~OF_UNICODE;
  return 0;
}

static int dict_lookup(ms_Sim *s, ms_Object *o, uint32_t key, uint32_t *slot) {
  (void)s;
  DictBody *d = o->body;
  if (d == NULL || o->cap == 0) return -1;
  int found;
  uint32_t h = probe(d->index, (1u << o->cap) - 1, d->entries, 2, key, &found);
  if (slot) *slot = h;
  return found ? d->index[h] : -1;
}

/* insertdict (and insert_to_emptydict) */
static int dict_set(ms_Sim *s, uint32_t id, uint32_t key, uint32_t value) {
  ms_Object *o = O(s, id);
  int key_str = O(s, key)->type == MS_STR;
  if (o->cap == 0) {                       /* insert_to_emptydict */
    if (dict_resize(s, id, 3, key_str) < 0) return -1;
  } else if ((o->flags & OF_UNICODE) && !key_str) {
    if (dict_resize(s, id, log2_keysize(3 * (uint64_t)O(s, id)->len), 0) < 0) return -1;
  }
  o = O(s, id);
  int e = dict_lookup(s, o, key, NULL);
  /* MAINTAIN_TRACKING */
  if (!(o->flags & OF_TRACKED) && (obj_may_be_tracked(s, key) || obj_may_be_tracked(s, value)))
    gc_track(s, id);
  if (e >= 0) {                            /* replace the value */
    DictBody *d = o->body;
    uint32_t old = d->entries[2 * e + 1];
    ms_incref(s, value);
    d->entries[2 * e + 1] = value;
    obj_release(s, old);
    return 0;
  }
  if (((DictBody *)o->body)->usable == 0) {
    if (dict_resize(s, id, log2_keysize(3 * (uint64_t)o->len), (o->flags & OF_UNICODE) != 0) < 0)
      return -1;
    o = O(s, id);
  }
  DictBody *d = o->body;
  uint32_t slot;
  dict_lookup(s, o, key, &slot);
  d->index[slot] = (int32_t)d->nentries;
  d->entries[2 * d->nentries] = key;
  d->entries[2 * d->nentries + 1] = value;
  d->nentries++;
  d->usable--;
  o->len++;
  ms_incref(s, key);
  ms_incref(s, value);
  return 0;
}

/* delitem_common: the entry becomes a dummy; key, then value, dropped */
static int dict_del(ms_Sim *s, uint32_t id, uint32_t key) {
  ms_Object *o = O(s, id);
  uint32_t slot;
  int e = dict_lookup(s, o, key, &slot);
  if (e < 0) return sim_error(s, "KeyError: key not in dict");
  DictBody *d = o->body;
  uint32_t k = d->entries[2 * e], v = d->entries[2 * e + 1];
  d->entries[2 * e] = d->entries[2 * e + 1] = 0;
  d->index[slot] = -2;
  o->len--;
  obj_release(s, k);
  obj_release(s, v);
  return 0;
}

/* PyDict_Clear: the empty keys again; entries dropped, table freed */
static void dict_clear(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  if (o->cap == 0) return;
  DictBody *d = o->body;
  uint64_t keys = o->aux;
  uint32_t log2 = o->cap;
  int unicode = (o->flags & OF_UNICODE) != 0;
  o->body = NULL;
  o->aux = 0;
  o->cap = 0;
  o->len = 0;
  o->flags &= (uint8_t)~OF_UNICODE;
  for (uint32_t i = 0; i < 2 * d->nentries; i++) obj_release(s, d->entries[i]);
  keys_free(s, keys, log2, unicode);
  dict_body_free(d);
}

/* ====================================================================
** set (Objects/setobject.c)
** ==================================================================== */

static void set_index_rebuild(SetBody *b, uint32_t cap) {
  ms_xfree(b->index);
  b->index = index_new(cap);
  for (uint32_t i = 0; i < b->nkeys; i++) {
    int found;
    uint32_t h = probe(b->index, cap - 1, b->keys, 1, b->keys[i], &found);
    b->index[h] = (int32_t)i;
  }
}

/* set_table_resize: the smallest power of 2 above minused, from 8 */
static int set_resize(ms_Sim *s, uint32_t id, uint64_t minused) {
  const ms_Profile *p = s->prof;
  uint64_t newsize = p->set_minsize;
  while (newsize <= minused) newsize <<= 1;
  if (newsize > 0x40000000) return sim_error(s, "MemoryError: set too large");
  ms_Object *o = O(s, id);
  uint64_t table = 0;
  if (newsize > p->set_minsize) {
    table = mem_alloc(s, 16 * (size_t)newsize);
    if (table == 0) return -1;
    o = O(s, id);
  }
  if (o->cap > p->set_minsize) mem_free(s, o->aux, 16 * (size_t)o->cap);
  o->aux = table;
  o->cap = (uint32_t)newsize;
  SetBody *b = o->body;
  uint32_t n = 0;                          /* dummies do not move over */
  for (uint32_t i = 0; i < b->nkeys; i++)
    if (b->keys[i]) b->keys[n++] = b->keys[i];
  b->nkeys = n;
  b->fill = n;
  set_index_rebuild(b, o->cap);
  return 0;
}

int ms_set_add(ms_Sim *s, uint32_t id, uint32_t key) {
  ms_Object *o = O(s, id);
  if (o->type != MS_SET) return sim_error(s, "add needs a set, got %s", types[o->type].name);
  SetBody *b = o->body;
  int found;
  uint32_t h = probe(b->index, o->cap - 1, b->keys, 1, key, &found);
  if (found) return 0;
  int reuse_dummy = b->index[h] == -2;
  if (b->nkeys == b->capkeys) {
    b->capkeys = b->capkeys ? 2 * b->capkeys : 8;
    b->keys = ms_xrealloc(b->keys, b->capkeys * sizeof(uint32_t));
  }
  b->keys[b->nkeys] = key;
  b->index[h] = (int32_t)b->nkeys++;
  if (!reuse_dummy) b->fill++;
  o->len++;
  ms_incref(s, key);
  /* set_add_entry: resize when fill*5 >= mask*3 */
  if ((uint64_t)b->fill * 5 >= (uint64_t)(o->cap - 1) * 3) {
    uint64_t used = o->len;
    if (set_resize(s, id, used > 50000 ? used * 2 : used * 4) < 0) {
      /* keep the set consistent: the key stays, the table did not grow */
      return -1;
    }
  }
  return 0;
}

static int set_discard(ms_Sim *s, uint32_t id, uint32_t key) {
  ms_Object *o = O(s, id);
  SetBody *b = o->body;
  int found;
  uint32_t h = probe(b->index, o->cap - 1, b->keys, 1, key, &found);
  if (!found) return sim_error(s, "KeyError: key not in set");
  b->keys[b->index[h]] = 0;
  b->index[h] = -2;
  o->len--;
  obj_release(s, key);
  return 0;
}

/* set_clear_internal: back to the small table; keys dropped, table freed */
static void set_clear(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  SetBody *b = o->body;
  uint32_t *keys = b->keys, nkeys = b->nkeys;
  uint64_t table = o->aux;
  uint32_t cap = o->cap;
  b->keys = NULL;
  b->nkeys = b->capkeys = b->fill = 0;
  o->len = 0;
  o->aux = 0;
  o->cap = s->prof->set_minsize;
  set_index_rebuild(b, o->cap);
  for (uint32_t i = 0; i < nkeys; i++) obj_release(s, keys[i]);
  if (cap > s->prof->set_minsize) mem_free(s, table, 16 * (size_t)cap);
  ms_xfree(keys);
}

/* ====================================================================
** Items: setitem, getitem, delitem, len
** ==================================================================== */

int ms_setitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key, uint32_t value) {
  ms_Object *o = O(s, c);
  switch (o->type) {
    case MS_LIST:
    case MS_TUPLE:
    case MS_GENERATOR: {
      if (list_index(s, o, &index) < 0) return -1;
      uint32_t *items = o->body;
      uint32_t old = items[index];
      ms_incref(s, value);
      items[index] = value;
      obj_release(s, old);
      return 0;
    }
    case MS_DICT:
      return dict_set(s, c, key, value);
    default:
      return sim_error(s, "TypeError: '%s' object does not support item assignment",
                       types[o->type].name);
  }
}

int ms_getitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key, uint32_t *out) {
  ms_Object *o = O(s, c);
  uint32_t v;
  switch (o->type) {
    case MS_LIST:
    case MS_TUPLE:
    case MS_GENERATOR:
      if (list_index(s, o, &index) < 0) return -1;
      v = ((uint32_t *)o->body)[index];
      if (v == 0) return sim_error(s, "%s slot %lld is empty", types[o->type].name, (long long)index);
      break;
    case MS_DICT: {
      int e = dict_lookup(s, o, key, NULL);
      if (e < 0) return sim_error(s, "KeyError: key not in dict");
      v = ((DictBody *)o->body)->entries[2 * e + 1];
      break;
    }
    default:
      return sim_error(s, "TypeError: '%s' object is not subscriptable", types[o->type].name);
  }
  ms_incref(s, v);
  *out = v;
  return 0;
}

/* list_ass_slice deleting one item: shift, resize, then drop it */
static int list_del(ms_Sim *s, uint32_t id, int64_t index) {
  ms_Object *o = O(s, id);
  if (list_index(s, o, &index) < 0) return -1;
  uint32_t *items = o->body;
  uint32_t old = items[index], n = o->len;
  uint32_t saved_len = o->len;
  memmove(&items[index], &items[index + 1], (n - 1 - (uint32_t)index) * sizeof(uint32_t));
  if (list_resize(s, id, n - 1) < 0) {     /* undo the shift */
    o = O(s, id);
    items = o->body;
    memmove(&items[index + 1], &items[index], (n - 1 - (uint32_t)index) * sizeof(uint32_t));
    items[index] = old;
    o->len = saved_len;
    return -1;
  }
  obj_release(s, old);
  return 0;
}

int ms_delitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key) {
  ms_Object *o = O(s, c);
  switch (o->type) {
    case MS_LIST: return list_del(s, c, index);
    case MS_GENERATOR: {                   /* a frame slot cleared */
      if (list_index(s, o, &index) < 0) return -1;
      uint32_t *items = o->body, old = items[index];
      items[index] = 0;
      obj_release(s, old);
      return 0;
    }
    case MS_DICT: return dict_del(s, c, key);
    case MS_SET: return set_discard(s, c, key);
    default:
      return sim_error(s, "TypeError: '%s' object doesn't support item deletion", types[o->type].name);
  }
}

int64_t ms_len(ms_Sim *s, uint32_t c) {
  ms_Object *o = O(s, c);
  switch (o->type) {
    case MS_STR: case MS_BYTES: case MS_TUPLE: case MS_LIST: case MS_DICT: case MS_SET:
      return o->len;
    default:
      return sim_error(s, "TypeError: object of type '%s' has no len()", types[o->type].name);
  }
}

/* ====================================================================
** Attributes (3.11 managed dicts: values array, or a real __dict__)
** ==================================================================== */

static uint32_t intern_name(ms_Sim *s, const char *text) {
  for (uint32_t i = 0; i < s->nnames; i++)
    if (strcmp(s->names[i].text, text) == 0) return s->names[i].id;
  if (s->nnames == s->capnames) {
    s->capnames = s->capnames ? 2 * s->capnames : 16;
    s->names = ms_xrealloc(s->names, s->capnames * sizeof(ms_Name));
  }
  uint32_t id = static_new(s, MS_STR, (uint32_t)strlen(text));
  s->names[s->nnames].text = ms_xstrdup(text);
  s->names[s->nnames].id = id;
  s->nnames++;
  return id;
}

static int class_index_of(ms_Class *c, uint32_t name) {
  for (uint32_t i = 0; i < c->nentries; i++)
    if (c->names[i] == name) return (int)i;
  return -1;
}

/*
** make_dict_from_instance_attributes, then the insertion that needed it:
** the dict object, a combined table sized from used * 3, the values
** array freed.
*/
static int materialize_dict(ms_Sim *s, uint32_t obj) {
  uint32_t d = new_dict(s);
  if (d == 0) return -1;
  ms_Object *o = O(s, obj);
  ms_Class *c = &s->classes[o->cls];
  InstBody *b = o->body;
  uint32_t used = 0;
  for (uint32_t i = 0; i < o->cap; i++) used += b->vals[i] != 0;
  if (dict_resize(s, d, log2_keysize(3 * (uint64_t)used), 1) < 0) {
    obj_release(s, d);
    return -1;
  }
  o = O(s, obj);
  b = o->body;
  for (uint32_t i = 0; i < o->cap && i < c->nentries; i++) {
    uint32_t v = b->vals[i];
    if (v == 0) continue;
    dict_set(s, d, c->names[i], v);        /* fits: no allocation */
    obj_release(s, v);                     /* the dict holds it now */
    b->vals[i] = 0;
  }
  mem_free(s, o->aux, values_bytes(o->cap));
  o->aux = 0;
  b->dict = d;
  return 0;
}

int ms_setattr(ms_Sim *s, uint32_t obj, const char *name, uint32_t value) {
  ms_Object *o = O(s, obj);
  if (o->type != MS_OBJECT)
    return sim_error(s, "AttributeError: '%s' object has no settable attributes", types[o->type].name);
  uint32_t nm = intern_name(s, name);
  o = O(s, obj);
  InstBody *b = o->body;
  if (b->dict == 0) {
    ms_Class *c = &s->classes[o->cls];
    int ix = class_index_of(c, nm);
    if (ix < 0 && c->usable > 0 && c->nentries < MS_SHARED_KEYS_MAX) {
      ix = (int)c->nentries;               /* insert_into_dictkeys */
      c->names[c->nentries++] = nm;
      c->usable--;
    }
    if (ix >= 0 && (uint32_t)ix < o->cap) {
      uint32_t old = b->vals[ix];
      ms_incref(s, value);
      b->vals[ix] = value;
      obj_release(s, old);
      return 0;
    }
    if (materialize_dict(s, obj) < 0) return -1;
    b = O(s, obj)->body;
  }
  return dict_set(s, b->dict, nm, value);
}

int ms_getattr(ms_Sim *s, uint32_t obj, const char *name, uint32_t *out) {
  ms_Object *o = O(s, obj);
  if (o->type != MS_OBJECT)
    return sim_error(s, "AttributeError: '%s' object has no attribute '%s'", types[o->type].name, name);
  uint32_t nm = intern_name(s, name);
  o = O(s, obj);
  InstBody *b = o->body;
  if (b->dict) {
    if (ms_getitem(s, b->dict, 0, nm, out) < 0)
      return sim_error(s, "AttributeError: object has no attribute '%s'", name);
    return 0;
  }
  int ix = class_index_of(&s->classes[o->cls], nm);
  if (ix < 0 || (uint32_t)ix >= o->cap || b->vals[ix] == 0)
    return sim_error(s, "AttributeError: object has no attribute '%s'", name);
  ms_incref(s, b->vals[ix]);
  *out = b->vals[ix];
  return 0;
}

int ms_delattr(ms_Sim *s, uint32_t obj, const char *name) {
  ms_Object *o = O(s, obj);
  if (o->type != MS_OBJECT)
    return sim_error(s, "AttributeError: '%s' object has no attribute '%s'", types[o->type].name, name);
  uint32_t nm = intern_name(s, name);
  o = O(s, obj);
  InstBody *b = o->body;
  if (b->dict) {
    if (dict_lookup(s, O(s, b->dict), nm, NULL) < 0)
      return sim_error(s, "AttributeError: object has no attribute '%s'", name);
    return dict_del(s, b->dict, nm);
  }
  int ix = class_index_of(&s->classes[o->cls], nm);
  if (ix < 0 || (uint32_t)ix >= o->cap || b->vals[ix] == 0)
    return sim_error(s, "AttributeError: object has no attribute '%s'", name);
  uint32_t old = b->vals[ix];
  b->vals[ix] = 0;
  obj_release(s, old);
  return 0;
}

/* ====================================================================
** sys.getsizeof
** ==================================================================== */

int64_t ms_getsizeof(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  const ms_Profile *p = s->prof;
  switch (o->type) {
    case MS_NONE: return 16;
    case MS_INT: return p->int_base + 4 * (int64_t)o->len;
    case MS_FLOAT: return p->float_size;
    case MS_STR: return p->str_ascii_base + o->len + 1;
    case MS_BYTES: return p->bytes_base + o->len + 1;
    case MS_LIST: return (int64_t)obj_request(s, o) + 8 * (int64_t)o->cap;
    case MS_DICT: return (int64_t)(obj_request(s, o) + obj_aux_request(s, o));
    case MS_SET:
      return (int64_t)obj_request(s, o) + (o->cap > p->set_minsize ? 16 * (int64_t)o->cap : 0);
    default: return (int64_t)obj_request(s, o);
  }
}

/* ====================================================================
** For the collector: traverse, clear, untrack
** ==================================================================== */

uint32_t obj_traverse(ms_Sim *s, uint32_t id, VisitFn visit, void *ud) {
  ms_Object *o = O(s, id);
  uint32_t edges = 0;
  switch (o->type) {
    case MS_LIST:
    case MS_TUPLE:
    case MS_SEQITER:
    case MS_GENERATOR: {
      uint32_t *items = o->body;
      for (uint32_t i = 0; i < o->len; i++)
        if (items[i]) { visit(s, items[i], ud); edges++; }
      break;
    }
    case MS_DICT: {
      DictBody *d = o->body;
      if (d == NULL) break;
      int unicode = (o->flags & OF_UNICODE) != 0;
      for (uint32_t e = 0; e < d->nentries; e++) {
        if (d->entries[2 * e] == 0) continue;
        visit(s, d->entries[2 * e + 1], ud);
        edges++;
        if (!unicode) { visit(s, d->entries[2 * e], ud); edges++; }
      }
      break;
    }
    case MS_SET: {
      SetBody *b = o->body;
      for (uint32_t i = 0; i < b->nkeys; i++)
        if (b->keys[i]) { visit(s, b->keys[i], ud); edges++; }
      break;
    }
    case MS_OBJECT: {
      InstBody *b = o->body;
      if (b->dict) { visit(s, b->dict, ud); edges++; break; }
      for (uint32_t i = 0; i < o->cap; i++)
        if (b->vals[i]) { visit(s, b->vals[i], ud); edges++; }
      break;
    }
    default:
      break;
  }
  return edges;
}

int obj_has_clear(const ms_Object *o) {
  return o->type == MS_LIST || o->type == MS_DICT || o->type == MS_SET ||
         o->type == MS_OBJECT || o->type == MS_FUNCTION;
}

/* tp_clear: drop every reference the object holds */
void obj_clear(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  switch (o->type) {
    case MS_LIST: {                        /* list_clear */
      uint32_t *items = o->body, n = o->len;
      uint64_t aux = o->aux;
      size_t bytes = 8 * (size_t)o->cap;
      o->body = NULL;
      o->aux = 0;
      o->len = o->cap = 0;
      while (n-- > 0) obj_release(s, items[n]);
      mem_free(s, aux, bytes);
      ms_xfree(items);
      break;
    }
    case MS_DICT: dict_clear(s, id); break;
    case MS_SET: set_clear(s, id); break;
    case MS_OBJECT: {                      /* subtype_clear */
      InstBody *b = o->body;
      if (b->dict) {
        uint32_t d = b->dict;
        b->dict = 0;
        obj_release(s, d);
        break;
      }
      for (uint32_t i = 0; i < O(s, id)->cap; i++) {
        b = O(s, id)->body;
        uint32_t v = b->vals[i];
        b->vals[i] = 0;
        obj_release(s, v);
      }
      break;
    }
    default:
      break;
  }
}

/* _PyTuple_MaybeUntrack */
void obj_maybe_untrack_tuple(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  uint32_t *items = o->body;
  for (uint32_t i = 0; i < o->len; i++)
    if (items[i] == 0 || obj_may_be_tracked(s, items[i])) return;
  gc_untrack(s, id);
}

/* _PyDict_MaybeUntrack */
void obj_maybe_untrack_dict(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  DictBody *d = o->body;
  if (!(o->flags & OF_TRACKED)) return;
  if (d)
    for (uint32_t e = 0; e < d->nentries; e++) {
      if (d->entries[2 * e] == 0) continue;
      if (obj_may_be_tracked(s, d->entries[2 * e + 1])) return;
      if (!(o->flags & OF_UNICODE) && obj_may_be_tracked(s, d->entries[2 * e])) return;
    }
  gc_untrack(s, id);
}

/* ====================================================================
** Free lists
** ==================================================================== */

static void drop_parked(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  s->nfreelist--;
  if (o->type == MS_TUPLE) ms_xfree(o->body);
  free_object(s, id);
}

/* clear_freelists: tuples, floats, lists, dicts, then keys, LIFO each */
void freelists_clear(ms_Sim *s) {
  for (uint32_t k = 0; k < 20; k++)
    while (s->n_tuple[k] > 0) drop_parked(s, s->fl_tuple[k][--s->n_tuple[k]]);
  while (s->n_float > 0) drop_parked(s, s->fl_float[--s->n_float]);
  while (s->n_list > 0) drop_parked(s, s->fl_list[--s->n_list]);
  while (s->n_dict > 0) drop_parked(s, s->fl_dict[--s->n_dict]);
  while (s->n_keys > 0) mem_free(s, s->fl_keys[--s->n_keys], keys_bytes(s->prof, 3, 1));
}
