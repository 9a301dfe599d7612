/*
** tupleobject.c: tuple (Objects/tupleobject.c): free lists by size and
** _PyTuple_MaybeUntrack.
*/
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

/* _PyTuple_MaybeUntrack */
void obj_maybe_untrack_tuple(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  uint32_t *items = o->body;
  for (uint32_t i = 0; i < o->len; i++)
    if (items[i] == 0 || obj_may_be_tracked(s, items[i])) return;
  gc_untrack(s, id);
}
