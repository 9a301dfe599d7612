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
  if (obj_check_hashable(s, key) < 0) return -1;
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
  if (obj_check_hashable(s, key) < 0) return -1;
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
** The set methods: each allocates and frees what CPython 3.11's does
** ==================================================================== */

/* the live keys of a set, in memsim's table order (a host copy) */
static uint32_t *set_keys(ms_Sim *s, uint32_t id, uint32_t *n) {
  SetBody *b = O(s, id)->body;
  uint32_t *k = ms_xmalloc((b->nkeys ? b->nkeys : 1) * sizeof(uint32_t));
  *n = 0;
  for (uint32_t i = 0; i < b->nkeys; i++)
    if (b->keys[i]) k[(*n)++] = b->keys[i];
  return k;
}

static int set_contains(ms_Sim *s, uint32_t id, uint32_t key) {
  ms_Object *o = O(s, id);
  SetBody *b = o->body;
  int found;
  probe(b->index, o->cap - 1, b->keys, 1, key, &found);
  return found;
}

/*
** set_merge: one resize up front when the keys to come would fill the
** table past 3/5, then the other set's keys added (the fast paths of an
** empty target copy entries; what they allocate is the same).
*/
static int set_merge(ms_Sim *s, uint32_t id, uint32_t other) {
  ms_Object *ob = O(s, other);
  if (other == id || ob->len == 0) return 0;
  ms_Object *o = O(s, id);
  SetBody *b = o->body;
  if (((uint64_t)b->fill + ob->len) * 5 >= (uint64_t)(o->cap - 1) * 3)
    if (set_resize(s, id, ((uint64_t)o->len + ob->len) * 2) < 0) return -1;
  uint32_t n, *keys = set_keys(s, other, &n);
  int rc = 0;
  for (uint32_t i = 0; i < n && rc == 0; i++) rc = ms_set_add(s, id, keys[i]);
  ms_xfree(keys);
  return rc;
}

/*
** set_update_internal: a set is merged; a list or tuple is iterated (an
** iterator object made and dropped) and each item added.
*/
static int set_update_internal(ms_Sim *s, uint32_t id, uint32_t other) {
  int t = O(s, other)->type;
  if (t == MS_SET) return set_merge(s, id, other);
  if (t != MS_LIST && t != MS_TUPLE)
    return sim_error(s, "TypeError: update takes a set, a list or a tuple here, not %s", ms_type_name(t));
  uint32_t it = ms_new_iter(s, other);
  if (it == 0) return -1;
  int rc = 0;
  for (uint32_t i = 0; rc == 0 && i < O(s, other)->len; i++) {
    uint32_t k = ((uint32_t *)O(s, other)->body)[i];
    if (k == 0) {
      rc = sim_error(s, "TypeError: update: item %u of the tuple is not set (fill it with setitem first)", i);
      break;
    }
    rc = ms_set_add(s, id, k);
  }
  ms_iter_exhaust(s, it);
  obj_release(s, it);
  return rc;
}

/* s.update(x): a METH_VARARGS method, so its argument comes in a 1-tuple */
int ms_set_update(ms_Sim *s, uint32_t id, uint32_t other) {
  if (need_type(s, id, MS_SET, "update") < 0) return -1;
  uint32_t args = args_tuple(s, other);
  if (args == 0) return -1;
  int rc = set_update_internal(s, id, other);
  obj_release(s, args);
  return rc;
}

/* set(x), s.copy(): make_new_set, then set_update_internal */
uint32_t ms_set_from(ms_Sim *s, uint32_t other) {
  uint32_t id = new_set(s);
  if (id == 0) return 0;
  if (other && set_update_internal(s, id, other) < 0) {
    obj_release(s, id);
    return 0;
  }
  return id;
}

/* a | b: set_copy(a), then update with b */
uint32_t ms_set_union(ms_Sim *s, uint32_t a, uint32_t b) {
  if (need_type(s, a, MS_SET, "|") < 0 || need_type(s, b, MS_SET, "|") < 0) return 0;
  uint32_t r = ms_set_from(s, a);
  if (r && a != b && set_merge(s, r, b) < 0) {
    obj_release(s, r);
    return 0;
  }
  return r;
}

