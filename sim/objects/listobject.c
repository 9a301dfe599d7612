/*
** listobject.c: list (Objects/listobject.c): PyList_New, list_resize's
** growth pattern, append and deletion, and the list iterator.
*/
#include <assert.h>
#include <string.h>

#include "objimpl.h"

/* PyList_New(n): the object, then n slots from PyMem_Calloc */
uint32_t new_list(ms_Sim *s, uint32_t n) {
  uint32_t id = unpark(s, s->fl_list, &s->n_list);
  int revived = id != 0;
  if (!revived) {
    id = new_plain(s, MS_LIST, 0);
    if (id == 0) return 0;
  }
  if (n > 0) {
    uint64_t items = mem_alloc_for(s, "list items", 8 * (size_t)n);
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
  uint64_t items = mem_realloc_for(s, "list items", o->aux, 8 * (size_t)allocated, 8 * (size_t)na);
  if (items == 0) return -1;
  o = O(s, id);
  o->aux = items;
  o->body = ms_xrealloc(o->body, (na ? na : 1) * sizeof(uint32_t));
  o->cap = (uint32_t)na;
  o->len = newsize;
  return 0;
}

int list_index(ms_Sim *s, ms_Object *o, int64_t *i) {
  if (*i < 0) *i += o->len;
  if (*i < 0 || *i >= o->len)
    return sim_error(s, "IndexError: %s index out of range (len %u)", ms_type_name(o->type), o->len);
  return 0;
}

int ms_append(ms_Sim *s, uint32_t list, uint32_t value) {
  ms_Object *o = O(s, list);
  if (o->type != MS_LIST) return sim_error(s, "append needs a list, got %s", ms_type_name(o->type));
  uint32_t n = o->len;
  if (list_resize(s, list, n + 1) < 0) return -1;
  ms_incref(s, value);
  ((uint32_t *)O(s, list)->body)[n] = value;
  return 0;
}

/* list_ass_slice deleting one item: shift, resize, then drop it */
int list_del(ms_Sim *s, uint32_t id, int64_t index) {
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

/* ====================================================================
** The types: list and its iterator
** ==================================================================== */

static uint32_t list_new(ms_Sim *s, int64_t n) { return new_list(s, (uint32_t)n); }

static size_t list_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)o;
  return p->gc_head + p->list_size;
}

static size_t list_auxsize(const ms_Profile *p, const ms_Object *o) {
  (void)p;
  return 8 * (size_t)o->cap;
}

/* list___sizeof__: the object and the allocated slots */
static int64_t list_sizeof(const ms_Profile *p, const ms_Object *o) {
  return (int64_t)list_basicsize(p, o) + 8 * (int64_t)o->cap;
}

/* list_dealloc: the item array, then the free list or the allocator */
static int list_dealloc(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  mem_free_for(s, "list items", o->aux, obj_aux_request(s, o));
  ms_xfree(o->body);
  o->body = NULL;
  o->aux = 0;
  o->len = o->cap = 0;
  return park(s, id, &s->fl_list, &s->n_list, s->prof->list_freelist);
}

/* list_clear (the collector's tp_clear): items dropped last to first */
static void list_clear(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  uint32_t *items = o->body, n = o->len;
  uint64_t aux = o->aux;
  size_t bytes = 8 * (size_t)o->cap;
  o->body = NULL;
  o->aux = 0;
  o->len = o->cap = 0;
  while (n-- > 0) obj_release(s, items[n]);
  mem_free_for(s, "list items", aux, bytes);
  ms_xfree(items);
}

static int list_delitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key) {
  (void)key;
  return list_del(s, c, index);
}

const ms_TypeObject ms_list_type = {
  .tp_name = "list", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_TRASHCAN | TPF_ITEMS | TPF_LEN,
  .tp_new = list_new, .tp_basicsize = list_basicsize, .tp_auxsize = list_auxsize,
  .tp_sizeof = list_sizeof, .tp_dealloc_next = items_dealloc_backward, .tp_dealloc = list_dealloc,
  .tp_traverse = items_traverse, .tp_clear = list_clear,
  .tp_getitem = items_getitem, .tp_setitem = items_setitem, .tp_delitem = list_delitem,
};

static size_t listiter_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)o;
  return p->gc_head + 32;
}

/* made by ms_new_iter from its sequence, never by name */
const ms_TypeObject ms_listiter_type = {
  .tp_name = "list_iterator", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_ITEMS,
  .tp_basicsize = listiter_basicsize, .tp_dealloc_next = items_dealloc_forward,
  .tp_dealloc = items_free_body, .tp_traverse = items_traverse,
};
