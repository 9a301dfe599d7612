/*
** tupleobject.c: tuple (Objects/tupleobject.c): free lists by size and
** _PyTuple_MaybeUntrack.
*/
#include <string.h>

#include "objimpl.h"

/* tuple_alloc: sizes 1 .. popmax-1 come from the free list */
uint32_t new_tuple(ms_Sim *s, uint32_t n) {
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

uint32_t args_tuple(ms_Sim *s, uint32_t arg) {
  uint32_t id = new_tuple(s, 1);
  if (id == 0) return 0;
  ms_incref(s, arg);
  ((uint32_t *)O(s, id)->body)[0] = arg;   /* a new tuple's items are empty */
  return id;
}

/* _PyTuple_MaybeUntrack */
void obj_maybe_untrack_tuple(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  uint32_t *items = o->body;
  for (uint32_t i = 0; i < o->len; i++)
    if (items[i] == 0 || obj_may_be_tracked(s, items[i])) return;
  gc_untrack(s, id);
}

/* ====================================================================
** The type
** ==================================================================== */

static uint32_t tuple_new(ms_Sim *s, int64_t n) { return new_tuple(s, (uint32_t)n); }

static size_t tuple_basicsize(const ms_Profile *p, const ms_Object *o) {
  return p->gc_head + p->tuple_base + 8 * (size_t)o->len;
}

/* tupledealloc: sizes 1 .. nfreelists go to their free list, emptied */
static int tuple_dealloc(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  const ms_Profile *p = s->prof;
  uint32_t n = o->len;
  if (n > 0 && n <= p->tuple_nfreelists &&
      park(s, id, &s->fl_tuple[n - 1], &s->n_tuple[n - 1], p->tuple_freelist)) {
    memset(o->body, 0, n * sizeof(uint32_t));
    return 1;
  }
  return items_free_body(s, id);
}

/*
** PyTuple_SetItem: C code fills a tuple it has just made, while it holds
** the only reference; once the tuple is handed out (a second reference:
** a container, a key, another variable) it is immutable, and Python's
** answer is the TypeError.
*/
static int tuple_setitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key, uint32_t value) {
  if (O(s, c)->refcnt != 1)
    return sim_error(s, "TypeError: 'tuple' object does not support item assignment (a tuple is "
                        "filled only while its maker holds the one reference; this one has %lld)",
                     (long long)O(s, c)->refcnt);
  return items_setitem(s, c, index, key, value);
}

const ms_TypeObject ms_tuple_type = {
  .tp_name = "tuple", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_TRASHCAN | TPF_ITEMS | TPF_LEN,
  .tp_new = tuple_new, .tp_basicsize = tuple_basicsize,
  .tp_dealloc_next = items_dealloc_backward, .tp_dealloc = tuple_dealloc,
  .tp_traverse = items_traverse, .tp_untrack_scan = obj_maybe_untrack_tuple,
  .tp_getitem = items_getitem, .tp_setitem = tuple_setitem,
};