/* a & b: a new set; the smaller set's keys that the larger one holds */
uint32_t ms_set_intersection(ms_Sim *s, uint32_t a, uint32_t b) {
  if (need_type(s, a, MS_SET, "&") < 0 || need_type(s, b, MS_SET, "&") < 0) return 0;
  if (a == b) return ms_set_from(s, a);
  uint32_t r = new_set(s);
  if (r == 0) return 0;
  if (O(s, b)->len > O(s, a)->len) {
    uint32_t t = a;
    a = b;
    b = t;
  }
  uint32_t n, *keys = set_keys(s, b, &n);
  int rc = 0;
  for (uint32_t i = 0; i < n && rc == 0; i++)
    if (set_contains(s, a, keys[i])) rc = ms_set_add(s, r, keys[i]);
  ms_xfree(keys);
  if (rc < 0) {
    obj_release(s, r);
    return 0;
  }
  return r;
}

/*
** a - b: when a is more than four times b, a copy of a with b's keys
** discarded (dummies; resized away if they pass a quarter of the table);
** else a new set of a's keys that b does not hold.
*/
uint32_t ms_set_difference(ms_Sim *s, uint32_t a, uint32_t b) {
  if (need_type(s, a, MS_SET, "-") < 0 || need_type(s, b, MS_SET, "-") < 0) return 0;
  uint32_t r, n, *keys;
  int rc = 0;
  if ((O(s, a)->len >> 2) > O(s, b)->len) {
    r = ms_set_from(s, a);
    if (r == 0) return 0;
    keys = set_keys(s, b, &n);
    for (uint32_t i = 0; i < n; i++)
      if (set_contains(s, r, keys[i])) set_discard(s, r, keys[i]);
    ms_xfree(keys);
    ms_Object *o = O(s, r);
    SetBody *rb = o->body;
    if ((uint64_t)(rb->fill - o->len) > (uint64_t)(o->cap - 1) / 4) {
      uint64_t used = o->len;
      rc = set_resize(s, r, used > 50000 ? used * 2 : used * 4);
    }
  } else {
    r = new_set(s);
    if (r == 0) return 0;
    keys = set_keys(s, a, &n);
    for (uint32_t i = 0; i < n && rc == 0; i++)
      if (!set_contains(s, b, keys[i])) rc = ms_set_add(s, r, keys[i]);
    ms_xfree(keys);
  }
  if (rc < 0) {
    obj_release(s, r);
    return 0;
  }
  return r;
}

/* s.pop(): a key (memsim's first in its table order) replaced by a dummy */
int ms_set_pop(ms_Sim *s, uint32_t id, uint32_t *out) {
  if (need_type(s, id, MS_SET, "pop") < 0) return -1;
  if (O(s, id)->len == 0) return sim_error(s, "KeyError: 'pop from an empty set'");
  const SetBody *b = O(s, id)->body;
  uint32_t k = 0;
  for (uint32_t i = 0; k == 0 && i < b->nkeys; i++) k = b->keys[i];
  ms_incref(s, k);
  set_discard(s, id, k);
  *out = k;
  return 0;
}

/* s.discard(x) (no error when x is not there) and s.remove(x) */
int ms_set_discard(ms_Sim *s, uint32_t id, uint32_t key, int must_exist) {
  if (need_type(s, id, MS_SET, must_exist ? "remove" : "discard") < 0 || obj_check_hashable(s, key) < 0)
    return -1;
  if (!set_contains(s, id, key)) return must_exist ? sim_error(s, "KeyError: key not in set") : 0;
  return set_discard(s, id, key);
}

int ms_set_clear(ms_Sim *s, uint32_t id) {
  if (need_type(s, id, MS_SET, "clear") < 0) return -1;
  set_clear(s, id);
  return 0;
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
  .tp_name = "set", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_TRASHCAN | TPF_LEN | TPF_UNHASHABLE,
  .tp_new = set_new, .tp_basicsize = set_basicsize, .tp_auxsize = set_auxsize,
  .tp_sizeof = set_sizeof, .tp_dealloc_next = set_dealloc_next, .tp_dealloc = set_dealloc,
  .tp_traverse = set_traverse, .tp_clear = set_clear, .tp_delitem = set_delitem,
};
