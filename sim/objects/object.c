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
uint32_t probe(const int32_t *index, uint32_t m, const uint32_t *keys,
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
void free_object(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  mem_free(s, o->addr, obj_request(s, o));
  if (types[o->type].gc) gc_on_free(s);
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

uint32_t new_plain(ms_Sim *s, int type, uint32_t len) {
  ms_Object tmp = {.type = (uint8_t)type, .len = len};
  uint64_t addr = object_memory(s, type, obj_request(s, &tmp));
  if (addr == 0) return 0;
  uint32_t id = record_new(s, type, addr);
  O(s, id)->len = len;
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
                       ms_type_name(o->type));
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
      if (v == 0) return sim_error(s, "%s slot %lld is empty", ms_type_name(o->type), (long long)index);
      break;
    case MS_DICT: {
      int e = dict_lookup(s, o, key, NULL);
      if (e < 0) return sim_error(s, "KeyError: key not in dict");
      v = ((DictBody *)o->body)->entries[2 * e + 1];
      break;
    }
    default:
      return sim_error(s, "TypeError: '%s' object is not subscriptable", ms_type_name(o->type));
  }
  ms_incref(s, v);
  *out = v;
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
      return sim_error(s, "TypeError: '%s' object doesn't support item deletion", ms_type_name(o->type));
  }
}

int64_t ms_len(ms_Sim *s, uint32_t c) {
  ms_Object *o = O(s, c);
  switch (o->type) {
    case MS_STR: case MS_BYTES: case MS_TUPLE: case MS_LIST: case MS_DICT: case MS_SET:
      return o->len;
    default:
      return sim_error(s, "TypeError: object of type '%s' has no len()", ms_type_name(o->type));
  }
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

