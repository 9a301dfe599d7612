/*
** setobject.c: set (Objects/setobject.c): the small table inside the
** object, the table's growth, discard and clear.
*/
#include <string.h>

#include "objimpl.h"

uint32_t new_set(ms_Sim *s) {
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
    table = mem_alloc_for(s, "set table", 16 * (size_t)newsize);
    if (table == 0) return -1;
    o = O(s, id);
  }
  if (o->cap > p->set_minsize) mem_free_for(s, "set table", o->aux, 16 * (size_t)o->cap);
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
  if (o->type != MS_SET) return sim_error(s, "add needs a set, got %s", ms_type_name(o->type));
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

int set_discard(ms_Sim *s, uint32_t id, uint32_t key) {
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
void set_clear(ms_Sim *s, uint32_t id) {
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
  if (cap > s->prof->set_minsize) mem_free_for(s, "set table", table, 16 * (size_t)cap);
  ms_xfree(keys);
}

/* ====================================================================
** The type
** ==================================================================== */

static uint32_t set_new(ms_Sim *s, int64_t arg) {
  (void)arg;
  return new_set(s);
}

/* PySetObject with its small table of PySet_MINSIZE entries inside */
static size_t set_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)o;
  return p->gc_head + p->set_size;
}

static size_t set_auxsize(const ms_Profile *p, const ms_Object *o) {
  (void)p;
  return 16 * (size_t)o->cap;
}

/* set_sizeof: the object, and a table of its own once it outgrew the small one */
static int64_t set_sizeof(const ms_Profile *p, const ms_Object *o) {
  return (int64_t)set_basicsize(p, o) + (o->cap > p->set_minsize ? 16 * (int64_t)o->cap : 0);
}

static uint32_t set_dealloc_next(ms_Object *o, uint32_t *pos) {
  SetBody *b = o->body;
  while (*pos < b->nkeys) {
    uint32_t c = b->keys[(*pos)++];
    if (c) return c;
  }
  return 0;
}

/* set_dealloc: a table of its own is freed; the small one is the object's */
static int set_dealloc(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  SetBody *b = o->body;
  if (o->cap > s->prof->set_minsize) mem_free_for(s, "set table", o->aux, 16 * (size_t)o->cap);
  ms_xfree(b->keys);
  ms_xfree(b->index);
  ms_xfree(b);
  o->body = NULL;
  return 0;
}

static uint32_t set_traverse(ms_Sim *s, uint32_t id, VisitFn visit, void *ud) {
  SetBody *b = O(s, id)->body;
  uint32_t edges = 0;
  for (uint32_t i = 0; i < b->nkeys; i++)
    if (b->keys[i]) {
      visit(s, b->keys[i], ud);
      edges++;
    }
  return edges;
}

static int set_delitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key) {
  (void)index;
  return set_discard(s, c, key);
}

const ms_TypeObject ms_set_type = {
  .tp_name = "set", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_TRASHCAN | TPF_LEN,
  .tp_new = set_new, .tp_basicsize = set_basicsize, .tp_auxsize = set_auxsize,
  .tp_sizeof = set_sizeof, .tp_dealloc_next = set_dealloc_next, .tp_dealloc = set_dealloc,
  .tp_traverse = set_traverse, .tp_clear = set_clear, .tp_delitem = set_delitem,
};
